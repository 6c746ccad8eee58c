package io.dcmon.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a sample measures: a Prometheus-style metric name plus its labels.
 * The client the series belongs to is not part of the key; storage scopes series by client.
 *
 * @param metric metric name matching {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, e.g. {@code node_memory_total_bytes}
 * @param labels canonical labels
 */
public record SeriesKey(String metric, Labels labels) {

    /** Prometheus metric name syntax. */
    public static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** Longest metric name, in characters. */
    public static final int MAX_METRIC_LENGTH = 200;

    public SeriesKey {
        Objects.requireNonNull(labels, "labels");
        requireValidMetric(metric);
    }

    /** A series key without labels. */
    public static SeriesKey of(String metric) {
        return new SeriesKey(metric, Labels.empty());
    }

    /** A series key from a name and alternating label names and values. */
    public static SeriesKey of(String metric, String... labelNamesAndValues) {
        return new SeriesKey(metric, Labels.of(labelNamesAndValues));
    }

    /**
     * Checks a metric name and returns it.
     *
     * @throws IllegalArgumentException naming the value and the rule it broke
     */
    public static String requireValidMetric(String metric) {
        if (metric == null || metric.isEmpty()) {
            throw new IllegalArgumentException("metric name is missing");
        }
        if (metric.length() > MAX_METRIC_LENGTH) {
            throw new IllegalArgumentException("metric name '" + Labels.truncate(metric) + "' has " + metric.length()
                    + " characters; the limit is " + MAX_METRIC_LENGTH);
        }
        if (!isMetricName(metric)) {
            throw new IllegalArgumentException("metric name '" + Labels.truncate(metric) + "' is not valid; it must match "
                    + METRIC_NAME.pattern());
        }
        return metric;
    }

    /**
     * True when {@code s} matches {@link #METRIC_NAME}; a character loop instead of the regex because every
     * ingested sample is checked (same rule, a fraction of the cost).
     */
    static boolean isMetricName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return labels.isEmpty() ? metric : metric + labels.canonical();
    }
}
