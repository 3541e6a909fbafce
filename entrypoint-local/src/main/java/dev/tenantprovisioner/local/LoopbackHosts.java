package dev.tenantprovisioner.local;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Host} names the local runner answers: loopback names only ({@code localhost} and its subdomains, which
 * RFC 6761 keeps on loopback, {@code 127.0.0.1}, {@code [::1]}), with any port. A browser visiting another site whose
 * name was pointed at 127.0.0.1 (DNS rebinding) sends that site's name, and is refused.
 */
final class LoopbackHosts {

    private LoopbackHosts() {}

    static boolean allows(Optional<String> hostHeader) {
        if (hostHeader.isEmpty()) {
            return false;
        }
        String host = hostHeader.get().trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 && host.substring(0, end + 1).equals("[::1]") && portOnly(host.substring(end + 1));
        }
        int colon = host.indexOf(':');
        String name = colon < 0 ? host : host.substring(0, colon);
        if (colon >= 0 && !portOnly(host.substring(colon))) {
            return false;
        }
        return name.equals("localhost") || name.endsWith(".localhost") || name.equals("127.0.0.1");
    }

    private static boolean portOnly(String rest) {
        return rest.isEmpty() || rest.matches(":[0-9]{1,5}");
    }
}
