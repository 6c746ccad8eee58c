package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * One series in a {@code GET /api/metrics} answer, points ascending by time.
 *
 * @param clientId the client it belongs to
 * @param metric   metric name
 * @param labels   its labels
 * @param points   ascending by time
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SeriesView(long clientId, String metric, Map<String, String> labels, List<PointView> points) {
    public SeriesView {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        points = points == null ? List.of() : List.copyOf(points);
    }
}
