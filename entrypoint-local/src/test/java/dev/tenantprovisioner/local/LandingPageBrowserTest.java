package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The landing page in real headless Chromium, driven over the DevTools protocol: sign up, watch it
 * reach "running", read the email, follow the access link to the tenant's own page. Screenshots go to
 * {@code target/screenshots/} (the ones under {@code docs/screenshots/} come from such a run).
 */
class LandingPageBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path work;

    @Test
    void givenLandingPage_whenANewcomerSignsUp_thenTheyWatchItRunAndReachTheirInstanceByItsLink() throws Exception {
        Optional<String> chromium = chromium();
        assumeTrue(
                chromium.isPresent(),
                "no Chromium on PATH, so the landing page was not tried in a browser; install it with"
                        + " 'sudo apt-get install chromium' (Debian/Ubuntu) or set CHROMIUM to a Chromium or Chrome binary");
        try (Runner runner = new Runner(work);
                Cdp page = Cdp.launch(
                        chromium.get(),
                        Files.createDirectories(work.resolve("profile")),
                        // sslip.io would answer with the address in the name; this machine may have no DNS, so the
                        // browser is told the same answer locally.
                        List.of("--host-resolver-rules=MAP *.sslip.io " + runner.tenantHost))) {
            page.send("Page.navigate", java.util.Map.of("url", runner.runner.baseUri() + "/#key=" + Runner.API_KEY));
            page.await("the signup form", "document.readyState === 'complete' && document.getElementById('signup')");
            assertThat(page.eval("document.getElementById('key-field').hidden"))
                    .as("key taken from the link")
                    .isEqualTo(true);

            page.type("#userId", "grace");
            page.type("#email", "grace@example.com");
            page.click("#submit");

            page.await("state running", "document.getElementById('status-state').textContent === 'running'");
            page.await(
                    "the email preview",
                    "!document.getElementById('mail-section').hidden"
                            + " && document.getElementById('mail-html').srcdoc.includes('<strong>grace</strong>')"
                            + " && document.getElementById('mail-html').dataset.loaded === 'true'");
            String link = (String) page.eval("document.getElementById('access-link').href");
            assertThat(link).startsWith("http://grace." + runner.tenantHost.replace('.', '-') + ".sslip.io:");
            assertThat(page.eval("document.getElementById('mail-subject').textContent"))
                    .isEqualTo("Your grace instance is ready");
            assertThat(page.eval("document.querySelectorAll('.steps li.done').length"))
                    .isEqualTo(java.math.BigDecimal.valueOf(4));
            page.screenshot(SCREENSHOTS.resolve("landing.png"));

            page.click("#tab-tenants");
            page.await(
                    "grace in the tenants table", "document.getElementById('tenant-rows').innerText.includes('grace')");
            page.screenshot(SCREENSHOTS.resolve("tenants.png"));

            // Suspend from the Tenants view; the signup card notices, says so and offers resume.
            page.click("button[aria-label=\"Suspend grace\"]");
            page.await(
                    "grace suspended in the table",
                    "document.getElementById('tenant-rows').innerText.includes('suspended')");
            page.eval("document.getElementById('tab-signup').click()");
            page.await("the card offering resume", "!document.getElementById('suspended').hidden");
            page.screenshot(SCREENSHOTS.resolve("suspended.png"));
            page.click("#resume");
            page.await(
                    "grace running again, at the same link",
                    "document.getElementById('status-state').textContent === 'running'"
                            + " && !document.getElementById('access').hidden"
                            + " && document.getElementById('access-link').href === '" + link + "'");

            page.click("#access-link");

            page.await(
                    "the tenant's own page",
                    "location.href.startsWith('" + link + "')"
                            + " && document.body.innerText.includes('Hello, grace')");
            page.screenshot(SCREENSHOTS.resolve("instance.png"));
        }
    }

    private static Optional<String> chromium() {
        Optional<String> configured =
                Optional.ofNullable(System.getenv("CHROMIUM")).filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            return configured;
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }
}
