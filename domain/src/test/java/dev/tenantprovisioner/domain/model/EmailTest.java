package dev.tenantprovisioner.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"a@b.co", "first.last@example.com", "o'brien+tag@mail.example.org", "x@sub-domain.example.io"})
    void givenWellFormedAddress_whenCreated_thenAccepted(String value) {
        assertThat(Email.of(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "plain",
                "@example.com",
                "a@",
                "a@b",
                "a b@example.com",
                "a@exa mple.com",
                "<script>@example.com",
                "a..b@example.com",
                "a@-example.com",
                "\"quoted\"@example.com"
            })
    void givenMalformedAddress_whenCreated_thenRefusedNamingTheField(String value) {
        assertThatThrownBy(() -> Email.of(value))
                .isInstanceOfSatisfying(
                        InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("email"));
    }

    @Test
    void givenAddress_whenMasked_thenLocalPartIsHidden() {
        assertThat(Email.of("jane.doe@Example.com").masked()).isEqualTo("j***@example.com");
        assertThat(Email.of("jane.doe@example.com").toString()).doesNotContain("jane.doe");
    }

    @Test
    void givenOverlongAddress_whenCreated_thenRefused() {
        String local = "a".repeat(64);
        String domain = "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + "." + "e".repeat(10) + ".com";
        assertThatThrownBy(() -> Email.of(local + "@" + domain)).hasMessageContaining("at most 254");
    }
}
