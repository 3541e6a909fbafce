package dev.tenantprovisioner.adapters.resend.template;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class HtmlProperties {

    @Property
    void escapedTextHasNoCharacterThatOpensMarkupOrEndsAnAttribute(@ForAll String text) {
        assertThat(Html.escape(text)).doesNotContain("<", ">", "\"", "'");
    }

    @Property
    void escapingLosesNothing(@ForAll String text) {
        assertThat(unescape(Html.escape(text))).isEqualTo(text);
    }

    // What a browser does with the five entities; &amp; last, so "&amp;lt;" comes back as "&lt;".
    private static String unescape(String html) {
        return html.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}
