package dev.tenantprovisioner.adapters.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.MailerContract;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxMailerTest extends MailerContract {

    private static final String FROM = "Tenant Provisioner <welcome@provisioner.localhost>";

    @TempDir
    Path temp;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private boolean failNextWrite;
    private OutboxMailer mailer;

    private Path outbox() {
        return temp.resolve("outbox");
    }

    @Override
    protected Mailer mailer() {
        if (mailer == null) {
            mailer = new OutboxMailer(
                    outbox(),
                    FROM,
                    Clock.fixed(Instant.parse("2025-06-01T10:15:30Z"), ZoneOffset.UTC),
                    new PrintStream(log, true, StandardCharsets.UTF_8),
                    (file, content) -> {
                        if (failNextWrite) {
                            failNextWrite = false;
                            throw new IOException("No space left on device");
                        }
                        Files.write(file, content);
                    });
        }
        return mailer;
    }

    @Override
    protected List<String> deliveredKeys() {
        return new Outbox(outbox())
                .messages().stream().map(m -> m.idempotencyKey().orElseThrow()).toList();
    }

    @Override
    protected void givenProviderFailsOnce() {
        failNextWrite = true;
    }

    @Override
    protected void givenProviderRejects() {
        try {
            Files.writeString(outbox(), "a file where the outbox folder should be");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void givenWelcome_whenSent_thenTheFileIsAStandardMultipartEmailWithCrlfLines() throws IOException {
        mailer().sendWelcome(aWelcome("acme"));

        Path file = outbox().resolve("welcome-acme-g1.eml");
        String raw = Files.readString(file, StandardCharsets.US_ASCII);
        assertThat(raw)
                .startsWith("Date: Sun, 1 Jun 2025 10:15:30 GMT\r\n")
                .contains("\r\nFrom: " + FROM + "\r\n")
                .contains("\r\nTo: acme@example.com\r\n")
                .contains("\r\nSubject: Your acme instance is ready\r\n")
                .contains("\r\nMIME-Version: 1.0\r\n")
                .contains("\r\nContent-Type: multipart/alternative; boundary=\"")
                .contains("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n")
                .contains("Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n");
        assertThat(raw.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        assertThat(raw.split("\r\n"))
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(raw.chars()).allSatisfy(c -> assertThat(c).isLessThan(0x80));
    }

    @Test
    void givenWelcome_whenReadBackFromTheOutbox_thenBothBodiesCarryTheLink() {
        mailer().sendWelcome(aWelcome("acme"));

        OutboxMessage message = new Outbox(outbox()).latest(TenantId.of("acme")).orElseThrow();

        assertThat(message.subject()).isEqualTo("Your acme instance is ready");
        assertThat(message.to()).isEqualTo("acme@example.com");
        assertThat(message.text()).contains("http://acme.54.123.45.6.sslip.io:3001");
        assertThat(message.html())
                .contains(
                        "<a href=\"http://acme.54.123.45.6.sslip.io:3001\">http://acme.54.123.45.6.sslip.io:3001</a>");
        assertThat(new String(log.toByteArray(), StandardCharsets.UTF_8))
                .contains("welcome email for acme")
                .contains(outbox().resolve("welcome-acme-g1.eml").toString());
    }

    @Test
    void givenNonAsciiSender_whenSent_thenTheHeaderIsEncodedAndDecodesBack() {
        OutboxMailer mailer =
                new OutboxMailer(outbox(), "Zoë Provisioner <welcome@provisioner.localhost>", new PrintStream(log));

        mailer.sendWelcome(aWelcome("acme"));

        OutboxMessage message = new Outbox(outbox()).latest(TenantId.of("acme")).orElseThrow();
        assertThat(message.from()).isEqualTo("Zoë Provisioner <welcome@provisioner.localhost>");
    }

    @Test
    void givenKeyThatIsNoSafeFileName_whenSent_thenTheFileIsNamedByDigestAndTheKeyKept() {
        WelcomeEmail odd = new WelcomeEmail(
                TenantId.of("acme"),
                Email.of("a@example.com"),
                new AccessUrl(URI.create("http://acme.127.0.0.1.sslip.io:8100")),
                "../../etc/passwd\r\nBcc: x@evil.test");

        mailer().sendWelcome(odd);

        OutboxMessage message = new Outbox(outbox()).latest(TenantId.of("acme")).orElseThrow();
        assertThat(message.file().getParent()).isEqualTo(outbox().toAbsolutePath());
        assertThat(message.file().getFileName().toString()).startsWith("key-").endsWith(".eml");
        assertThat(message.idempotencyKey()).contains("../../etc/passwd\r\nBcc: x@evil.test");
        assertThat(message.header("bcc")).isEmpty();
    }

    @Test
    void givenTwoGenerations_whenReadingTheLatest_thenTheNewerOneComesBack() throws IOException {
        WelcomeEmail first = aWelcome("acme");
        WelcomeEmail second = new WelcomeEmail(first.tenant(), first.to(), first.accessUrl(), "welcome-acme-g2");
        mailer().sendWelcome(first);
        Files.setLastModifiedTime(
                outbox().resolve("welcome-acme-g1.eml"), java.nio.file.attribute.FileTime.fromMillis(0));

        mailer().sendWelcome(second);

        assertThat(new Outbox(outbox()).latest(TenantId.of("acme")).flatMap(OutboxMessage::idempotencyKey))
                .isEqualTo(Optional.of("welcome-acme-g2"));
    }

    @Test
    void givenLongAndAccentedText_whenEncodedQuotedPrintable_thenLinesStayShortAndItDecodesBack() {
        String text = "Grüße aus Köln = ".repeat(20) + "\nsecond line ends with a space \nthird";

        String encoded = Eml.quotedPrintable(text);

        assertThat(encoded.split("\r\n"))
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
        assertThat(Eml.decodeQuotedPrintable(encoded)).isEqualTo(text);
    }
}
