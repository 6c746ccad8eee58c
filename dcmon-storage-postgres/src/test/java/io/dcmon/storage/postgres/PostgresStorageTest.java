package io.dcmon.storage.postgres;

import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.storage.RetentionResult;
import io.dcmon.storage.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What is particular to the PostgreSQL store: partitions and retention, configuration, credentials, schemas. */
class PostgresStorageTest {

    private static final long WEEK = Partitions.WIDTH_MS;
    /** The start of a partition, so the test knows which samples share one. */
    private static final long W0 = (1_700_000_000_000L / WEEK + 1) * WEEK;

    @TempDir
    Path dir;
    TestDatabase.Server server;
    final List<String> schemas = new ArrayList<>();
    final List<PostgresStorage> stores = new ArrayList<>();

    @BeforeEach
    void server() {
        server = TestDatabase.require();
    }

    @AfterEach
    void dropAll() {
        stores.forEach(PostgresStorage::close);
        schemas.forEach(s -> TestDatabase.drop(server, s));
    }

    private PostgresConfig freshConfig() {
        String schema = TestDatabase.freshSchema("st");
        schemas.add(schema);
        return TestDatabase.config(server, dir, schema);
    }

    private PostgresStorage open(PostgresConfig config) {
        PostgresStorage s = PostgresStorage.open(config);
        stores.add(s);
        return s;
    }

    private static long register(PostgresStorage s, String name) {
        return s.upsert(name, "", "PEM " + name, "fp-" + name, Map.of(), "th-" + name, Instant.ofEpochMilli(W0)).id();
    }

