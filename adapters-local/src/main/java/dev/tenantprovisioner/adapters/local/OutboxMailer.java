package dev.tenantprovisioner.adapters.local;

import dev.tenantprovisioner.adapters.resend.template.WelcomeTemplate;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A {@link Mailer} that writes each welcome email as a standard {@code .eml} file (RFC 5322,
 * multipart/alternative text and HTML) into an outbox folder, where any mail client opens it. The
 * file is named after the idempotency key and appears atomically, so a repeat finds it and writes
 * nothing. An outbox path that is not a folder is a configuration error (not retryable); any other
 * write failure is retryable.
 */
public final class OutboxMailer implements Mailer {

    static final String TENANT_HEADER = "X-Tenant-Id";
    static final String KEY_HEADER = "X-Idempotency-Key";
    /** The template production sends with, so the outbox shows the email a tenant would get. */
    private static final WelcomeTemplate TEMPLATE = WelcomeTemplate.bundled();

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,120}");

    /** Where the bytes go; the seam lets a test fail one write the way a full disk would. */
    interface Disk {
        void write(Path file, byte[] content) throws IOException;
    }

    private final Path outbox;
    private final String from;
    private final Clock clock;
    private final PrintStream log;
    private final Disk disk;

    OutboxMailer(Path outbox, String from, Clock clock, PrintStream log, Disk disk) {
        this.outbox = outbox.toAbsolutePath().normalize();
        this.from = from;
        this.clock = clock;
        this.log = log;
        this.disk = disk;
    }

    public OutboxMailer(Path outbox, String from, PrintStream log) {
        this(outbox, from, Clock.systemDefaultZone(), log, Files::write);
    }

    @Override
    public synchronized void sendWelcome(WelcomeEmail email) {
        if (Files.exists(outbox) && !Files.isDirectory(outbox)) {
            throw new InfrastructureException("outbox " + outbox + " is not a folder", false);
        }
        Path target = outbox.resolve(fileName(email.idempotencyKey()));
        if (Files.exists(target)) {
            return;
        }
        Path partial = outbox.resolve("." + target.getFileName() + ".partial");
        try {
            Files.createDirectories(outbox);
            disk.write(partial, render(email).getBytes(StandardCharsets.US_ASCII));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException notAFolder) {
            throw new InfrastructureException("outbox " + outbox + " is not a folder", false, notAFolder);
        } catch (IOException failed) {
            throw new InfrastructureException("could not write " + target + ": " + failed, true, failed);
        }
        log.println("welcome email for " + email.tenant() + " (" + email.to() + ") written to " + target);
    }

    public Path outbox() {
        return outbox;
    }

    String render(WelcomeEmail email) {
        String boundary = "=_tp_" + digest(email.idempotencyKey()).substring(0, 24);
        WelcomeTemplate.Rendered welcome = TEMPLATE.render(
                WelcomeTemplate.DEFAULT_SUBJECT,
                new WelcomeTemplate.Values(
                        email.tenant().value(),
                        email.to().value(),
                        email.accessUrl().toString()));
        StringBuilder eml = new StringBuilder();
        header(eml, "Date", ZonedDateTime.now(clock).format(DateTimeFormatter.RFC_1123_DATE_TIME));
        eml.append("From: ").append(Eml.mailbox(from)).append(Eml.CRLF);
        header(eml, "To", email.to().value());
        header(eml, "Subject", welcome.subject());
        header(
                eml,
                "Message-ID",
                "<" + digest(email.idempotencyKey()).substring(0, 32) + "@tenant-provisioner.localhost>");
        header(eml, "MIME-Version", "1.0");
        header(eml, TENANT_HEADER, email.tenant().value());
        header(eml, KEY_HEADER, email.idempotencyKey());
        header(eml, "Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
        eml.append(Eml.CRLF);
        part(eml, boundary, "text/plain", welcome.text());
        part(eml, boundary, "text/html", welcome.html());
        eml.append("--").append(boundary).append("--").append(Eml.CRLF);
        return eml.toString();
    }

    private static void header(StringBuilder eml, String name, String value) {
        eml.append(name).append(": ").append(Eml.headerValue(value)).append(Eml.CRLF);
    }

    private static void part(StringBuilder eml, String boundary, String type, String body) {
        eml.append("--")
                .append(boundary)
                .append(Eml.CRLF)
                .append("Content-Type: ")
                .append(type)
                .append("; charset=UTF-8")
                .append(Eml.CRLF)
                .append("Content-Transfer-Encoding: quoted-printable")
                .append(Eml.CRLF)
                .append(Eml.CRLF)
                .append(Eml.quotedPrintable(body))
                .append(Eml.CRLF);
    }

    /** The key itself when it is a safe file name (the domain's keys are), else its digest. */
    static String fileName(String idempotencyKey) {
        String stem = SAFE_NAME.matcher(idempotencyKey).matches() ? idempotencyKey : "key-" + digest(idempotencyKey);
        return stem + ".eml";
    }

    private static String digest(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is part of every JDK", impossible);
        }
    }
}
