package dev.tenantprovisioner.adapters.resend;

import dev.tenantprovisioner.adapters.resend.template.WelcomeTemplate;
import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Latency of a welcome email through the real SDK against the local fake api.resend.com (WireMock as
 * an HTTPS proxy on loopback). Not a test: run by {@code bench/resend-send.sh}. The figures include
 * WireMock's own TLS and proxying work, so they bound the adapter's cost from above; Resend's real
 * round trip is what a deployment adds on top.
 */
public final class ResendSendBench {

    private static int sends = 200;

    private ResendSendBench() {}

    /** Usage: {@code ResendSendBench [timed sends per figure, default 200]}. */
    public static void main(String[] args) throws Exception {
        sends = args.length > 0 ? Integer.parseInt(args[0]) : sends;
        try (FakeResendApi resend = new FakeResendApi().start()) {
            ResendSettings settings = ResendSettings.of("re_bench_key", "Acme <welcome@acme.dev>");

            long start = System.nanoTime();
            ResendMailer first = new ResendMailer(settings, WelcomeTemplate.bundled(), pause -> {});
            first.sendWelcome(welcome("cold", 0));
            report("first send in this JVM (SDK classes, client, TLS handshake)", new long[] {System.nanoTime() - start
            });

            report(
                    "warm send, one mailer (client and connection reused)",
                    timed(i -> first.sendWelcome(welcome("warm", i))));
            report(
                    "warm send, new mailer per send (new client, new TLS handshake)",
                    timed(i -> new ResendMailer(settings, WelcomeTemplate.bundled(), pause -> {})
                            .sendWelcome(welcome("fresh", i))));

            WelcomeTemplate template = WelcomeTemplate.bundled();
            WelcomeTemplate.Values values =
                    new WelcomeTemplate.Values("acme", "jane@example.com", "http://acme.54.123.45.6.sslip.io:3001");
            report(
                    "render only (subject, HTML, text)",
                    timed(i -> template.render(ResendSettings.DEFAULT_SUBJECT, values)));
            // Each timed send must have reached the fake and been accepted, or the figures mean nothing.
            System.out.println("distinct emails accepted by the fake: "
                    + resend.acceptedKeys().size() + " (expected " + (1 + 4 * sends) + ")");
        }
    }

    private static long[] timed(IntConsumer send) {
        for (int i = 0; i < sends; i++) {
            send.accept(-1 - i);
        }
        long[] nanos = new long[sends];
        for (int i = 0; i < sends; i++) {
            long start = System.nanoTime();
            send.accept(i);
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static WelcomeEmail welcome(String prefix, int i) {
        String tenant = prefix + "-" + Math.abs(i);
        return new WelcomeEmail(
                TenantId.of(tenant),
                Email.of("jane@example.com"),
                new AccessUrl(URI.create("http://" + tenant + ".54.123.45.6.sslip.io:3001")),
                "welcome-" + tenant + "-" + i);
    }

    private static void report(String what, long[] nanos) {
        Arrays.sort(nanos);
        double median = nanos[nanos.length / 2] / 1e6;
        double p90 = nanos[(int) Math.min(nanos.length - 1, Math.ceil(nanos.length * 0.9) - 1)] / 1e6;
        System.out.printf(
                Locale.ROOT, "%-66s n=%-4d median %8.3f ms   p90 %8.3f ms%n", what, nanos.length, median, p90);
    }
}
