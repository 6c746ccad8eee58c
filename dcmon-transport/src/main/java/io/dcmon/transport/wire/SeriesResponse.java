package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * Answer to {@code GET /api/metrics}: {@code {"from_ms":..,"to_ms":..,"series":[SeriesView...]}}.
 *
 * @param fromMs start of the range that was queried, epoch ms (inclusive)
 * @param toMs   end of the range, epoch ms (inclusive)
 * @param series matching series
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SeriesResponse(long fromMs, long toMs, List<SeriesView> series) {
    public SeriesResponse {
        series = series == null ? List.of() : List.copyOf(series);
    }
}
