package dev.tenantprovisioner.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void givenNestedDocument_whenParsed_thenMapsListsStringsAndNumbers() throws Exception {
        Object parsed = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"x\\\"y\\u00e9\\n\"}} ");

        assertThat(parsed)
                .isEqualTo(Map.of(
                        "a",
                        Arrays.asList(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false, null),
                        "b",
                        Map.of("c", "x\"yé\n")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "{",
                "{\"a\"}",
                "{\"a\":1,}",
                "[1,]",
                "01",
                "1.",
                "-",
                "tru",
                "\"abc",
                "{\"a\":1}x",
                "{'a':1}",
                "\"\\x\"",
                "\"a\tb\"",
                "NaN",
                "{\"a\":1,\"a\":2}"
            })
    void givenMalformedInput_whenParsed_thenRefusedWithOffset(String text) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOf(Json.MalformedJsonException.class)
                .hasMessageContaining("at offset");
    }

    @Test
    void givenDeepNesting_whenParsed_thenRefusedInsteadOfOverflowingTheStack() {
        assertThatThrownBy(() -> Json.parse("[".repeat(100_000))).hasMessageContaining("nesting deeper than");
    }

    @Property(tries = 300)
    void givenAnyStringValue_whenWrittenAndParsed_thenRoundTrips(@ForAll String key, @ForAll String value)
            throws Exception {
        Map<String, Object> original = new LinkedHashMap<>();
        original.put(key, value);
        original.put(key + "-list", List.of(value, new BigDecimal("42")));

        assertThat(Json.parse(Json.write(original))).isEqualTo(original);
    }

    @Test
    void givenHtmlInValue_whenWritten_thenAngleBracketsAreEscaped() {
        assertThat(Json.write(Map.of("x", "<script>&"))).isEqualTo("{\"x\":\"\\u003cscript\\u003e\\u0026\"}");
    }
}
