package io.dcmon.core.port;

/** A store that can report its size and activity cheaply (admin statistics and health). Thread-safe. */
public interface StoreMonitor {

    /**
     * Current statistics; cheap enough to call on every {@code /api/stats} or {@code /health} request (no full scan
     * per call).
     *
     * @throws RuntimeException the store's own unchecked exception when the database cannot be read
     */
    StoreStats stats();
}
