package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * Answer to {@code POST /api/metrics}: {@code {"received":N,"stored":M,"rejected":[{"index":i,"error":"..."}]}}.
 * {@code stored} counts samples new to the server (a replayed batch stores 0 again); samples listed in
 * {@code rejected} were refused one by one while the acceptable rest of the batch was stored.
 *
 * @param received samples in the batch
 * @param stored   samples newly stored
 * @param rejected refused samples with the reason, empty when all were acceptable
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MetricsResponse(int received, int stored, List<Rejected> rejected) {
    public MetricsResponse {
        rejected = rejected == null ? List.of() : List.copyOf(rejected);
    }

    /**
     * A sample the server refused.
     *
     * @param index position in the batch, from 0
     * @param error what was wrong with it
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Rejected(int index, String error) {
    }
}
