package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;

/**
 * The public IPv4 address of an EC2 instance, by one SigV4-signed {@code DescribeInstances} call on EC2's
 * Query API. The SDK's EC2 module would add megabytes and thousands of classes to the Lambda for this one
 * field, so the call is made with the signer and HTTP client the ECS client already brings.
 */
public final class Ec2PublicAddresses {

    static final String API_VERSION = "2016-11-15";

    private final SignedPost ec2;

    public Ec2PublicAddresses(SdkHttpClient http, Region region, AwsCredentialsProvider credentials, URI endpoint) {
        this.ec2 = new SignedPost(http, region, credentials, endpoint, "ec2");
    }

    /** EC2's regional endpoint, from the SDK's own endpoint metadata (so other partitions work too). */
    public static URI endpointFor(Region region) {
        return URI.create("https://" + ServiceMetadata.of("ec2").endpointFor(region));
    }

    /** The instance's public IPv4 address; empty when it has none (or EC2 lists no such instance). */
    public Optional<Ipv4Address> of(String instanceId) {
        String body = "Action=DescribeInstances&Version=" + API_VERSION + "&InstanceId.1="
                + URLEncoder.encode(instanceId, StandardCharsets.UTF_8);
        try {
            SignedPost.Answer answer =
                    ec2.post(Map.of("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"), body);
            Document xml = parse(answer.body());
            if (answer.status() / 100 != 2) {
                throw failure(instanceId, answer.status(), xml);
            }
            NodeList address = xml.getElementsByTagName("ipAddress");
            return address.getLength() == 0
                    ? Optional.empty()
                    : Optional.of(
                            Ipv4Address.of(address.item(0).getTextContent().trim()));
        } catch (IOException e) {
            throw new InfrastructureException(
                    "EC2 DescribeInstances of " + instanceId + " failed: " + e.getMessage(), true, e);
        }
    }

    private static InfrastructureException failure(String instanceId, int status, Document xml) {
        String code = text(xml, "Code");
        String message = "EC2 DescribeInstances of " + instanceId + " answered " + status + " " + code + ": "
                + text(xml, "Message");
        boolean retryable =
                status >= 500 || status == 429 || "RequestLimitExceeded".equals(code) || "Throttling".equals(code);
        return new InfrastructureException(message, retryable);
    }

    private static String text(Document xml, String tag) {
        NodeList nodes = xml.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    private static Document parse(String body) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // An answer is data, never a reason to fetch anything.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(body)));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("unreadable answer: " + e.getMessage(), e);
        }
    }
}
