package io.dcmon.storage.postgres;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach and run the PostgreSQL store ({@code storage: postgres} in the server configuration).
 *
 * @param jdbcUrl             {@code jdbc:postgresql://host:port/database}
 * @param user                database role
 * @param passwordFile        file whose first line is the role's password; null when the server needs none
 *                            (peer or trust authentication)
 * @param schema              schema holding dcmon's tables, created when missing
 * @param poolSize            pooled connections (reads and writes share them; PostgreSQL runs them in parallel)
 * @param seriesCacheSize     series ids kept in memory
 * @param clock               stamps revocations and decides what retention removes
 * @param retention           samples older than this are removed by the background maintenance; ZERO keeps all
 * @param maintenanceInterval how often retention runs in the background; ZERO runs none
 */
public record PostgresConfig(String jdbcUrl, String user, Path passwordFile, String schema, int poolSize,
                             long seriesCacheSize, Clock clock, Duration retention, Duration maintenanceInterval) {

    /** Schema names dcmon accepts: lower-case SQL identifiers, so they need no quoting. */
    public static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PostgresConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(maintenanceInterval, "maintenanceInterval");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("JDBC URL '" + jdbcUrl + "' is not a PostgreSQL URL; write it as "
                    + "jdbc:postgresql://host:5432/database");
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("database user is empty; name the role dcmon logs in as");
        }
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema '" + schema + "' is not valid; it must match " + SCHEMA_NAME.pattern());
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size was " + poolSize + " but it must be at least 1");
        }
        if (seriesCacheSize < 0) {
            throw new IllegalArgumentException("series cache size was " + seriesCacheSize + " but it must not be negative");
        }
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention was '" + retention + "' but it must not be negative (ZERO keeps all)");
        }
        if (maintenanceInterval.isNegative()) {
            throw new IllegalArgumentException("maintenance interval was '" + maintenanceInterval
                    + "' but it must not be negative (ZERO runs none)");
        }
    }

    /**
     * Defaults: schema {@code dcmon}, 8 connections, 100 000 cached series ids, UTC clock, keep all samples,
     * maintenance every 10 minutes.
     */
    public static PostgresConfig of(String jdbcUrl, String user, Path passwordFile) {
        return new PostgresConfig(jdbcUrl, user, passwordFile, "dcmon", 8, 100_000, Clock.systemUTC(), Duration.ZERO,
                Duration.ofMinutes(10));
    }

    /** A copy using another schema. */
    public PostgresConfig withSchema(String schema) {
        return new PostgresConfig(jdbcUrl, user, passwordFile, schema, poolSize, seriesCacheSize, clock, retention, maintenanceInterval);
    }

    /** A copy with another pool size. */
    public PostgresConfig withPoolSize(int poolSize) {
        return new PostgresConfig(jdbcUrl, user, passwordFile, schema, poolSize, seriesCacheSize, clock, retention, maintenanceInterval);
    }

    /** A copy with another series id cache size. */
    public PostgresConfig withSeriesCacheSize(long seriesCacheSize) {
        return new PostgresConfig(jdbcUrl, user, passwordFile, schema, poolSize, seriesCacheSize, clock, retention, maintenanceInterval);
    }

    /** A copy with another clock. */
    public PostgresConfig withClock(Clock clock) {
        return new PostgresConfig(jdbcUrl, user, passwordFile, schema, poolSize, seriesCacheSize, clock, retention, maintenanceInterval);
    }

    /** A copy with another retention (server: {@code Duration.ofDays(metrics_days)}). */
    public PostgresConfig withRetention(Duration retention) {
        return new PostgresConfig(jdbcUrl, user, passwordFile, schema, poolSize, seriesCacheSize, clock, retention, maintenanceInterval);
    }

    /** A copy with another maintenance interval; ZERO starts no background thread. */
    public PostgresConfig withMaintenanceInterval(Duration maintenanceInterval) {
        return new PostgresConfig(jdbcUrl, user, passwordFile, schema, poolSize, seriesCacheSize, clock, retention, maintenanceInterval);
    }

    /** The password never shows in logs or exceptions: only the file's path does. */
    @Override
    public String toString() {
        return "PostgresConfig[jdbcUrl=" + jdbcUrl + ", user=" + user + ", passwordFile=" + passwordFile + ", schema=" + schema
                + ", poolSize=" + poolSize + ", retention=" + retention + "]";
    }
}
