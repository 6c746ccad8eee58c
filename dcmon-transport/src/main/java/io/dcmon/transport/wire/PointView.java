package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * One stored point: {@code {"ts_ms":1700000000000,"value":42}}; values follow {@link SampleValues}.
 *
 * @param tsMs  Unix epoch milliseconds
 * @param value a Long or a Double
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PointView(long tsMs,
                        @JsonSerialize(using = SampleValues.Serializer.class)
                        @JsonDeserialize(using = SampleValues.Deserializer.class) Number value) {
}
