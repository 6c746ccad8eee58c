package io.dcmon.storage;

import io.dcmon.core.model.SeriesKey;

import java.util.Objects;

/**
 * A series known to the store, as series listings return it.
 *
 * @param clientId the client the series belongs to
 * @param series   metric and labels
 */
public record StoredSeries(long clientId, SeriesKey series) {
    public StoredSeries {
        Objects.requireNonNull(series, "series");
    }
}
