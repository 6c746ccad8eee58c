package io.dcmon.core.model;

import java.util.Objects;

/**
 * A series of one client, as series listings (pickers) return it. Immutable and thread-safe.
 *
 * @param clientId the client the series belongs to
 * @param series   metric and labels
 */
public record ClientSeries(long clientId, SeriesKey series) {
    public ClientSeries {
        Objects.requireNonNull(series, "series");
    }
}
