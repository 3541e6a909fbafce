package dev.tenantprovisioner.adapters.resend.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WelcomeTemplateTest {

    private static final WelcomeTemplate.Values ACME =
            new WelcomeTemplate.Values("acme", "jane@example.com", "http://acme.54.123.45.6.sslip.io:3001");

    @Test
    void givenBundledTemplate_whenRendered_thenHtmlLinksTheUrlAndTextCarriesUrlAndTenant() {
        WelcomeTemplate.Rendered email = WelcomeTemplate.bundled().render("Welcome to {{tenant}}", ACME);

        assertThat(email.subject()).isEqualTo("Welcome to acme");
        assertThat(email.html())
                .contains("<a href=\"http://acme.54.123.45.6.sslip.io:3001\">http://acme.54.123.45.6.sslip.io:3001</a>")
                .contains("acme")
                .contains("jane@example.com")
                .doesNotContain("{{");
        assertThat(email.text())
                .contains("http://acme.54.123.45.6.sslip.io:3001")
                .contains("acme")
                .contains("jane@example.com")
                .doesNotContain("{{");
    }

    @Test
    void givenScriptTagsAndQuotesInEveryValue_whenRendered_thenHtmlPartEscapesThem() {
        WelcomeTemplate.Values hostile = new WelcomeTemplate.Values(
                "<script>alert('t')</script>",
                "\"x\"@example.com<img src=x onerror=alert(1)>",
                "http://x.io/?q=\"><script>alert(1)</script>");

        WelcomeTemplate.Rendered email = WelcomeTemplate.bundled().render("{{tenant}}", hostile);

        assertThat(email.html())
                .doesNotContain("<script>", "<img", "\"x\"", "alert('t')")
                .contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;")
                .contains("&quot;x&quot;@example.com&lt;img src=x onerror=alert(1)&gt;")
                .contains("href=\"http://x.io/?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"");
        assertThat(email.text()).contains("<script>alert('t')</script>");
        assertThat(email.subject()).isEqualTo("<script>alert('t')</script>");
    }

    @Test
    void givenValueThatLooksLikeAPlaceholder_whenRendered_thenItIsNotExpanded() {
        WelcomeTemplate template = WelcomeTemplate.of("<p>{{tenant}} {{email}}</p>", "{{tenant}} {{email}}");

        WelcomeTemplate.Rendered email =
                template.render("s", new WelcomeTemplate.Values("{{email}}", "jane@example.com", "http://x.io"));

        assertThat(email.text()).isEqualTo("{{email}} jane@example.com");
        assertThat(email.html()).isEqualTo("<p>{{email}} jane@example.com</p>");
    }

    @Test
    void givenUnknownPlaceholder_whenLoaded_thenRefusedNamingIt() {
        assertThatThrownBy(() -> WelcomeTemplate.of("<p>{{tennant}}</p>", "{{tenant}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("welcome.html")
                .hasMessageContaining("{{tennant}}");
    }

    @Test
    void givenUnknownPlaceholderInSubject_whenRendered_thenRefusedNamingIt() {
        assertThatThrownBy(() -> WelcomeTemplate.bundled().render("Hi {{name}}", ACME))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subject")
                .hasMessageContaining("{{name}}");
    }

    @Test
    void givenDirectoryWithBothFiles_whenLoaded_thenItsTemplateIsUsed(@TempDir Path directory) throws IOException {
        Files.writeString(
                directory.resolve("welcome.html"), "<h1>Hello {{ tenant }}</h1><a href=\"{{accessUrl}}\">go</a>");
        Files.writeString(directory.resolve("welcome.txt"), "Hello {{tenant}}: {{accessUrl}}");

        WelcomeTemplate.Rendered email =
                WelcomeTemplate.fromDirectory(directory).render("s", ACME);

        assertThat(email.html())
                .isEqualTo("<h1>Hello acme</h1><a href=\"http://acme.54.123.45.6.sslip.io:3001\">go</a>");
        assertThat(email.text()).isEqualTo("Hello acme: http://acme.54.123.45.6.sslip.io:3001");
    }

    @Test
    void givenDirectoryWithoutTextPart_whenLoaded_thenRefusedNamingTheFile(@TempDir Path directory) throws IOException {
        Files.writeString(directory.resolve("welcome.html"), "<p>{{tenant}}</p>");

        assertThatThrownBy(() -> WelcomeTemplate.fromDirectory(directory))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(directory.resolve("welcome.txt").toString());
    }
}
