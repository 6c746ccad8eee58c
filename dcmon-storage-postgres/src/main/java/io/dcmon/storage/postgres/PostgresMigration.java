package io.dcmon.storage.postgres;

import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.storage.StorageConfig;
import io.dcmon.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Copies a dcmon SQLite database into an empty PostgreSQL store: clients (with their key, token hash and
 * revocation, so agents keep working), commands, and every sample, compressed chunks included. Client and
 * command ids are kept. Stop the server first; the SQLite file is left as it was (a fallback).
 *
 * <pre>
 * java -cp dcmon-server.jar io.dcmon.storage.postgres.PostgresMigration \
 *      --from /var/lib/dcmon/dcmon.db --url jdbc:postgresql://db:5432/dcmon --user dcmon \
 *      --password-file /etc/dcmon/pg.password [--schema dcmon]
 * </pre>
 */
public final class PostgresMigration {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresMigration.class);
    /** Samples per append while copying. */
    private static final int BATCH = 10_000;

    private PostgresMigration() {
    }

    /**
     * What was copied.
     *
     * @param clients  client rows (revoked ones included)
     * @param commands command rows
     * @param series   series that had samples
     * @param samples  samples stored in PostgreSQL
     */
    public record Result(long clients, long commands, long series, long samples) {
    }

    /**
     * Copies {@code sqliteFile} into {@code target}, reading samples in time windows of {@code window} so memory
     * stays bounded (an hour is right for most fleets).
     *
     * @throws IllegalArgumentException when the file does not exist or {@code window} is not positive
     * @throws IllegalStateException    when the target already holds clients (migrate into an empty schema)
     */
    public static Result copy(Path sqliteFile, PostgresStorage target, Duration window) {
        Objects.requireNonNull(sqliteFile, "sqliteFile");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(window, "window");
        if (!Files.isRegularFile(sqliteFile)) {
            throw new IllegalArgumentException("SQLite database " + sqliteFile.toAbsolutePath() + " does not exist; "
                    + "name the dcmon.db of the server (its data directory)");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("copy window was '" + window + "' but it must be positive");
        }
        long existing = target.inTransaction("count clients", true, c -> count(c, "SELECT count(*) FROM clients"));
        if (existing > 0) {
            throw new IllegalStateException("the PostgreSQL schema " + target.config().schema() + " already holds " + existing
                    + " clients; migrate into an empty schema (or drop it first)");
        }
        // opening through SqliteStorage brings an older file's schema up to date and decodes compressed chunks
        try (SqliteStorage source = SqliteStorage.open(StorageConfig.of(sqliteFile).withMaintenanceInterval(Duration.ZERO))) {
            SQLiteConfig ro = new SQLiteConfig();
            ro.setReadOnly(true);
            try (Connection in = ro.createConnection("jdbc:sqlite:" + sqliteFile.toAbsolutePath())) {
                long clients = target.inTransaction("copy clients", false, out -> copyClients(in, out));
                long commands = target.inTransaction("copy commands", false, out -> copyCommands(in, out));
                long[] range = timeRange(in);
                long[] copied = range == null ? new long[2] : copySamples(source, target, in, range[0], range[1], window.toMillis());
                Result r = new Result(clients, commands, copied[0], copied[1]);
                LOG.info("migrated {} into {}: {}", sqliteFile, target.config().schema(), r);
                return r;
            }
        } catch (SQLException e) {
            throw new StorageException("migrating " + sqliteFile.toAbsolutePath() + " failed: " + e.getMessage()
                    + "; the target schema may be partly filled: drop it and run again", e);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long copyClients(Connection in, Connection out) throws SQLException {
        String cols = "id, hostname, machine_id, public_key_pem, key_fingerprint, hardware, token_hash, registered_at, last_seen, revoked_at";
        long n = copyRows(in, out, "clients", cols, 10);
        resetIdentity(out, "clients");
        return n;
    }

    private static long copyCommands(Connection in, Connection out) throws SQLException {
        String cols = "id, client_id, type, params, status, created_by, created_at, expires_at, delivered_at, finished_at, "
                + "exit_status, output, error";
        long n = copyRows(in, out, "commands", cols, 13);
        resetIdentity(out, "commands");
        return n;
    }

    /** Copies rows column by column; the schemas match column for column (text and integers only). */
    private static long copyRows(Connection in, Connection out, String table, String cols, int width) throws SQLException {
        String marks = String.join(", ", java.util.Collections.nCopies(width, "?"));
        long n = 0;
        try (Statement st = in.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + cols + " FROM " + table + " ORDER BY id");
             PreparedStatement ins = out.prepareStatement("INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ")")) {
            while (rs.next()) {
                for (int i = 1; i <= width; i++) {
                    Object v = rs.getObject(i);
                    if (v == null) {
                        ins.setNull(i, Types.NULL);
                    } else if (v instanceof Number num) {
                        ins.setLong(i, num.longValue());
                    } else {
                        ins.setString(i, v.toString());
                    }
                }
                ins.addBatch();
                if (++n % 1000 == 0) {
                    ins.executeBatch();
                }
            }
            ins.executeBatch();
        }
        return n;
    }

    /** After explicit ids, new rows must continue above the highest copied id. */
    private static void resetIdentity(Connection out, String table) throws SQLException {
        try (Statement st = out.createStatement()) {
            st.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), coalesce(max(id), 0) + 1, false) FROM " + table);
        }
    }

    /** [oldest, newest] timestamp in the SQLite file (rows and chunks), or null when there are no samples. */
    private static long[] timeRange(Connection in) throws SQLException {
        try (Statement st = in.createStatement();
             ResultSet rs = st.executeQuery("SELECT min(lo), max(hi) FROM ("
                     + "SELECT min(ts) AS lo, max(ts) AS hi FROM samples_int UNION ALL "
                     + "SELECT min(ts), max(ts) FROM samples_real UNION ALL "
                     + "SELECT min(start_ts), max(end_ts) FROM chunks)")) {
            rs.next();
            long lo = rs.getLong(1);
            if (rs.wasNull()) {
                return null;
            }
            return new long[] {lo, rs.getLong(2)};
        }
    }

    /** The oldest timestamp at or after {@code from} in rows or chunks, or -1 when there is none. */
    private static long nextTimestamp(Connection in, long from) throws SQLException {
        try (PreparedStatement ps = in.prepareStatement("SELECT min(t) FROM ("
                + "SELECT min(ts) AS t FROM samples_int WHERE ts >= ?1 UNION ALL "
                + "SELECT min(ts) FROM samples_real WHERE ts >= ?1 UNION ALL "
                + "SELECT min(start_ts) FROM chunks WHERE end_ts >= ?1)")) {
            ps.setLong(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long t = rs.getLong(1);
                return rs.wasNull() ? -1 : t;
            }
        }
    }

    /** Copies samples window by window, metric by metric; returns {series with samples, samples stored}. */
    private static long[] copySamples(SqliteStorage source, PostgresStorage target, Connection in, long from, long to,
                                      long windowMs) throws SQLException {
        List<String> metrics = source.metrics(OptionalLong.empty());
        java.util.Set<String> seenSeries = new java.util.HashSet<>();
        long stored = 0;
        for (long start = from; start <= to; ) {
            long end = Math.min(to, start > Long.MAX_VALUE - windowMs ? Long.MAX_VALUE : start + windowMs - 1);
            long before = stored + seenSeries.size();
            for (String metric : metrics) {
                List<SeriesData> data = source.query(new SampleQuery(OptionalLong.empty(), metric, Map.of(), start, end, Integer.MAX_VALUE));
                Map<Long, List<Sample>> byClient = new HashMap<>();
                for (SeriesData d : data) {
                    if (d.points().isEmpty()) {
                        continue;
                    }
                    seenSeries.add(d.clientId() + " " + d.series());
                    List<Sample> batch = byClient.computeIfAbsent(d.clientId(), k -> new ArrayList<>());
                    for (Point p : d.points()) {
                        batch.add(new Sample(d.series(), p.timestampMs(), p.value()));
                        if (batch.size() >= BATCH) {
                            stored += target.append(d.clientId(), batch);
                            batch.clear();
                        }
                    }
                }
                for (Map.Entry<Long, List<Sample>> e : byClient.entrySet()) {
                    if (!e.getValue().isEmpty()) {
                        stored += target.append(e.getKey(), e.getValue());
                    }
                }
            }
            if (end == Long.MAX_VALUE) {
                break;
            }
            start = end + 1;
            if (stored + seenSeries.size() == before && start <= to) {
                // an empty window (a gap, e.g. the server was down): jump to the next stored sample instead of
                // stepping through every empty window up to it
                long next = nextTimestamp(in, start);
                if (next < 0) {
                    break;
                }
                start = Math.max(start, next);
            }
        }
        return new long[] {seenSeries.size(), stored};
    }

    /**
     * Command line: {@code --from FILE --url JDBC_URL --user USER --password-file FILE [--schema NAME] [--window-minutes N]}.
     * Exits 0 after printing what was copied, 2 on a usage error, 1 when the copy failed.
     */
    public static void main(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                usage("argument '" + a + "' is not an option followed by a value");
                return;
            }
            opts.put(a.substring(2), args[++i]);
        }
        for (String required : List.of("from", "url", "user")) {
            if (!opts.containsKey(required)) {
                usage("--" + required + " is missing");
                return;
            }
        }
        PostgresConfig config = PostgresConfig.of(opts.get("url"), opts.get("user"),
                        opts.containsKey("password-file") ? Path.of(opts.get("password-file")) : null)
                .withSchema(opts.getOrDefault("schema", "dcmon")).withMaintenanceInterval(Duration.ZERO);
        Duration window = Duration.ofMinutes(Long.parseLong(opts.getOrDefault("window-minutes", "60")));
        try (PostgresStorage target = PostgresStorage.open(config)) {
            Result r = copy(Path.of(opts.get("from")), target, window);
            System.out.printf(java.util.Locale.ROOT, "copied %d clients, %d commands, %d series, %d samples into %s%n",
                    r.clients(), r.commands(), r.series(), r.samples(), config.schema());
        } catch (RuntimeException e) {
            System.err.println("migration failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: PostgresMigration --from dcmon.db --url jdbc:postgresql://host:5432/db --user USER "
                + "[--password-file FILE] [--schema dcmon] [--window-minutes 60]");
        System.exit(2);
    }
}
