package dev.tenantprovisioner.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Every link the API can produce resolves to the tenant's host, under the wildcard DNS rules of sslip.io
 * and nip.io ({@link WildcardDns}), for every id {@link TenantId} accepts and any IPv4 address, local ones
 * included; and every DNS label it refuses for holding an address would indeed have resolved elsewhere.
 */
class AccessUrlResolutionProperties {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    @Property(tries = 3000)
    void everyAcceptedTenantsLinkResolvesToItsHost(
            @ForAll("labels") String label, @ForAll("addresses") String address) {
        Optional<TenantId> tenant = accepted(label);
        Statistics.collect(
                tenant.isPresent() ? "accepted" : DNS_LABEL.matcher(label).matches() ? "refused label" : "no label");
        Statistics.coverage(coverage -> {
            coverage.check("accepted").percentage(p -> p > 30);
            coverage.check("refused label").percentage(p -> p > 3);
        });
        if (tenant.isEmpty()) {
            return;
        }

        String name = AccessUrlFormat.sslip().hostName(tenant.get(), Ipv4Address.of(address));

        assertThat(WildcardDns.sslip(name)).as(name).contains(address);
        String nipName = new AccessUrlFormat("nip.io").hostName(tenant.get(), Ipv4Address.of(address));
        assertThat(WildcardDns.nipLegacy(nipName, "nip.io")).as(nipName).contains(address);
    }

    @Property(tries = 3000)
    void everyLabelRefusedForAnAddressWouldHaveMisresolved(
            @ForAll("labels") String label, @ForAll("addresses") String address) {
        if (!DNS_LABEL.matcher(label).matches()
                || label.length() > TenantId.MAX_LENGTH
                || accepted(label).isPresent()) {
            return;
        }
        String other = address.equals("192.0.2.1") ? "192.0.2.2" : "192.0.2.1";

        Optional<String> one =
                WildcardDns.sslip(label + "." + Ipv4Address.of(address).dashed() + ".sslip.io");
        Optional<String> two =
                WildcardDns.sslip(label + "." + Ipv4Address.of(other).dashed() + ".sslip.io");

        assertThat(List.of(one, two)).as(label).doesNotContain(Optional.of(address), Optional.of(other));
    }

    @Provide
    Arbitrary<String> labels() {
        Arbitrary<String> plain = Arbitraries.strings()
                .withChars("abcdefx0123456789-")
                .ofMinLength(1)
                .ofMaxLength(36);
        Arbitrary<String> number = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0, 255).map(String::valueOf)),
                Tuple.of(2, Arbitraries.of("00", "01", "256", "300", "1000", "ff", "a1")));
        Arbitrary<String> run = number.list().ofMinSize(2).ofMaxSize(6).map(parts -> String.join("-", parts));
        Arbitrary<String> affix = Arbitraries.of("", "", "x-", "user-", "a", "-", "v1-");
        Arbitrary<String> addressLike =
                Combinators.combine(affix, run, affix).as((before, middle, after) -> before + middle + after);
        return Arbitraries.frequencyOf(Tuple.of(1, plain), Tuple.of(2, addressLike));
    }

    @Provide
    Arbitrary<String> addresses() {
        Arbitrary<Integer> octet =
                Arbitraries.oneOf(Arbitraries.integers().between(0, 255), Arbitraries.of(0, 1, 127, 255));
        Arbitrary<String> any =
                octet.list().ofSize(4).map(o -> o.get(0) + "." + o.get(1) + "." + o.get(2) + "." + o.get(3));
        return Arbitraries.oneOf(any, Arbitraries.of("127.0.0.1", "54.123.45.6", "10.0.0.1", "0.0.0.0"));
    }

    private static Optional<TenantId> accepted(String label) {
        try {
            return Optional.of(TenantId.of(label));
        } catch (InvalidValueException refused) {
            return Optional.empty();
        }
    }
}
