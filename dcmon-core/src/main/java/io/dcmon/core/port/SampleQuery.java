package io.dcmon.core.port;

import io.dcmon.core.model.SeriesKey;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A range query: one metric, optionally one client, exact label matches, a time range.
 *
 * @param clientId   only this client, or empty for all
 * @param metric     metric name
 * @param labels     labels that must be equal (other labels may exist)
 * @param fromMs     inclusive start, epoch ms
 * @param toMs       inclusive end, epoch ms
 * @param limit      at most this many points per series (the newest are kept), at least 1
 */
public record SampleQuery(OptionalLong clientId, String metric, Map<String, String> labels,
                          long fromMs, long toMs, int limit) {

    /** Default cap on points per series. */
    public static final int DEFAULT_LIMIT = 10_000;

    public SampleQuery {
        Objects.requireNonNull(clientId, "clientId");
        SeriesKey.requireValidMetric(metric);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (toMs < fromMs) {
            throw new IllegalArgumentException("time range ends (" + toMs + ") before it starts (" + fromMs + ")");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit was " + limit + " but it must be at least 1");
        }
    }

    /** All points of {@code metric} of one client in a range. */
    public static SampleQuery of(long clientId, String metric, long fromMs, long toMs) {
        return new SampleQuery(OptionalLong.of(clientId), metric, Map.of(), fromMs, toMs, DEFAULT_LIMIT);
    }
}
