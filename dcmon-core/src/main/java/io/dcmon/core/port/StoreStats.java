package io.dcmon.core.port;

import java.time.Instant;

/**
 * Size and activity of a store, for {@code GET /api/stats} and {@code GET /health}. Counts that would need a full
 * scan are kept as running counters or refreshed at most once a minute, so asking is cheap; each field says which.
 *
 * @param series             series stored (exact)
 * @param samples            samples stored, raw rows plus compressed ones; approximate (a count taken at most once a
 *                           minute, kept current in between by counting inserts and retention deletes)
 * @param databaseBytes      bytes the database occupies on disk (SQLite: file plus WAL; PostgreSQL: tables and indexes)
 * @param oldestSample       time of the oldest stored sample, null when there is none; refreshed at most once a minute
 * @param ingestPerSecond    samples newly stored per second, over about the last minute
 * @param writeQueueDepth    writes waiting for the store right now (SQLite: its writer queue; PostgreSQL: callers
 *                           waiting for a pooled connection)
 * @param writeQueueCapacity appends that may wait before new ones are refused as overloaded; 0 when unbounded
 */
public record StoreStats(long series, long samples, long databaseBytes, Instant oldestSample, double ingestPerSecond,
                         int writeQueueDepth, int writeQueueCapacity) {

    public StoreStats {
        if (series < 0 || samples < 0 || databaseBytes < 0 || writeQueueDepth < 0 || writeQueueCapacity < 0) {
            throw new IllegalArgumentException("store statistics must not be negative; got series=" + series + ", samples="
                    + samples + ", databaseBytes=" + databaseBytes + ", writeQueueDepth=" + writeQueueDepth
                    + ", writeQueueCapacity=" + writeQueueCapacity);
        }
        if (!(ingestPerSecond >= 0) || Double.isInfinite(ingestPerSecond)) {
            throw new IllegalArgumentException("ingestPerSecond was " + ingestPerSecond + " but it must be a finite rate >= 0");
        }
    }
}
