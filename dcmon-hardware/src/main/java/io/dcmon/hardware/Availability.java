package io.dcmon.hardware;

import java.util.Objects;

/**
 * Whether a collector can work on this machine, decided once at start: binary present, permissions,
 * hardware present. Immutable and thread-safe.
 *
 * @param available true when the collector should run
 * @param reason    why not (or a short note when available), e.g. "nvidia-smi is not installed: tried PATH (…)"
 */
public record Availability(boolean available, String reason) {

    private static final Availability YES = new Availability(true, "available");

    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    /** Available. */
    public static Availability yes() {
        return YES;
    }

    /** Available, with a note for the start-up log (e.g. "2 GPUs"). */
    public static Availability yes(String note) {
        return new Availability(true, note);
    }

    /** Not available, with the reason and what to do. */
    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
