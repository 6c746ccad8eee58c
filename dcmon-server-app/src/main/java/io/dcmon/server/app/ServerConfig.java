package io.dcmon.server.app;

import io.dcmon.transport.server.ApiOptions;
import io.dcmon.transport.wire.FleetView;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The server's effective configuration, after the YAML file and the command-line flags.
 * Keys keep the names of the original dcmon's config (host, port, auth_dir, db_path, test_mode, use_tls,
 * metrics_days, cleanup_interval, log_level).
 *
 * @param host                   address to listen on
 * @param port                   TCP port (0 = any free port)
 * @param authDir                directory for secrets (admin token, TLS key), mode 700
 * @param dbPath                 SQLite database file
 * @param testMode               development/test mode: API docs on, plain HTTP allowed
 * @param useTls                 serve HTTPS
 * @param metricsDays            retention in days
 * @param cleanupIntervalSeconds how often retention runs
 * @param logLevel               trace, debug, info, warn or error
 * @param tlsCertFile            operator-provided PEM certificate (chain), or null to generate a self-signed one in auth_dir
 * @param tlsKeyFile             its PEM private key, or null
 * @param postgres               PostgreSQL instead of the SQLite file at db_path, or null for SQLite
 * @param thresholds             the dashboard's colour thresholds ({@code thresholds:} section): only the fields the
 *                               file names, the rest keep {@link FleetView#defaultThresholds()}; empty for all defaults
 * @param commandRedeliverAfterSeconds a delivered command without a result is offered to its agent again after this
 *                               many seconds ({@code command_redeliver_after})
 * @param prometheus             the {@code prometheus:} section (scrape endpoint, remote write), or null for neither
 * @param storageTuning          write queue bound, series-id cache and SQLite memory (null: defaults)
 */
public record ServerConfig(String host, int port, Path authDir, Path dbPath, boolean testMode, boolean useTls,
                           int metricsDays, int cleanupIntervalSeconds, String logLevel, Path tlsCertFile, Path tlsKeyFile,
                           Postgres postgres, Map<String, FleetView.Threshold> thresholds, int commandRedeliverAfterSeconds,
                           PrometheusSettings prometheus, StorageTuning storageTuning) {

    /**
     * Storage memory and back-pressure keys. The defaults keep a 100-agent server's RSS low: SQLite's memory map is
     * off (each pooled connection would map the file again into the RSS), and page caches are modest.
     *
     * @param writeQueueCapacity appends that may wait for the writer before more get 503 with Retry-After
     *                           ({@code write_queue_capacity}, default 1024)
     * @param seriesCacheSize    series ids kept in memory ({@code series_cache_size}; a miss costs one indexed read
     *                           per batch, not per series). Default 1 000 000 with SQLite: about 4 000 agents of 250
     *                           series at 32–64 bytes each, allocated only as series appear. Default
     *                           {@value #POSTGRES_SERIES_CACHE_SIZE} with PostgreSQL, whose store keeps its ids in a
     *                           Caffeine cache at several hundred bytes per entry, too much for a 128 MiB heap at 1M
     * @param sqliteCacheMib     SQLite page cache of the writer in MiB; each reader gets a quarter
     *                           ({@code sqlite_cache_mib}, default 32)
     * @param sqliteMmapMib      SQLite memory map per connection in MiB, 0 = off ({@code sqlite_mmap_mib}, default 0)
     */
    public record StorageTuning(int writeQueueCapacity, long seriesCacheSize, int sqliteCacheMib, int sqliteMmapMib) {
        public StorageTuning {
            if (writeQueueCapacity < 1) {
                throw new IllegalArgumentException("write_queue_capacity was " + writeQueueCapacity + " but it must be at least 1");
            }
            if (seriesCacheSize < 16) {
                throw new IllegalArgumentException("series_cache_size was " + seriesCacheSize + " but it must be at least 16");
            }
            if (sqliteCacheMib < 1) {
                throw new IllegalArgumentException("sqlite_cache_mib was " + sqliteCacheMib + " but it must be at least 1");
            }
            if (sqliteMmapMib < 0) {
                throw new IllegalArgumentException("sqlite_mmap_mib was " + sqliteMmapMib + " but it must be 0 (off) or more");
            }
        }

        /** Default {@code series_cache_size} when the storage is PostgreSQL and the file does not set it. */
        public static final long POSTGRES_SERIES_CACHE_SIZE = 100_000;

        /** The defaults described above (SQLite's series cache size). */
        public static StorageTuning defaults() {
            return new StorageTuning(1024, 1_000_000, 32, 0);
        }
    }

    /** Default of {@code command_redeliver_after}, in seconds. */
    public static final int DEFAULT_REDELIVER_AFTER_SECONDS = (int) ApiOptions.DEFAULT_REDELIVER_AFTER.toSeconds();

    /** The configuration without {@code thresholds} or {@code prometheus:} sections and with the default redelivery time and storage tuning. */
    public ServerConfig(String host, int port, Path authDir, Path dbPath, boolean testMode, boolean useTls,
                        int metricsDays, int cleanupIntervalSeconds, String logLevel, Path tlsCertFile, Path tlsKeyFile,
                        Postgres postgres) {
        this(host, port, authDir, dbPath, testMode, useTls, metricsDays, cleanupIntervalSeconds, logLevel, tlsCertFile,
                tlsKeyFile, postgres, Map.of(), DEFAULT_REDELIVER_AFTER_SECONDS, null, StorageTuning.defaults());
    }

    /**
     * Where a PostgreSQL store lives ({@code storage: postgres}).
     *
     * @param jdbcUrl      e.g. {@code jdbc:postgresql://db.example:5432/dcmon}
     * @param user         database user
     * @param passwordFile file holding the password (mode 600), or null for password-less local auth
     */
    public record Postgres(String jdbcUrl, String user, Path passwordFile) {
        public Postgres {
            Objects.requireNonNull(jdbcUrl, "postgres_url");
            Objects.requireNonNull(user, "postgres_user");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("postgres_url was '" + jdbcUrl + "' but it must start with jdbc:postgresql:");
            }
        }
    }

    /** Accepted log levels. */
    public static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(authDir, "auth_dir");
        Objects.requireNonNull(dbPath, "db_path");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is empty; use 127.0.0.1 for this machine only or 0.0.0.0 for all addresses");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port was " + port + " but it must be within 0..65535");
        }
        if (metricsDays < 1) {
            throw new IllegalArgumentException("metrics_days was " + metricsDays + " but it must be at least 1");
        }
        if (cleanupIntervalSeconds < 10) {
            throw new IllegalArgumentException("cleanup_interval was " + cleanupIntervalSeconds + " but it must be at least 10 (seconds)");
        }
        logLevel = logLevel == null ? "info" : logLevel.toLowerCase(Locale.ROOT);
        storageTuning = storageTuning == null ? StorageTuning.defaults() : storageTuning;
        if ((tlsCertFile == null) != (tlsKeyFile == null)) {
            throw new IllegalArgumentException("tls_cert_file and tls_key_file go together: give both (a CA-issued certificate) or neither (self-signed)");
        }
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new IllegalArgumentException("log_level was '" + logLevel + "' but it must be one of trace, debug, info, warn, error");
        }
        thresholds = thresholds == null ? Map.of() : Map.copyOf(thresholds);
        for (String field : thresholds.keySet()) {
            if (!FleetView.defaultThresholds().containsKey(field)) {
                throw new IllegalArgumentException("thresholds." + field + " is not a dashboard field; use one of "
                        + FleetView.defaultThresholds().keySet());
            }
        }
        if (commandRedeliverAfterSeconds < 30) {
            throw new IllegalArgumentException("command_redeliver_after was " + commandRedeliverAfterSeconds
                    + " but it must be at least 30 (seconds): an agent may still be running the command and reporting it");
        }
    }

    /** Production defaults: all addresses, HTTPS on 8443, data under /var/lib/dcmon-server, secrets under /etc/dcmon-server/auth. */
    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 8443, Path.of("/etc/dcmon-server/auth"), Path.of("/var/lib/dcmon-server/dcmon.db"),
                false, true, 7, 3600, "info", null, null, null);
    }

    /**
     * Development defaults: loopback only, plain HTTP on 8080, everything under {@code dataDir}, API docs on.
     */
    public static ServerConfig dev(Path dataDir) {
        return new ServerConfig("127.0.0.1", 8080, dataDir, dataDir.resolve("dcmon.db"), true, false, 7, 3600, "info", null, null, null);
    }

    /** A copy with another listen address, port and mode (the command-line flags). */
    ServerConfig with(String newHost, int newPort, boolean newTestMode, boolean newUseTls) {
        return new ServerConfig(newHost, newPort, authDir, dbPath, newTestMode, newUseTls, metricsDays, cleanupIntervalSeconds,
                logLevel, tlsCertFile, tlsKeyFile, postgres, thresholds, commandRedeliverAfterSeconds, prometheus,
                storageTuning);
    }
}
