package io.dcmon.storage;

import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Storage insert of one agent's batch (254 samples, 4/5 integers, 1/5 doubles: the simulator's mix) into a real
 * SQLite file, three ways in the same run:
 * <ul>
 *   <li>{@code plainJdbcBatch} — the baseline: the same rows with a plain JDBC batch
 *       ({@code INSERT ... ON CONFLICT DO NOTHING}, one transaction) on a connection with the storage's pragmas,
 *       series ids known in advance;</li>
 *   <li>{@code appendKnownSeries} — {@link SqliteStorage#append} as the server calls it: series ids from the
 *       cache, the writer thread, the duplicate checks, the commit;</li>
 *   <li>{@code appendSeriesLookup} — the same with a 16-entry series cache, so every sample's series id is
 *       looked up in SQLite: the cost of a series-id lookup miss, as a fleet larger than the cache pays it.</li>
 * </ul>
 * Each invocation writes the next 30 s timestamp, so every row is new. Bounded: 1 fork, 3 × 2 s warm-up,
 * 5 × 2 s measured. Lives in package {@code io.dcmon.storage} (not exported API) only to share it with
 * {@link ChunkBench}; it uses public API alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class StorageBench {

    /** Series per batch, as one simulated machine sends. */
    static final int SERIES = 254;

    private Path dir;
    private SqliteStorage known;
    private SqliteStorage uncached;
    private long knownClient;
    private long uncachedClient;
    private Connection plain;
    private PreparedStatement plainInt;
    private PreparedStatement plainReal;
    private SeriesKey[] keys;
    private long[] seriesIds;
    private boolean[] integral;
    private long[] longs;
    private double[] doubles;
    private long ts = 1_800_000_000_000L;

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("dcmon-storage-bench-");
        keys = new SeriesKey[SERIES];
        integral = new boolean[SERIES];
        longs = new long[SERIES];
        doubles = new double[SERIES];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < SERIES; i++) {
            keys[i] = new SeriesKey("bench_metric_" + i / 8, Labels.of("gpu", Integer.toString(i % 8), "host", "bench"));
            integral[i] = i % 5 != 0;
            longs[i] = 40 + r.nextInt(30);
            doubles[i] = 230.0 + r.nextInt(10) / 10.0;
        }
        StorageConfig base = StorageConfig.of(dir.resolve("known.db")).withMaintenanceInterval(Duration.ZERO);
        known = SqliteStorage.open(base);
        uncached = SqliteStorage.open(StorageConfig.of(dir.resolve("uncached.db")).withMaintenanceInterval(Duration.ZERO)
                .withSeriesCacheSize(16));
        knownClient = register(known);
        uncachedClient = register(uncached);
        // create the series (first batch) so that the measured batches store samples of known series
        known.append(knownClient, batch(ts - 30_000));
        uncached.append(uncachedClient, batch(ts - 30_000));

        // the baseline: the storage's own schema, client and series rows (made through the storage, then closed),
        // written with nothing but JDBC on a connection with the storage's pragmas
        try (SqliteStorage p = SqliteStorage.open(StorageConfig.of(dir.resolve("plain.db")).withMaintenanceInterval(Duration.ZERO))) {
            p.append(register(p), batch(ts - 30_000));
        }
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        c.setCacheSize(-64 * 1024);
        c.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(256L << 20));
        c.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "4000");
        plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain.db"), c.toProperties());
        seriesIds = new long[SERIES];
        try (PreparedStatement q = plain.prepareStatement("SELECT id FROM series WHERE metric = ? AND labels = ?")) {
            for (int i = 0; i < SERIES; i++) {
                q.setString(1, keys[i].metric());
                q.setString(2, keys[i].labels().canonical());
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("series " + keys[i] + " is missing from the baseline database; has the schema changed?");
                    }
                    seriesIds[i] = rs.getLong(1);
                }
            }
        }
        plain.setAutoCommit(false);
        plainInt = plain.prepareStatement("INSERT INTO samples_int (series_id, ts, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
        plainReal = plain.prepareStatement("INSERT INTO samples_real (series_id, ts, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    }

    private static long register(SqliteStorage s) {
        return s.clients().upsert("bench", "machine-bench", "-----BEGIN PUBLIC KEY-----\nbench\n-----END PUBLIC KEY-----\n",
                "fp-bench", Map.of("cpu", "bench"), "hash-bench", Instant.ofEpochMilli(1_700_000_000_000L)).id();
    }

    private List<Sample> batch(long at) {
        List<Sample> out = new ArrayList<>(SERIES);
        for (int i = 0; i < SERIES; i++) {
            out.add(integral[i] ? Sample.of(keys[i], at, longs[i] + (at / 30_000 % 3)) : Sample.of(keys[i], at, doubles[i]));
        }
        return out;
    }

    /** Baseline: the batch's rows with a plain JDBC batch in one transaction. */
    @Benchmark
    public int plainJdbcBatch() throws SQLException {
        long at = ts += 30_000;
        for (int i = 0; i < SERIES; i++) {
            if (integral[i]) {
                plainInt.setLong(1, seriesIds[i]);
                plainInt.setLong(2, at);
                plainInt.setLong(3, longs[i] + (at / 30_000 % 3));
                plainInt.addBatch();
            } else {
                plainReal.setLong(1, seriesIds[i]);
                plainReal.setLong(2, at);
                plainReal.setDouble(3, doubles[i]);
                plainReal.addBatch();
            }
        }
        int n = plainInt.executeBatch().length + plainReal.executeBatch().length;
        plain.commit();
        return n;
    }

    /** {@code SqliteStorage.append} of the batch, every series id cached. Building the batch is included (~2 µs). */
    @Benchmark
    public int appendKnownSeries() {
        return known.append(knownClient, batch(ts += 30_000));
    }

    /** {@code SqliteStorage.append} with a 16-entry series cache: every series id is looked up in SQLite. */
    @Benchmark
    public int appendSeriesLookup() {
        return uncached.append(uncachedClient, batch(ts += 30_000));
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        plainInt.close();
        plainReal.close();
        plain.close();
        known.close();
        uncached.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
