package io.dcmon.storage;

import io.dcmon.core.port.Aggregation;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.LabelMatcher;
import io.dcmon.core.port.SampleQuery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Storage benchmark (not a unit test): a synthetic fleet through the real {@link SqliteStorage}. Run with
 * <pre>
 * mvn -q -pl dcmon-storage test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.dcmon.storage.StorageBenchmark -Dexec.args="--agents 100 --series 250 --days 1"
 * </pre>
 * Each agent pushes one batch of all its series every 30 s (timestamps jittered by a few ms), from
 * {@code --threads} pushing threads. Series cycle through five value shapes: integer temperatures (random
 * walk), 0.1-precision readings, fan RPM in 120-rpm steps, byte counters, noisy floats. Prints bytes per
 * sample as rows, after compaction and after VACUUM, ingest rate, compaction time and query latencies.
 */
public final class StorageBenchmark {

    private static final long DAY = 24L * 3600 * 1000;
    private static final long INTERVAL = 30_000;
    private static final int LABELS_PER_METRIC = 10;

    private StorageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int agents = intArg(args, "--agents", 100);
        int series = intArg(args, "--series", 250);
        double days = Double.parseDouble(arg(args, "--days", "1"));
        int threads = intArg(args, "--threads", 4);
        // from the repository root (mvn -pl) the module's target folder is one level down
        String defaultDir = Files.isDirectory(Path.of("dcmon-storage", "target")) ? "dcmon-storage/target/bench" : "target/bench";
        Path dir = Path.of(arg(args, "--dir", defaultDir));
        Files.createDirectories(dir);
        Path db = dir.resolve("bench.db");
        Files.deleteIfExists(db);
        Files.deleteIfExists(dir.resolve("bench.db-wal"));
        Files.deleteIfExists(dir.resolve("bench.db-shm"));
        Path vacuumed = dir.resolve("bench-vacuumed.db");
        Files.deleteIfExists(vacuumed);

