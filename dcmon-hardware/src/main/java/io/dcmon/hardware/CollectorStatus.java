package io.dcmon.hardware;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a collector's latest run went. Immutable and thread-safe.
 *
 * @param collector   the collector's name
 * @param available   what the start-up check decided
 * @param up          true when the latest run returned samples without error
 * @param duration    how long the latest run took (up to its timeout)
 * @param lastSuccess when a run last succeeded, if ever
 * @param error       why the latest run failed (the tool's stderr is in it), or why the collector is unavailable
 */
public record CollectorStatus(String collector, boolean available, boolean up, Duration duration, Optional<Instant> lastSuccess,
                              Optional<String> error) {
    public CollectorStatus {
        Objects.requireNonNull(collector, "collector");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
        Objects.requireNonNull(error, "error");
    }
}
