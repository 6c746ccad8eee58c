package io.dcmon.core.port;

import io.dcmon.core.model.Labels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelMatcherTest {

    @Test
    void parsesTheFourOperatorsWithOrWithoutQuotes() {
        assertThat(LabelMatcher.parse("gpu=0")).isEqualTo(LabelMatcher.equal("gpu", "0"));
        assertThat(LabelMatcher.parse("gpu=\"0\"")).isEqualTo(LabelMatcher.equal("gpu", "0"));
        assertThat(LabelMatcher.parse("gpu!=0").op()).isEqualTo(LabelMatcher.Op.NE);
        assertThat(LabelMatcher.parse("gpu=~\"0|1\"")).isEqualTo(LabelMatcher.regex("gpu", "0|1"));
        assertThat(LabelMatcher.parse("mount!~/data.*").op()).isEqualTo(LabelMatcher.Op.NRE);
        assertThat(LabelMatcher.parse("mount!~/data.*").value()).isEqualTo("/data.*");
        assertThat(LabelMatcher.parse("gpu=").value()).isEmpty();
        assertThat(LabelMatcher.parse("a==b").value()).isEqualTo("=b");
        assertThat(LabelMatcher.regex("gpu", "0|1")).hasToString("gpu=~\"0|1\"");
    }

    @Test
    void regexesAreAnchoredAndAMissingLabelReadsAsEmpty() {
        LabelMatcher one = LabelMatcher.regex("gpu", "1");
        assertThat(one.matches("1")).isTrue();
        assertThat(one.matches("10")).isFalse();
        assertThat(one.matches(Labels.of("gpu", "10"))).isFalse();
        assertThat(LabelMatcher.regex("gpu", ".*").matches(Labels.empty())).isTrue();
        assertThat(LabelMatcher.regex("gpu", ".*").requiresLabel()).isFalse();
        assertThat(LabelMatcher.regex("gpu", ".+").requiresLabel()).isTrue();
        assertThat(LabelMatcher.of("gpu", LabelMatcher.Op.NE, "0").matches(Labels.empty())).isTrue();
        assertThat(LabelMatcher.of("gpu", LabelMatcher.Op.NRE, "0|1").matches("2")).isTrue();
        assertThat(LabelMatcher.equal("gpu", "").matches(Labels.empty())).isTrue();
    }

    @Test
    void malformedMatchersAndBadRegexesSayWhatIsWrong() {
        assertThatThrownBy(() -> LabelMatcher.parse("gpu")).hasMessageContaining("name=~regex");
        assertThatThrownBy(() -> LabelMatcher.parse("=~x")).hasMessageContaining("must be name=value");
        assertThatThrownBy(() -> LabelMatcher.regex("gpu", "(open")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid Java regex").hasMessageContaining("(open");
        assertThatThrownBy(() -> LabelMatcher.equal("9gpu", "x")).hasMessageContaining("is not valid");
        assertThatThrownBy(() -> LabelMatcher.regex("gpu", "x".repeat(LabelMatcher.MAX_PATTERN_LENGTH + 1)))
                .hasMessageContaining("the limit is");
    }

    @Test
    void sampleQueryKeepsExactLabelsBesideMatchers() {
        SampleQuery q = new SampleQuery(OptionalLong.empty(), "m", Map.of("dc", "a"), 0, 1, 10)
                .withMatchers(List.of(LabelMatcher.regex("gpu", "[01]")));
        assertThat(q.matches(Labels.of("dc", "a", "gpu", "1"))).isTrue();
        assertThat(q.matches(Labels.of("dc", "b", "gpu", "1"))).isFalse();
        assertThat(q.matches(Labels.of("gpu", "1"))).isFalse(); // exact labels: missing matches nothing
        assertThat(q.matches(Labels.of("dc", "a", "gpu", "2"))).isFalse();
        assertThat(new SampleQuery(OptionalLong.empty(), "m", Map.of(), 0, 1, 10).matchers()).isEmpty();
    }
}
