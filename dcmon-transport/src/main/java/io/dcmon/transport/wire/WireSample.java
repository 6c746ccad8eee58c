package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;

import java.util.Map;

/**
 * One sample on the wire: {@code {"metric":"node_load1","labels":{"cpu":"0"},"ts_ms":1700000000000,"value":0.5}}.
 * The value is a JSON integer for integral samples and a JSON number with a fraction or exponent otherwise;
 * the non-finite doubles travel as the strings {@code "NaN"}, {@code "+Inf"} and {@code "-Inf"} (as in
 * Prometheus' text format), because JSON has no literal for them. See {@link SampleValues}.
 *
 * @param metric metric name
 * @param labels label names to values, may be empty
 * @param tsMs   Unix epoch milliseconds
 * @param value  a {@link Long} or a {@link Double}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WireSample(String metric, Map<String, String> labels, long tsMs,
                         @JsonSerialize(using = SampleValues.Serializer.class)
                         @JsonDeserialize(using = SampleValues.Deserializer.class) Number value) {

    public WireSample {
        labels = labels == null ? Map.of() : labels;
    }

    /** The wire form of a core sample. */
    public static WireSample from(Sample s) {
        return new WireSample(s.metric(), s.labels().map(), s.timestampMs(), s.value());
    }

    /**
     * The core sample; validates metric name, labels, timestamp and value.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public Sample toCore() {
        if (value == null) {
            throw new IllegalArgumentException("value is missing");
        }
        return new Sample(new SeriesKey(metric, Labels.of(labels)), tsMs, value);
    }
}
