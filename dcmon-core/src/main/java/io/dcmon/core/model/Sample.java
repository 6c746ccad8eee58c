package io.dcmon.core.model;

import java.util.Objects;

/**
 * One measurement: a series, a time and a value. Integral values (counters, bytes, RPM, percent) are
 * carried as {@link Long} so they are stored and shipped as integers; everything else as {@link Double}.
 * Immutable and thread-safe.
 *
 * @param series      what was measured
 * @param timestampMs when, in Unix epoch milliseconds
 * @param value       a {@link Long} or a {@link Double} (an {@link Integer} is widened to Long)
 */
public record Sample(SeriesKey series, long timestampMs, Number value) {

    public Sample {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(value, "value");
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            value = value.longValue();
        } else if (value instanceof Float) {
            value = value.doubleValue();
        } else if (!(value instanceof Long) && !(value instanceof Double)) {
            throw new IllegalArgumentException("value must be a Long or a Double but was " + value.getClass().getName());
        }
        if (timestampMs < 0) {
            throw new IllegalArgumentException("timestampMs was " + timestampMs + " but it must not be negative");
        }
    }

    /** An integral sample. */
    public static Sample of(SeriesKey series, long timestampMs, long value) {
        return new Sample(series, timestampMs, value);
    }

    /** A floating-point sample. */
    public static Sample of(SeriesKey series, long timestampMs, double value) {
        return new Sample(series, timestampMs, value);
    }

    /** True when the value is an integer ({@link Long}). */
    public boolean isIntegral() {
        return value instanceof Long;
    }

    /** The metric name, shorthand for {@code series().metric()}. */
    public String metric() {
        return series.metric();
    }

    /** The labels, shorthand for {@code series().labels()}. */
    public Labels labels() {
        return series.labels();
    }
}
