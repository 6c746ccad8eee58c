package io.dcmon.storage.postgres;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.SampleStore;
import io.dcmon.storage.SqliteStorage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Ingest and fleet-read figures of SQLite and PostgreSQL side by side, with the same simulated fleet: every agent
 * sends one batch of all its series per scrape, {@code --threads} agents at a time. Not a test: run it by hand
 * with the DCMON_PG_* variables set,
 * {@code mvn -q -pl dcmon-storage-postgres test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.dcmon.storage.postgres.PostgresBenchmark -Dexec.args="100 250 20 8"}
 * (agents, series per agent, scrapes, threads).
 */
public final class PostgresBenchmark {

    private PostgresBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int series = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        int scrapes = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        Path dir = Files.createTempDirectory("dcmon-bench");
        try (SqliteStorage sqlite = SqliteStorage.open(dir.resolve("bench.db"))) {
            run("sqlite", sqlite, sqlite, agents, series, scrapes, threads);
            sqlite.compact();
            System.out.printf(Locale.ROOT, "sqlite   %,d bytes after compaction%n", sqlite.databaseSizeBytes());
        }
        TestDatabase.Server server = TestDatabase.require();
        String schema = TestDatabase.freshSchema("bench");
        try (PostgresStorage pg = PostgresStorage.open(TestDatabase.config(server, dir, schema).withPoolSize(threads))) {
            run("postgres", pg, pg, agents, series, scrapes, threads);
            System.out.printf(Locale.ROOT, "postgres %,d bytes (tables and indexes)%n", pg.databaseSizeBytes());
        } finally {
            TestDatabase.drop(server, schema);
        }
    }

    private static void run(String name, ClientStore clients, SampleStore store, int agents, int series, int scrapes,
                            int threads) throws Exception {
        long t0 = 1_700_000_000_000L;
        List<Long> ids = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            ids.add(clients.upsert("host-" + a, "", "PEM", "fp-" + a, Map.of(), "th-" + a, Instant.ofEpochMilli(t0)).id());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            for (int scrape = 0; scrape < scrapes; scrape++) {
                int s = scrape;
                long ts = t0 + s * 30_000L;
                List<Future<Integer>> done = new ArrayList<>();
                for (long id : ids) {
                    done.add(pool.submit(() -> {
                        List<Sample> batch = new ArrayList<>(series);
                        for (int k = 0; k < series; k++) {
                            SeriesKey key = SeriesKey.of("metric_" + (k % 25), "i", Integer.toString(k / 25));
                            batch.add(k % 2 == 0 ? Sample.of(key, ts, (long) k * s) : Sample.of(key, ts, k * 0.5 + s));
                        }
                        return store.append(id, batch);
                    }));
                }
                for (Future<Integer> f : done) {
                    f.get();
                }
            }
        } finally {
            pool.shutdown();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long total = (long) agents * series * scrapes;
        long r0 = System.nanoTime();
        int latest = store.latest(OptionalLong.empty(), Optional.of("metric_3"), Map.of()).size();
        double latestMs = (System.nanoTime() - r0) / 1e6;
        System.out.printf(Locale.ROOT, "%-8s %d agents x %d series x %d scrapes, %d threads: %,d samples in %.1f s = %,.0f samples/s; "
                + "fleet latest(metric_3) %d series in %.0f ms%n", name, agents, series, scrapes, threads, total, secs, total / secs,
                latest, latestMs);
    }
}
