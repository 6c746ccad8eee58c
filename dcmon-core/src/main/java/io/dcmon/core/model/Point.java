package io.dcmon.core.model;

import java.util.Objects;

/**
 * A stored value at a time, as a query returns it.
 *
 * @param timestampMs Unix epoch milliseconds
 * @param value       a {@link Long} or a {@link Double}
 */
public record Point(long timestampMs, Number value) {
    public Point {
        Objects.requireNonNull(value, "value");
    }
}
