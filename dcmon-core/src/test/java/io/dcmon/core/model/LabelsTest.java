package io.dcmon.core.model;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelsTest {

    @Test
    void canonicalTextIsSortedAndIndependentOfInsertionOrder() {
        Labels a = Labels.of("uuid", "GPU-1", "index", "0");
        Labels b = Labels.of(Map.of("index", "0", "uuid", "GPU-1"));
        assertThat(a).isEqualTo(b);
        assertThat(a.canonical()).isEqualTo("{index=\"0\",uuid=\"GPU-1\"}");
    }

    @Test
    void canonicalTextEscapesQuotesBackslashesAndNewlines() {
        assertThat(Labels.of("name", "a\"b\\c\nd").canonical()).isEqualTo("{name=\"a\\\"b\\\\c\\nd\"}");
    }

    @Test
    void emptyLabelsAreBraces() {
        assertThat(Labels.empty().canonical()).isEqualTo("{}");
    }

    @Test
    void rejectsInvalidLabelNameNamingIt() {
        assertThatThrownBy(() -> Labels.of("9bad", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'9bad'");
    }

    @Test
    void rejectsTooManyLabelsNamingTheLimit() {
        String[] kv = new String[(Labels.MAX_LABELS + 1) * 2];
        for (int i = 0; i < kv.length; i += 2) {
            kv[i] = "l" + i;
            kv[i + 1] = "v";
        }
        assertThatThrownBy(() -> Labels.of(kv)).hasMessageContaining("limit is " + Labels.MAX_LABELS);
    }

    @Test
    void rejectsOverlongValue() {
        assertThatThrownBy(() -> Labels.of("a", "x".repeat(Labels.MAX_LENGTH + 1)))
                .hasMessageContaining("label 'a'");
    }

    @Test
    void withAddsOrReplacesALabel() {
        assertThat(Labels.of("a", "1").with("b", "2").with("a", "3").canonical()).isEqualTo("{a=\"3\",b=\"2\"}");
    }

    /** The names the character loops check against the published regexes they stand in for. */
    private static final List<String> NAMES = List.of("a", "_", "A9", "_0", "node_load1", "a:b", ":a", "9", "9a", "a-b",
            "a b", "é", "aé", "ſ", "K", "a\n", "a.b", "Z_z_09", "a\u0000", "🙂", "::", "a:9");

    @Test
    void labelNameCheckAgreesWithTheRegex() {
        for (String n : NAMES) {
            assertThat(Labels.isName(n)).as(n).isEqualTo(Labels.NAME.matcher(n).matches());
        }
        assertThat(Labels.isName("")).isFalse();
    }

    @Test
    void metricNameCheckAgreesWithTheRegex() {
        for (String n : NAMES) {
            assertThat(SeriesKey.isMetricName(n)).as(n).isEqualTo(SeriesKey.METRIC_NAME.matcher(n).matches());
        }
        assertThatThrownBy(() -> SeriesKey.of("a-b")).hasMessageContaining("'a-b' is not valid; it must match");
    }

    @Test
    void labelsKeepTheirOwnCopyOfTheCallersMap() {
        Map<String, String> m = new HashMap<>(Map.of("gpu", "0"));
        Labels l = Labels.of(m);
        m.put("gpu", "1");
        m.put("uuid", "x");
        assertThat(l.canonical()).isEqualTo("{gpu=\"0\"}");
        assertThatThrownBy(() -> l.map().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void canonicalTextOfPlainAndEscapedValuesTogether() {
        assertThat(Labels.of("a", "plain", "b", "x\"y", "c", "").canonical()).isEqualTo("{a=\"plain\",b=\"x\\\"y\",c=\"\"}");
    }
}