    private List<Long> partitionsIn(String schema) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = TestDatabase.connect(server); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT k.relname FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid "
                     + "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = k.relnamespace "
                     + "WHERE n.nspname = '" + schema + "' AND p.relname = 'samples'")) {
            while (rs.next()) {
                out.add(Long.parseLong(rs.getString(1).substring("samples_p".length())));
            }
        }
        out.sort(null);
        return out;
    }

    private static List<Point> all(PostgresStorage s, long client, SeriesKey k) {
        List<SeriesData> d = s.query(new SampleQuery(OptionalLong.of(client), k.metric(), k.labels().map(), 0, Long.MAX_VALUE, 100));
        return d.isEmpty() ? List.of() : d.get(0).points();
    }

    @Test
    void partitionsAreCreatedOnDemandAndRetentionDropsWholeOnes() throws SQLException {
        PostgresConfig config = freshConfig();
        Clock clock = Clock.fixed(Instant.ofEpochMilli(W0 + WEEK + WEEK / 2 + 7 * 24 * 3600 * 1000L), ZoneOffset.UTC);
        PostgresStorage s = open(config.withClock(clock));
        long client = register(s, "a");
        SeriesKey old = SeriesKey.of("only_in_the_first_week");
        SeriesKey temp = SeriesKey.of("gpu_temperature_celsius", "gpu", "0");
        assertThat(s.append(client, List.of(Sample.of(old, W0 + 1, 1L), Sample.of(temp, W0 + 2, 10L),
                Sample.of(temp, W0 + WEEK + 5, 11L), Sample.of(temp, W0 + WEEK + WEEK / 2 + 5, 12L),
                Sample.of(temp, W0 + 2 * WEEK + 1, 13L)))).isEqualTo(5);
        long first = W0 / WEEK;
        assertThat(partitionsIn(config.schema())).containsExactly(first, first + 1, first + 2);

        // keep one week before the clock: the cutoff lies in the middle of the second partition
        RetentionResult r = s.enforceRetention(Duration.ofDays(7));
        assertThat(r.samplesDeleted()).as("two dropped with the first partition, one deleted from the second").isEqualTo(3);
        assertThat(r.seriesDeleted()).as("the series that had samples only in the first week").isEqualTo(1);
        assertThat(r.bytesBefore()).isPositive();
        assertThat(partitionsIn(config.schema())).containsExactly(first + 1, first + 2);
        assertThat(all(s, client, temp)).extracting(Point::value).containsExactly(12L, 13L);
        assertThat(s.series(OptionalLong.empty(), Optional.of(old.metric()), Map.of())).isEmpty();

        // the removed series and the dropped week come back when written again (ids are not reused from the cache)
        assertThat(s.append(client, List.of(Sample.of(old, W0 + 3, 2L), Sample.of(temp, W0 + 4, 9L)))).isEqualTo(2);
        assertThat(all(s, client, old)).containsExactly(new Point(W0 + 3, 2L));
        assertThat(partitionsIn(config.schema())).containsExactly(first, first + 1, first + 2);
    }

    @Test
    void aStoreOpenedAgainKnowsItsPartitionsAndData() {
        PostgresConfig config = freshConfig();
        long client;
        try (PostgresStorage s = PostgresStorage.open(config)) {
            client = register(s, "a");
            s.append(client, List.of(Sample.of(SeriesKey.of("m"), W0, 1.5)));
        }
        PostgresStorage again = open(config);
        assertThat(again.append(client, List.of(Sample.of(SeriesKey.of("m"), W0, 9.0), Sample.of(SeriesKey.of("m"), W0 + 1, 2.5))))
                .isEqualTo(1);
        assertThat(all(again, client, SeriesKey.of("m"))).containsExactly(new Point(W0, 1.5), new Point(W0 + 1, 2.5));
        assertThat(again.databaseSizeBytes()).isPositive();
    }

    @Test
    void manyThreadsCreatingTheSameNewSeriesAtOnceStoreEverySampleOnce() throws Exception {
        PostgresStorage s = open(freshConfig());
        long client = register(s, "a");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                results.add(pool.submit(() -> {
                    List<Sample> batch = new ArrayList<>();
                    for (int g = 0; g < 16; g++) {
                        // the same 16 new series in every thread, each thread its own timestamp
                        batch.add(Sample.of(SeriesKey.of("gpu_power_watts", "gpu", Integer.toString(g)), W0 + me, (long) g));
                    }
                    start.await();
                    return s.append(client, batch);
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(threads * 16);
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.series(OptionalLong.of(client), Optional.of("gpu_power_watts"), Map.of())).hasSize(16);
        assertThat(s.query(new SampleQuery(OptionalLong.of(client), "gpu_power_watts", Map.of(), 0, Long.MAX_VALUE, 100)))
                .allSatisfy(d -> assertThat(d.points()).hasSize(threads));
    }

    @Test
    void storesInDifferentSchemasDoNotSeeEachOther() {
        PostgresStorage a = open(freshConfig());
        PostgresStorage b = open(freshConfig());
        register(a, "only-in-a");
        assertThat(a.list()).hasSize(1);
        assertThat(b.list()).isEmpty();
    }

    @Test
    void aWrongPasswordOrAnUnreadablePasswordFileIsReportedWithWhatToCheck() throws Exception {
        PostgresConfig good = freshConfig();
        Path wrong = dir.resolve("wrong.password");
        Files.writeString(wrong, "not-the-password\n");
        assertThatThrownBy(() -> PostgresStorage.open(new PostgresConfig(good.jdbcUrl(), good.user(), wrong, good.schema(), 1,
                10, Clock.systemUTC(), Duration.ZERO, Duration.ZERO)))
                .isInstanceOf(StorageException.class).hasMessageContaining(good.jdbcUrl()).hasMessageContaining("user " + good.user())
                .hasMessageContaining("credentials");
        Path missing = dir.resolve("missing.password");
        assertThatThrownBy(() -> PostgresStorage.open(PostgresConfig.of(good.jdbcUrl(), good.user(), missing)))
                .isInstanceOf(StorageException.class).hasMessageContaining(missing.toString());
        Path empty = Files.writeString(dir.resolve("empty.password"), "");
        assertThatThrownBy(() -> PostgresStorage.open(PostgresConfig.of(good.jdbcUrl(), good.user(), empty)))
                .isInstanceOf(StorageException.class).hasMessageContaining("is empty");
    }

    @Test
    void configRefusesWhatCannotWork() {
        Path pw = dir.resolve("pw");
        assertThatThrownBy(() -> PostgresConfig.of("jdbc:sqlite:/tmp/x.db", "dcmon", pw))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:sqlite:/tmp/x.db");
        assertThatThrownBy(() -> PostgresConfig.of("jdbc:postgresql://h/db", " ", pw)).hasMessageContaining("user");
        assertThatThrownBy(() -> PostgresConfig.of("jdbc:postgresql://h/db", "u", pw).withSchema("Robert'); DROP"))
                .hasMessageContaining("Robert'); DROP");
        assertThatThrownBy(() -> PostgresConfig.of("jdbc:postgresql://h/db", "u", pw).withPoolSize(0)).hasMessageContaining("0");
        assertThatThrownBy(() -> PostgresConfig.of("jdbc:postgresql://h/db", "u", pw).withRetention(Duration.ofDays(-1)))
                .hasMessageContaining("retention");
        assertThat(PostgresConfig.of("jdbc:postgresql://h/db", "u", pw).schema()).isEqualTo("dcmon");
    }

    @Test
    void stepsBelowOneMillisecondAreRefused() {
        PostgresStorage s = open(freshConfig());
        long client = register(s, "a");
        SampleQuery q = SampleQuery.of(client, "m", 0, 10);
        assertThatThrownBy(() -> s.rate(q, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 ms");
        assertThatThrownBy(() -> s.query(q, -5, io.dcmon.core.port.Aggregation.MAX)).hasMessageContaining("-5 ms");
    }
}
