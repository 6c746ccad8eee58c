package io.dcmon.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open a {@link SqliteStorage}.
 *
 * @param dbFile          the SQLite database file; created with its parent folder when missing
 * @param poolSize        reader connections (writes go through one writer connection), 1..64; default 4
 * @param busyTimeout     how long a connection waits for a lock before failing, at least 100 ms; default 5 s
 * @param seriesCacheSize most series ids kept in memory, at least 16; default 1 000 000 (about 4 000 agents of 250
 *                        series; 24 bytes a slot, allocated as series appear, so 32–64 bytes per series held)
 * @param maxWriteGroup   most queued write requests committed in one transaction, at least 1; default 256
 * @param clock           time source for what the store stamps itself (revocation, retention, compaction)
 * @param compactAfter    samples older than this are compressed into chunks; default 2 h
 * @param retention       samples older than this are deleted by the background maintenance; ZERO keeps
 *                        everything (default); the server passes {@code metrics_days}
 * @param maintenanceInterval how often the background thread compacts (and applies retention); ZERO runs
 *                        no background thread (callers then call {@link SqliteStorage#compact()}); default 10 min
 * @param writeQueueCapacity most appends waiting for the writer, at least 1; one more is refused with
 *                        {@link io.dcmon.core.service.OverloadedException} (HTTP 503) instead of queueing
 *                        without bound; other writes (commands, maintenance) always queue; default 1024
 * @param writerCacheKib  SQLite page cache of the writer connection in KiB, at least 256; default 32 MiB
 * @param readerCacheKib  SQLite page cache of each reader connection in KiB, at least 256; default 8 MiB
 * @param mmapBytes       bytes of the file each connection memory-maps (PRAGMA mmap_size), 0 = no mapping;
 *                        mapped pages count in the server's RSS once per connection; default 0
 * @param walAutocheckpointPages WAL frames after which a commit copies the WAL back into the file, at least
 *                        100; larger means fewer, cheaper-per-sample checkpoints and a larger WAL; default 16 000
 */
public record StorageConfig(Path dbFile, int poolSize, Duration busyTimeout, long seriesCacheSize,
                            int maxWriteGroup, Clock clock, Duration compactAfter, Duration retention,
                            Duration maintenanceInterval, int writeQueueCapacity, long writerCacheKib,
                            long readerCacheKib, long mmapBytes, int walAutocheckpointPages) {

    /** Default reader pool size. */
    public static final int DEFAULT_POOL_SIZE = 4;
    /** Default lock wait. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);
    /** Default series id cache size. */
    public static final long DEFAULT_SERIES_CACHE_SIZE = 1_000_000;
    /** Default write group size. */
    public static final int DEFAULT_MAX_WRITE_GROUP = 256;
    /** Default age at which samples are compressed. */
    public static final Duration DEFAULT_COMPACT_AFTER = Duration.ofHours(2);
    /** Default background maintenance period. */
    public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofMinutes(10);
    /** Default most appends waiting for the writer. */
    public static final int DEFAULT_WRITE_QUEUE_CAPACITY = 1024;
    /** Default writer page cache, KiB. */
    public static final long DEFAULT_WRITER_CACHE_KIB = 32 * 1024;
    /** Default reader page cache, KiB. */
    public static final long DEFAULT_READER_CACHE_KIB = 8 * 1024;
    /** Default memory map per connection: none. */
    public static final long DEFAULT_MMAP_BYTES = 0;
    /** Default WAL autocheckpoint, pages. */
    public static final int DEFAULT_WAL_AUTOCHECKPOINT_PAGES = 16_000;

    public StorageConfig {
        Objects.requireNonNull(dbFile, "dbFile");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(compactAfter, "compactAfter");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(maintenanceInterval, "maintenanceInterval");
        if (compactAfter.isNegative()) {
            throw new IllegalArgumentException("compactAfter was '" + compactAfter + "' but it must not be negative");
        }
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention was '" + retention + "' but it must not be negative (ZERO keeps everything)");
        }
        if (maintenanceInterval.isNegative() || (!maintenanceInterval.isZero() && maintenanceInterval.toMillis() < 1000)) {
            throw new IllegalArgumentException("maintenanceInterval was '" + maintenanceInterval
                    + "' but it must be ZERO (off) or at least PT1S");
        }
        if (poolSize < 1 || poolSize > 64) {
            throw new IllegalArgumentException("poolSize was " + poolSize + " but it must be between 1 and 64");
        }
        if (busyTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("busyTimeout was '" + busyTimeout + "' but it must be at least PT0.1S");
        }
        if (seriesCacheSize < 16) {
            throw new IllegalArgumentException("seriesCacheSize was " + seriesCacheSize + " but it must be at least 16");
        }
        if (maxWriteGroup < 1) {
            throw new IllegalArgumentException("maxWriteGroup was " + maxWriteGroup + " but it must be at least 1");
        }
        if (writeQueueCapacity < 1) {
            throw new IllegalArgumentException("writeQueueCapacity was " + writeQueueCapacity + " but it must be at least 1");
        }
        if (writerCacheKib < 256 || readerCacheKib < 256) {
            throw new IllegalArgumentException("page caches were " + writerCacheKib + " KiB (writer) and " + readerCacheKib
                    + " KiB (readers) but each must be at least 256 KiB");
        }
        if (mmapBytes < 0) {
            throw new IllegalArgumentException("mmapBytes was " + mmapBytes + " but it must be 0 (off) or positive");
        }
        if (walAutocheckpointPages < 100) {
            throw new IllegalArgumentException("walAutocheckpointPages was " + walAutocheckpointPages + " but it must be at least 100");
        }
    }

    /** Defaults for a database file. */
    public static StorageConfig of(Path dbFile) {
        return new StorageConfig(dbFile, DEFAULT_POOL_SIZE, DEFAULT_BUSY_TIMEOUT, DEFAULT_SERIES_CACHE_SIZE,
                DEFAULT_MAX_WRITE_GROUP, Clock.systemUTC(), DEFAULT_COMPACT_AFTER, Duration.ZERO,
                DEFAULT_MAINTENANCE_INTERVAL, DEFAULT_WRITE_QUEUE_CAPACITY, DEFAULT_WRITER_CACHE_KIB,
                DEFAULT_READER_CACHE_KIB, DEFAULT_MMAP_BYTES, DEFAULT_WAL_AUTOCHECKPOINT_PAGES);
    }

    /** A copy with another reader pool size. */
    public StorageConfig withPoolSize(int poolSize) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }

    /** A copy with another lock wait. */
    public StorageConfig withBusyTimeout(Duration busyTimeout) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }

    /** A copy with another series cache size. */
    public StorageConfig withSeriesCacheSize(long seriesCacheSize) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }

    /** A copy with another write group size. */
    public StorageConfig withMaxWriteGroup(int maxWriteGroup) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }

    /** A copy with another clock (tests inject a fixed or stepping one). */
    public StorageConfig withClock(Clock clock) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }

    /** A copy with another compaction age. */
    public StorageConfig withCompactAfter(Duration compactAfter) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }

    /** A copy with another retention (ZERO keeps everything). */
    public StorageConfig withRetention(Duration retention) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }

    /** A copy with another background maintenance period (ZERO: no background thread). */
    public StorageConfig withMaintenanceInterval(Duration maintenanceInterval) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }

    /** A copy with another write queue bound (appends beyond it are refused as overloaded). */
    public StorageConfig withWriteQueueCapacity(int writeQueueCapacity) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }

    /** A copy with other SQLite page cache sizes, in KiB (writer connection, each reader connection). */
    public StorageConfig withCacheKib(long writerCacheKib, long readerCacheKib) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }

    /** A copy with another per-connection memory map size (0: off). */
    public StorageConfig withMmapBytes(long mmapBytes) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }

    /** A copy with another WAL autocheckpoint size, in pages. */
    public StorageConfig withWalAutocheckpointPages(int walAutocheckpointPages) {
        return new StorageConfig(dbFile, poolSize, busyTimeout, seriesCacheSize, maxWriteGroup, clock, compactAfter, retention,
                maintenanceInterval, writeQueueCapacity, writerCacheKib, readerCacheKib, mmapBytes, walAutocheckpointPages);
    }
}
