package io.dcmon.core.port;

import io.dcmon.core.model.Labels;
import io.dcmon.core.model.SeriesKey;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A range query: one metric, optionally one client, exact label matches and label matchers, a time range.
 * A series matches when it carries every label of {@code labels} with that exact value (a label it lacks
 * matches nothing) and satisfies every one of {@code matchers} (Prometheus semantics, see {@link LabelMatcher}).
 *
 * @param clientId   only this client, or empty for all
 * @param metric     metric name
 * @param labels     labels that must be equal (other labels may exist)
 * @param fromMs     inclusive start, epoch ms
 * @param toMs       inclusive end, epoch ms
 * @param limit      at most this many points per series (the newest are kept), at least 1
 * @param matchers   label matchers (=, !=, =~, !~) that must all hold, besides {@code labels}
 */
public record SampleQuery(OptionalLong clientId, String metric, Map<String, String> labels,
                          long fromMs, long toMs, int limit, List<LabelMatcher> matchers) {

    /** Default cap on points per series. */
    public static final int DEFAULT_LIMIT = 10_000;

    public SampleQuery {
        Objects.requireNonNull(clientId, "clientId");
        SeriesKey.requireValidMetric(metric);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        matchers = matchers == null ? List.of() : List.copyOf(matchers);
        if (toMs < fromMs) {
            throw new IllegalArgumentException("time range ends (" + toMs + ") before it starts (" + fromMs + ")");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit was " + limit + " but it must be at least 1");
        }
    }

    /** A query with exact label matches only. */
    public SampleQuery(OptionalLong clientId, String metric, Map<String, String> labels, long fromMs, long toMs, int limit) {
        this(clientId, metric, labels, fromMs, toMs, limit, List.of());
    }

    /** This query with {@code matchers} instead of its label matchers. */
    public SampleQuery withMatchers(List<LabelMatcher> matchers) {
        return new SampleQuery(clientId, metric, labels, fromMs, toMs, limit, matchers);
    }

    /** Whether a series with these labels matches {@code labels} and {@code matchers} (the metric is not checked). */
    public boolean matches(Labels seriesLabels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(seriesLabels.get(e.getKey()))) {
                return false;
            }
        }
        for (LabelMatcher m : matchers) {
            if (!m.matches(seriesLabels)) {
                return false;
            }
        }
        return true;
    }

    /** All points of {@code metric} of one client in a range. */
    public static SampleQuery of(long clientId, String metric, long fromMs, long toMs) {
        return new SampleQuery(OptionalLong.of(clientId), metric, Map.of(), fromMs, toMs, DEFAULT_LIMIT);
    }
}
