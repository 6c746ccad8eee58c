package io.dcmon.core.model;

import java.util.List;
import java.util.Objects;

/**
 * The points of one series of one client, in time order, as a query returns them.
 *
 * @param clientId the client the series belongs to
 * @param series   metric and labels
 * @param points   ascending by time
 */
public record SeriesData(long clientId, SeriesKey series, List<Point> points) {
    public SeriesData {
        Objects.requireNonNull(series, "series");
        points = List.copyOf(points);
    }
}
