package io.dcmon.storage.postgres;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.Aggregation;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.storage.SqliteStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same random workload written to SQLite and to PostgreSQL gives the same answers to every read: raw
 * ranges with limits, all five aggregations at several steps, rates over counters with resets, latest values
 * and the listings. Values include large integers, NaN, +Infinity, -0.0, duplicates and late samples.
 */
class SqliteEquivalenceTest {

    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;
    SqliteStorage sqlite;
    PostgresStorage pg;
    TestDatabase.Server server;
    String schema;

    @BeforeEach
    void open() {
        server = TestDatabase.require();
        schema = TestDatabase.freshSchema("eq");
        pg = PostgresStorage.open(TestDatabase.config(server, dir, schema));
        sqlite = SqliteStorage.open(dir.resolve("same.db"));
    }

    @AfterEach
    void close() {
        if (sqlite != null) {
            sqlite.close();
        }
        if (pg != null) {
            pg.close();
            TestDatabase.drop(server, schema);
        }
    }

    /** Registers the same clients in both stores; ids agree because both start empty. */
    static List<Long> registerBoth(int n, io.dcmon.core.port.ClientStore a, io.dcmon.core.port.ClientStore b) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "host-" + i;
            long x = a.upsert(name, "m-" + i, "PEM " + i, "fp-" + i, Map.of("gpus", Integer.toString(i)), "th-" + i, Instant.ofEpochMilli(T0)).id();
            long y = b.upsert(name, "m-" + i, "PEM " + i, "fp-" + i, Map.of("gpus", Integer.toString(i)), "th-" + i, Instant.ofEpochMilli(T0)).id();
            assertThat(y).isEqualTo(x);
            ids.add(x);
        }
        return ids;
    }

    /** A seeded workload over a few hours: gauges (int and real), counters with resets, odd values, replays. */
    static List<List<Sample>> workload(long seed) {
        Random r = new Random(seed);
        List<List<Sample>> batches = new ArrayList<>();
        for (int b = 0; b < 40; b++) {
            List<Sample> batch = new ArrayList<>();
            long base = T0 + b * 300_000L;
            for (int k = 0; k < 10; k++) {
                long ts = base + k * 30_000L + r.nextInt(3);
                for (int gpu = 0; gpu < 3; gpu++) {
                    batch.add(Sample.of(SeriesKey.of("gpu_temperature_celsius", "gpu", Integer.toString(gpu)), ts, 30L + r.nextInt(60)));
                    double load = r.nextInt(20) == 0 ? Double.NaN : r.nextDouble() * 8;
                    batch.add(Sample.of(SeriesKey.of("gpu_utilization_ratio", "gpu", Integer.toString(gpu)), ts, load));
                }
                long counter = (b * 10L + k) * 1000 + r.nextInt(100);
                if (b == 17) {
                    counter = r.nextInt(50); // a reboot: the counter restarts
                }
                batch.add(Sample.of(SeriesKey.of("node_network_receive_bytes_total", "device", "eth0"), ts, counter));
                batch.add(Sample.of(SeriesKey.of("odd_values"), ts, switch (r.nextInt(6)) {
                    case 0 -> Double.POSITIVE_INFINITY;
                    // not -Inf: SQLite's total() turns +Inf + -Inf into NULL, so its AVG says 0.0 where
                    // PostgreSQL says NaN (PgQueriesTest pins PostgreSQL's answer)
                    case 1 -> -1e-300;
                    case 2 -> -0.0;
                    default -> r.nextGaussian() * 1e12;
                }));
                // large, but where a double still sums them exactly: beyond 2^53 SQLite's floating sums and
                // PostgreSQL's exact numeric sum give AVGs that differ in the last units (both are Doubles anyway)
                batch.add(Sample.of(SeriesKey.of("big_ints"), ts, r.nextBoolean() ? (1L << 50) - r.nextInt(10) : -(1L << 50) + r.nextInt(10)));
            }
            Collections.shuffle(batch, r);
            batches.add(batch);
            if (b % 7 == 3) {
                batches.add(new ArrayList<>(batch.subList(0, batch.size() / 2))); // a replayed half batch
            }
        }
        return batches;
    }

    static void writeBoth(List<Long> clients, List<List<Sample>> batches, io.dcmon.core.port.SampleStore a,
                          io.dcmon.core.port.SampleStore b) {
        int i = 0;
        for (List<Sample> batch : batches) {
            long client = clients.get(i++ % clients.size());
            assertThat(b.append(client, batch)).as("new samples of batch %d", i).isEqualTo(a.append(client, batch));
        }
    }

    @Test
    void everyReadAnswersLikeSqlite() {
        List<Long> clients = registerBoth(2, sqlite, pg);
        writeBoth(clients, workload(42), sqlite, pg);
        assertSameAnswers(sqlite, pg, clients);
    }

    /** Every read the server makes, compared between an SQLite and a PostgreSQL store. */
    static void assertSameAnswers(SqliteStorage sqlite, PostgresStorage pg, List<Long> clients) {
        List<String> metrics = sqlite.metrics(OptionalLong.empty());
        assertThat(pg.metrics(OptionalLong.empty())).isEqualTo(metrics).hasSizeGreaterThanOrEqualTo(5);
        long end = T0 + 40 * 300_000L;
        List<OptionalLong> scopes = new ArrayList<>();
        scopes.add(OptionalLong.empty());
        clients.forEach(c -> scopes.add(OptionalLong.of(c)));
        for (OptionalLong scope : scopes) {
            assertThat(pg.metrics(scope)).isEqualTo(sqlite.metrics(scope));
            assertThat(pg.series(scope, Optional.empty(), Map.of())).isEqualTo(sqlite.series(scope, Optional.empty(), Map.of()));
            assertThat(pg.labelValues("gpu_temperature_celsius", "gpu", scope))
                    .isEqualTo(sqlite.labelValues("gpu_temperature_celsius", "gpu", scope));
            SameAnswers.assertSame("latest " + scope, sqlite.latest(scope, Optional.empty(), Map.of()), pg.latest(scope, Optional.empty(), Map.of()));
            for (String metric : metrics) {
                for (Map<String, String> labels : List.of(Map.<String, String>of(), Map.of("gpu", "1"), Map.of("device", "eth0"))) {
                    for (int limit : new int[] {SampleQuery.DEFAULT_LIMIT, 7}) {
                        for (long[] range : new long[][] {{0, Long.MAX_VALUE}, {T0 + 1_234_567, end - 2_345_678}}) {
                            SampleQuery q = new SampleQuery(scope, metric, labels, range[0], range[1], limit);
                            String what = metric + labels + " " + scope + " limit " + limit + " [" + range[0] + "," + range[1] + "]";
                            SameAnswers.assertSame("raw " + what, sqlite.query(q), pg.query(q));
                            for (long step : new long[] {60_000, 3_600_000, 7_777}) {
                                if (range[0] == 0 && step < 60_000) {
                                    continue; // from 0 that step would be millions of empty buckets to compare: nothing new
                                }
                                for (Aggregation agg : Aggregation.values()) {
                                    SameAnswers.assertSame(agg + " step " + step + " " + what, sqlite.query(q, step, agg), pg.query(q, step, agg));
                                }
                                SameAnswers.assertSame("rate step " + step + " " + what, sqlite.rate(q, step), pg.rate(q, step));
                            }
                        }
                    }
                }
            }
        }
    }
}
