package dev.tenantprovisioner.domain.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the wildcard DNS services behind access URLs turn a host name into an IPv4 address, written from
 * their published sources so tests can check a link resolves where it should:
 * <ul>
 *   <li>sslip.io (which also serves nip.io today): github.com/cunnie/sslip.io, {@code xip/xip.go} at
 *       8e67617e9edffdb71c452dd0c4f5bc562aaa50c5, {@code String2IPv4} with the regexes {@code ipv4REDashes},
 *       {@code ipv4REDots} and {@code ipv4REHex}: the leftmost dashed run over the whole name first, then
 *       the leftmost dotted run, then an 8-hex-digit part; a run starts at the name's start, after {@code .}
 *       or {@code -} and ends at its end, before {@code .} or {@code -}.</li>
 *   <li>nip.io's earlier PowerDNS backend: github.com/exentriquesolutions/nip.io, {@code nipio/backend.py}
 *       at d3c5c35fc682728e7041ee29eebfb9f25256b0e4, {@code handle_subdomains}: an 8-hex-digit last part,
 *       else the last four parts before the domain, split on {@code .} and {@code -}.</li>
 * </ul>
 */
public final class WildcardDns {

    private static final String OCTET = "(25[0-5]|(2[0-4]|1\\d|[1-9])?\\d)";
    // Verbatim from xip.go, with Go's \d and [[:xdigit:]] spelt for java.util.regex.
    private static final Pattern DOTS = Pattern.compile("(^|[.-])((" + OCTET + "\\.){3}" + OCTET + ")($|[.-])");
    private static final Pattern DASHES = Pattern.compile("(^|[.-])((" + OCTET + "\\-){3}" + OCTET + ")($|[.-])");
    private static final Pattern HEX = Pattern.compile("(^|[.-])([0-9A-Fa-f]{8})($|[.-])");
    private static final Pattern NIP_HEX = Pattern.compile("(?:^|.*[.-])([0-9A-Fa-f]{8})$");
    private static final Pattern NIP_OCTET = Pattern.compile("0|[1-9]\\d{0,2}");

    private WildcardDns() {}

    /** sslip.io's answer to an A query for {@code name} (a fully qualified name, without the trailing dot). */
    public static Optional<String> sslip(String name) {
        for (Pattern run : new Pattern[] {DASHES, DOTS}) {
            Matcher found = run.matcher(name);
            if (found.find()) {
                return Optional.of(found.group(2).replace('-', '.'));
            }
        }
        Matcher hex = HEX.matcher(name);
        if (hex.find()) {
            return Optional.of(fromHex(hex.group(2)));
        }
        return Optional.empty();
    }

    /** nip.io's earlier answer for {@code name} under {@code domain}. */
    static Optional<String> nipLegacy(String name, String domain) {
        String sub = name.toLowerCase().substring(0, name.toLowerCase().indexOf(domain) - 1);
        Matcher hex = NIP_HEX.matcher(sub);
        if (hex.matches()) {
            return Optional.of(fromHex(hex.group(1)));
        }
        String[] parts = sub.split("[.-]", -1);
        if (parts.length < 4) {
            return Optional.empty();
        }
        StringBuilder address = new StringBuilder();
        for (int i = parts.length - 4; i < parts.length; i++) {
            // Python's IPv4Address: decimal octets 0-255, no leading zeros.
            if (!NIP_OCTET.matcher(parts[i]).matches() || Integer.parseInt(parts[i]) > 255) {
                return Optional.empty();
            }
            address.append(address.length() == 0 ? "" : ".").append(parts[i]);
        }
        return Optional.of(address.toString());
    }

    private static String fromHex(String hex) {
        StringBuilder address = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            address.append(i == 0 ? "" : ".").append(Integer.parseInt(hex.substring(i, i + 2), 16));
        }
        return address.toString();
    }
}
