package io.dcmon.transport.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A client's liveness as the dashboard shows it, derived from when it was last seen and the agents' push interval:
 * online within three intervals (one lost push does not flap it), stale up to ten minutes or ten intervals
 * (whichever is longer), offline after that or when it never pushed.
 */
enum ClientStatus {
    ONLINE, STALE, OFFLINE;

    /** Minimum time a silent client stays stale before it is offline. */
    static final Duration MIN_STALE = Duration.ofMinutes(10);

    static ClientStatus of(Instant lastSeen, Instant now, Duration interval) {
        if (lastSeen == null) {
            return OFFLINE;
        }
        Duration age = Duration.between(lastSeen, now);
        if (age.compareTo(interval.multipliedBy(3)) <= 0) {
            return ONLINE;
        }
        Duration stale = interval.multipliedBy(10);
        return age.compareTo(stale.compareTo(MIN_STALE) > 0 ? stale : MIN_STALE) <= 0 ? STALE : OFFLINE;
    }

    /** The wire name: {@code online}, {@code stale}, {@code offline}. */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
