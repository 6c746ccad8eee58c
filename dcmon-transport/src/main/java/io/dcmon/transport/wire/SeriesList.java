package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * Answer to {@code GET /api/series}: {@code {"series":[{"client_id":1,"metric":"..","labels":{..}},..],"truncated":false}}.
 *
 * @param series    the matching series, by client id, metric, then labels
 * @param truncated true when more series matched than the answer holds (narrow the filters)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SeriesList(List<Entry> series, boolean truncated) {
    public SeriesList {
        series = series == null ? List.of() : List.copyOf(series);
    }

    /**
     * One series.
     *
     * @param clientId the client it belongs to
     * @param metric   metric name
     * @param labels   its labels
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(long clientId, String metric, Map<String, String> labels) {
        public Entry {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }
}
