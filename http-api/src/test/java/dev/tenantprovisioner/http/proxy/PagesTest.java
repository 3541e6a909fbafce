package dev.tenantprovisioner.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pages say what happened in words that may come from elsewhere (a runtime's reason): never as markup. */
class PagesTest {

    @Test
    void givenAReasonWithMarkup_whenPutOnAPage_thenItIsShownAsTextNotRunAsMarkup() {
        String page =
                Pages.html("Could not start <b>", "no capacity: \"RESOURCE:MEMORY\" & <script>alert(1)</script>", 0);

        assertThat(page)
                .contains("<title>Could not start &lt;b&gt;</title>")
                .contains("no capacity: &quot;RESOURCE:MEMORY&quot; &amp; &lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>")
                .doesNotContain("<b>");
    }

    @Test
    void givenARefresh_whenPutOnAPage_thenItAsksAgainThatOftenAndNotOtherwise() {
        assertThat(Pages.html("t", "s", 2)).contains("<meta http-equiv=\"refresh\" content=\"2\">");
        assertThat(Pages.html("t", "s", 0)).doesNotContain("refresh");
    }
}
