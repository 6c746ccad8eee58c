package io.dcmon.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleTest {

    @Test
    void integersAreWidenedToLongAndCountAsIntegral() {
        Sample s = new Sample(SeriesKey.of("fan_speed_rpm"), 1_000L, 3400);
        assertThat(s.value()).isInstanceOf(Long.class).isEqualTo(3400L);
        assertThat(s.isIntegral()).isTrue();
    }

    @Test
    void doublesStayDoublesEvenWhenWhole() {
        Sample s = Sample.of(SeriesKey.of("temp_celsius"), 1_000L, 45.0);
        assertThat(s.value()).isInstanceOf(Double.class);
        assertThat(s.isIntegral()).isFalse();
    }

    @Test
    void rejectsOtherNumberTypes() {
        assertThatThrownBy(() -> new Sample(SeriesKey.of("x"), 0, new java.math.BigDecimal("1")))
                .hasMessageContaining("BigDecimal");
    }

    @Test
    void metricNameFollowsPrometheusSyntax() {
        assertThat(SeriesKey.of("node_memory_total_bytes").metric()).isEqualTo("node_memory_total_bytes");
        assertThat(SeriesKey.of("ns:rule_total").metric()).isEqualTo("ns:rule_total");
        assertThatThrownBy(() -> SeriesKey.of("bad-name")).hasMessageContaining("'bad-name'");
        assertThatThrownBy(() -> SeriesKey.of("1abc")).hasMessageContaining("must match");
        assertThatThrownBy(() -> SeriesKey.of("")).hasMessageContaining("missing");
    }

    @Test
    void seriesKeyPrintsLikePrometheus() {
        assertThat(SeriesKey.of("gpu_temp_celsius", "gpu", "0")).hasToString("gpu_temp_celsius{gpu=\"0\"}");
    }
}
