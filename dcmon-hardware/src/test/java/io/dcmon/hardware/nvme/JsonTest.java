package io.dcmon.hardware.nvme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void readsEveryJsonType() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null, \"x\\\"y\\u00e9\\n\"], \"b\": {}, \"c\": []} ");
        Map<?, ?> m = (Map<?, ?>) v;
        List<Object> a = List.copyOf((List<?>) m.get("a"));
        assertThat(a).containsExactly(1L, -2L, 3.5, 1000.0, true, false, Json.NULL, "x\"yé\n");
        assertThat((Map<?, ?>) m.get("b")).isEmpty();
        assertThat((List<?>) m.get("c")).isEmpty();
    }

    @Test
    void integersBeyond64BitsStayExact() {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"units\": 340282366920938463463374607431768211455, \"small\": 9223372036854775807}");
        assertThat(m.get("units")).isEqualTo(new BigInteger("340282366920938463463374607431768211455"));
        assertThat(m.get("small")).isEqualTo(Long.MAX_VALUE);
    }

    static Stream<Arguments> notJson() {
        return Stream.of(
                Arguments.of("{\"a\":1,}", "line 1 column 8: trailing comma before '}'"),
                Arguments.of("[1,2,]", "line 1 column 6: trailing comma before ']'"),
                Arguments.of("{'a':1}", "line 1 column 2: expected a string key"),
                Arguments.of("{\"a\":01}", "line 1 column 7: leading zero in number"),
                Arguments.of("{\"a\":NaN}", "line 1 column 6: unexpected character 'N'"),
                Arguments.of("{\"a\":1} x", "line 1 column 9: unexpected text after the JSON value"),
                Arguments.of("// c\n{}", "line 1 column 1: unexpected character '/'"),
                Arguments.of("{\"a\":\"x", "line 1 column 8: unterminated string"),
                Arguments.of("{\"a\" 1}", "line 1 column 6: expected ':'"),
                Arguments.of("", "line 1 column 1: unexpected end of input"),
                Arguments.of("{\"a\":tru}", "line 1 column 6: unexpected literal"));
    }

    @ParameterizedTest
    @MethodSource("notJson")
    void rejectsWhatIsNotJson(String text, String message) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(Json.JsonException.class).hasMessageStartingWith(message);
    }

    @Test
    void rejectsControlCharactersAndDeepNesting() {
        assertThatThrownBy(() -> Json.parse("\"a\tb\"")).hasMessageContaining("control character in string");
        assertThatThrownBy(() -> Json.parse("[".repeat(65) + "]".repeat(65))).hasMessageContaining("nested deeper than 64 levels");
        assertThat(Json.parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
    }

    @Test
    void errorNamesTheLineAndQuotesIt() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1\n  \"b\": 2\n}"))
                .hasMessage("line 3 column 3: expected ',' or '}' in '  \"b\": 2'");
    }
}