        long span = (long) (days * DAY);
        long start = 1_700_000_000_000L / INTERVAL * INTERVAL;
        long end = start + span;
        StorageConfig config = StorageConfig.of(db).withClock(Clock.fixed(Instant.ofEpochMilli(end), ZoneOffset.UTC))
                .withMaintenanceInterval(Duration.ZERO);
        // tuning options: --writer-cache-mib, --mmap-mib, --checkpoint-pages, --series-cache (defaults: StorageConfig's)
        config = config.withSeriesCacheSize(longArg(args, "--series-cache", config.seriesCacheSize()))
                .withCacheKib(intArg(args, "--writer-cache-mib", (int) (config.writerCacheKib() / 1024)) * 1024L,
                        config.readerCacheKib())
                .withMmapBytes(intArg(args, "--mmap-mib", (int) (config.mmapBytes() >> 20)) * (1L << 20))
                .withWalAutocheckpointPages(intArg(args, "--checkpoint-pages", config.walAutocheckpointPages()));
        boolean ingestOnly = Arrays.asList(args).contains("--ingest-only");
        System.out.printf(Locale.ROOT, "storage: writer cache %d MiB, mmap %d MiB, WAL checkpoint every %d pages, series cache %d%n",
                config.writerCacheKib() / 1024, config.mmapBytes() >> 20, config.walAutocheckpointPages(), config.seriesCacheSize());
        System.out.printf(Locale.ROOT, "fleet: %d agents x %d series, %.2f days at 30 s, %d pushing threads, %d cores%n",
                agents, series, days, threads, Runtime.getRuntime().availableProcessors());
        try (SqliteStorage storage = SqliteStorage.open(config)) {
            long[] clients = new long[agents];
            for (int a = 0; a < agents; a++) {
                clients[a] = new SqliteFixture(storage).register("agent-" + a);
            }
            SeriesKey[] keys = new SeriesKey[series];
            for (int s = 0; s < series; s++) {
                keys[s] = SeriesKey.of(metric(s), "dev", Integer.toString(s / 5 % LABELS_PER_METRIC));
            }

            // ---- ingest
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long t0 = System.nanoTime();
            long total = 0;
            List<Future<Long>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    long n = 0;
                    Shape[][] shapes = new Shape[agents][series];
                    for (int a = first; a < agents; a += threads) {
                        Random rnd = new Random(a);
                        for (int s = 0; s < series; s++) {
                            shapes[a][s] = new Shape(s % 5, rnd);
                        }
                    }
                    for (long tick = start; tick < end; tick += INTERVAL) {
                        for (int a = first; a < agents; a += threads) {
                            Random rnd = new Random(tick ^ a);
                            long ts = tick + rnd.nextInt(7) - 3;
                            List<Sample> batch = new ArrayList<>(series);
                            for (int s = 0; s < series; s++) {
                                batch.add(new Sample(keys[s], ts, shapes[a][s].next(rnd)));
                            }
                            n += storage.append(clients[a], batch);
                        }
                    }
                    return n;
                }));
            }
            for (Future<Long> f : parts) {
                total += f.get();
            }
            pool.shutdown();
            double ingestS = (System.nanoTime() - t0) / 1e9;
            storage.writer().submitAutoCommit(tx -> {
                try (var st = tx.connection().createStatement()) {
                    st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
                return null;
            });
            long rowsBytes = storage.databaseSizeBytes();
            System.out.printf(Locale.ROOT, "ingest: %,d samples in %.1f s = %,.0f samples/s (%d write transactions)%n",
                    total, ingestS, total / ingestS, storage.writer().commits());
            System.out.printf(Locale.ROOT, "rows (WITHOUT ROWID, int/real tables): %,d bytes = %.2f B/sample%n",
                    rowsBytes, (double) rowsBytes / total);
            if (ingestOnly) {
                return;
            }

            // ---- baseline for the 7-day query: the same query over rows only, before compaction
            SampleQuery week = new SampleQuery(OptionalLong.of(clients[0]), metric(0), Map.of("dev", "0"),
                    Math.max(start, end - 7 * DAY), end, 1000);
            long step = Math.max(1, (week.toMs() - week.fromMs()) / 1000);
            double rowsWeekP50 = report("7-day (or whole run) single series to <=1000 points, AVG, rows only", 30, () -> {
                List<SeriesData> d = storage.query(week, step, Aggregation.AVG);
                return d.get(0).points().size();
            });

            // ---- compaction
            t0 = System.nanoTime();
            long moved = storage.compact();
            double compactS = (System.nanoTime() - t0) / 1e9;
            long compactedBytes = storage.databaseSizeBytes();
            System.out.printf(Locale.ROOT, "compaction: %,d samples into chunks in %.1f s (%,.0f samples/s); file %,d bytes = %.2f B/sample%n",
                    moved, compactS, moved / compactS, compactedBytes, (double) compactedBytes / total);
            storage.backup(vacuumed);
            long vacuumedBytes = Files.size(vacuumed);
            System.out.printf(Locale.ROOT, "after VACUUM: %,d bytes = %.2f B/sample overall (rows of the last %d h included)%n",
                    vacuumedBytes, (double) vacuumedBytes / total, config.compactAfter().toHours());
            long chunkBytes = storage.withReader("chunk size", c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT sum(length(data)), sum(n) FROM chunks")) {
                    rs.next();
                    System.out.printf(Locale.ROOT, "chunk payload: %.3f B/sample over %,d compacted samples%n",
                            rs.getDouble(1) / rs.getLong(2), rs.getLong(2));
                    long bytes = rs.getLong(1);
                    // per value shape (metric names are <shape>_<n>) and the codec modes chosen
                    Map<String, long[]> shapes = new java.util.TreeMap<>();
                    Map<Integer, Long> modes = new java.util.TreeMap<>();
                    try (var rs2 = st.executeQuery("SELECT s.metric, length(c.data), c.n "
                            + "FROM chunks c JOIN series s ON s.id = c.series_id")) {
                        while (rs2.next()) {
                            String shape = rs2.getString(1).replaceAll("_[0-9]+$", "");
                            long[] acc = shapes.computeIfAbsent(shape, k -> new long[2]);
                            acc[0] += rs2.getLong(2);
                            acc[1] += rs2.getLong(3);
                        }
                    }
                    try (var rs3 = st.executeQuery("SELECT hex(substr(data, 1, 1)), count(*) FROM chunks GROUP BY 1")) {
                        while (rs3.next()) {
                            modes.put(Integer.parseInt(rs3.getString(1), 16), rs3.getLong(2));
                        }
                    }
                    shapes.forEach((shape, acc) -> System.out.printf(Locale.ROOT, "  %-16s %.3f B/sample%n", shape, (double) acc[0] / acc[1]));
                    System.out.println("  chunks by codec mode (ChunkCodec constants): " + modes);
                    return bytes;
                }
            });
            if (chunkBytes < 0) {
                throw new IllegalStateException("negative chunk size");
            }

            // ---- queries
            double chunksWeekP50 = report("7-day (or whole run) single series to <=1000 points, AVG", 50, () -> {
                List<SeriesData> d = storage.query(week, step, Aggregation.AVG);
                return d.get(0).points().size();
            });
            System.out.printf(Locale.ROOT, "  over chunks it takes %.2fx the time over rows (baseline measured above in this run)%n",
                    chunksWeekP50 / rowsWeekP50);
            report("same, regex matcher dev=~\"0|1\" (2 series)", 30, () -> {
                List<SeriesData> d = storage.query(new SampleQuery(OptionalLong.of(clients[0]), metric(0), Map.of(),
                        week.fromMs(), week.toMs(), 1000, List.of(LabelMatcher.regex("dev", "0|1"))), step, Aggregation.AVG);
                return d.size();
            });
            report("latest value of one metric for all clients", 50,
                    () -> storage.latest(OptionalLong.empty(), Optional.of(metric(0)), Map.of()).size());
            report("latest value of every series of all clients", 5,
                    () -> storage.latest(OptionalLong.empty(), Optional.empty(), Map.of()).size());
            report("one client's last 24 h of all its series (raw points)", 10, () -> {
                int n = 0;
                for (String m : storage.metrics(OptionalLong.of(clients[0]))) {
                    for (SeriesData d : storage.query(new SampleQuery(OptionalLong.of(clients[0]), m, Map.of(),
                            end - DAY, end, SampleQuery.DEFAULT_LIMIT))) {
                        n += d.points().size();
                    }
                }
                return n;
            });
        }
    }

    private interface Query {
        int run() throws Exception;
    }

    /** Runs {@code q} once to warm up, then {@code runs} times; prints p50/p95 and returns p50 in ms. */
    private static double report(String what, int runs, Query q) throws Exception {
        q.run(); // warm-up
        long[] ns = new long[runs];
        int size = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            size = q.run();
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "query %-55s p50 %7.1f ms  p95 %7.1f ms  (%,d results, %d runs)%n", what,
                ns[runs / 2] / 1e6, ns[Math.min(runs - 1, runs * 95 / 100)] / 1e6, size, runs);
        return ns[runs / 2] / 1e6;
    }

    private static String metric(int s) {
        String[] shapes = {"temp_celsius", "reading_volts", "fan_rpm", "rx_bytes_total", "noise_ratio"};
        return shapes[s % 5] + "_" + (s / (5 * LABELS_PER_METRIC));
    }

    /** One series' value generator. */
    private static final class Shape {
        private final int kind;
        private long l;
        private double d;

        Shape(int kind, Random rnd) {
            this.kind = kind;
            this.l = kind == 2 ? 3000 + 120L * rnd.nextInt(10) : 30 + rnd.nextInt(50);
            this.d = 11.5 + rnd.nextInt(20) / 10.0;
        }

        Number next(Random rnd) {
            switch (kind) {
                case 0 -> {
                    if (rnd.nextInt(4) == 0) {
                        l = Math.max(20, Math.min(95, l + rnd.nextInt(3) - 1));
                    }
                    return l;
                }
                case 1 -> {
                    if (rnd.nextInt(3) == 0) {
                        d = Math.round((d + (rnd.nextInt(3) - 1) / 10.0) * 10) / 10.0;
                    }
                    return d;
                }
                case 2 -> {
                    if (rnd.nextInt(40) == 0) {
                        l = Math.max(1200, l + 120L * (rnd.nextInt(3) - 1));
                    }
                    return l;
                }
                case 3 -> {
                    l += 1_000_000 + rnd.nextInt(4_000_000);
                    return l;
                }
                default -> {
                    return 40 + rnd.nextGaussian() * 5;
                }
            }
        }
    }

    private static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    private static int intArg(String[] args, String name, int dflt) {
        return Integer.parseInt(arg(args, name, Integer.toString(dflt)));
    }

    private static long longArg(String[] args, String name, long dflt) {
        return Long.parseLong(arg(args, name, Long.toString(dflt)));
    }
}
