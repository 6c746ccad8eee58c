package io.dcmon.storage;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.service.OverloadedException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SqliteStorage} against the sample store contract, plus what is specific to SQLite. */
class SqliteStorageTest extends SampleStoreContract {

    private SqliteStorage storage() {
        return ((SqliteFixture) fixture).storage;
    }

    @Override
    protected StoreFixture open(Path dir) {
        return SqliteFixture.in(dir);
    }

    private String pragma(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void openMigratesTheSchemaInWalModeWithWithoutRowidSampleTables() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dcmon.db"));
             Statement st = c.createStatement()) {
            assertThat(pragma(c, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(c, "auto_vacuum")).as("incremental").isEqualTo("2");
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                    if (rs.getString(1).startsWith("samples_")) {
                        assertThat(rs.getString(2)).containsIgnoringCase("WITHOUT ROWID");
                    }
                }
            }
            assertThat(tables).contains("clients", "series", "samples_int", "samples_real", "commands", "flyway_schema_history");
            try (ResultSet rs = st.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version = '1'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
            List<String> clientColumns = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT name FROM pragma_table_info('clients')")) {
                while (rs.next()) {
                    clientColumns.add(rs.getString(1));
                }
            }
            assertThat(clientColumns).as("only the token hash is stored").contains("token_hash").doesNotContain("token");
        }
    }

    @Test
    void foreignKeysAreEnforcedOnTheWriterConnection() {
        Integer fk = storage().writer().submit(tx -> {
            try (Statement st = tx.connection().createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_keys")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(fk).isEqualTo(1);
    }

    @Test
    void samplesSurviveCloseAndReopen() {
        store.append(client, List.of(Sample.of(temp("0"), T0, 40L), Sample.of(temp("0"), T0 + 1, 40.5)));
        fixture.close();
        fixture = SqliteFixture.in(dir);
        store = fixture.samples();
        assertThat(points(client, temp("0"), 0, Long.MAX_VALUE)).hasSize(2);
        assertThat(store.append(client, List.of(Sample.of(temp("0"), T0, 40L)))).as("still idempotent after reopen").isZero();
    }

    @Test
    void nanIsStoredAsNullInTheRealTable() throws Exception {
        store.append(client, List.of(Sample.of(SeriesKey.of("ratio"), T0, Double.NaN)));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dcmon.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM samples_real WHERE value IS NULL")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void concurrentAppendsAreGroupedIntoFewerTransactions() throws Exception {
        long before = storage().writer().commits();
        int threads = 16;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SeriesKey key = SeriesKey.of("grouped_total", "t", Integer.toString(t));
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        store.append(client, List.of(Sample.of(key, T0 + i, (long) i)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long commits = storage().writer().commits() - before;
        assertThat(commits).isPositive().isLessThan(threads * perThread);
    }

    @Test
    void aFailingWriteInAGroupFailsOnlyItsOwnCaller() throws Exception {
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> blocker = pool.submit(() -> storage().writer().submit(tx -> {
                writerBusy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }));
            assertThat(writerBusy.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Integer> good = pool.submit(() -> store.append(client, List.of(Sample.of(temp("0"), T0, 1L))));
            Future<Integer> bad = pool.submit(() -> store.append(client + 1000, List.of(Sample.of(temp("0"), T0, 1L))));
            Thread.sleep(200); // let both queue behind the blocker so they share one group
            release.countDown();
            blocker.get(10, TimeUnit.SECONDS);
            assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(points(client, temp("0"), T0, T0)).hasSize(1);
    }

    @Test
    void writesAfterCloseAreRefusedWithAClearError() {
        fixture.close();
        assertThatThrownBy(() -> store.append(client, List.of(Sample.of(temp("0"), T0, 1L))))
                .isInstanceOf(StorageException.class).hasMessageContaining("closed");
        fixture = SqliteFixture.in(dir);
    }

    @Test
    void databaseSizeIsReportedInBytes() {
        assertThat(storage().databaseSizeBytes()).isPositive().isEqualTo(storage().databaseSizeBytes() / 4096 * 4096);
        store.query(SampleQuery.of(client, "x", 0, 1));
    }

    @Test
    void aFullWriteQueueRefusesAppendsAsOverloadedAndRecovers() throws Exception {
        Path file = dir.resolve("bounded.db");
        try (SqliteStorage s = SqliteStorage.open(StorageConfig.of(file).withWriteQueueCapacity(1))) {
            long id = new SqliteFixture(s).register("bounded");
            CountDownLatch writerBusy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                // hold the writer thread inside a transaction (not an append: it does not count against the bound)
                Future<Object> hold = pool.submit(() -> s.writer().submit(tx -> {
                    writerBusy.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }));
                assertThat(writerBusy.await(10, TimeUnit.SECONDS)).isTrue();
                Future<Integer> queued = pool.submit(() -> s.append(id, List.of(Sample.of(SeriesKey.of("m"), 1_000L, 1L))));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (s.writeQueueDepth() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(s.writeQueueDepth()).isEqualTo(1);
                assertThat(s.stats().writeQueueDepth()).isEqualTo(1);
                assertThat(s.stats().writeQueueCapacity()).isEqualTo(1);

                assertThatThrownBy(() -> s.append(id, List.of(Sample.of(SeriesKey.of("m"), 2_000L, 2L))))
                        .isInstanceOf(OverloadedException.class)
                        .hasMessageContaining("write queue is full (1 writes waiting)")
                        .satisfies(e -> assertThat(((OverloadedException) e).retryAfter()).isPositive());

                release.countDown();
                hold.get(10, TimeUnit.SECONDS);
                assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(s.append(id, List.of(Sample.of(SeriesKey.of("m"), 2_000L, 2L)))).isEqualTo(1);
                assertThat(s.writeQueueDepth()).isZero();
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }

    @Test
    void configuredCachesMmapAndCheckpointReachTheConnections() throws Exception {
        Path file = dir.resolve("tuned.db");
        StorageConfig config = StorageConfig.of(file).withCacheKib(4096, 1024).withMmapBytes(8L << 20)
                .withWalAutocheckpointPages(2000);
        try (SqliteStorage s = SqliteStorage.open(config)) {
            String[] seen = s.writer().submit(tx -> new String[] {pragma(tx.connection(), "cache_size"),
                    pragma(tx.connection(), "mmap_size"), pragma(tx.connection(), "wal_autocheckpoint")});
            assertThat(seen).containsExactly("-4096", Long.toString(8L << 20), "2000");
            String readerCache = s.withReader("pragma", c -> pragma(c, "cache_size"));
            assertThat(readerCache).isEqualTo("-1024");
        }
        assertThatThrownBy(() -> StorageConfig.of(file).withWriteQueueCapacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeQueueCapacity was 0");
    }

    @Test
    void latestOfMetricsForgetsSeriesThatRetentionRemoved() {
        SeriesKey old = SeriesKey.of("node_load1", "host", "old");
        SeriesKey fresh = SeriesKey.of("node_load1", "host", "fresh");
        store.append(client, List.of(Sample.of(old, 1_000L, 1L), Sample.of(fresh, 1_000_000L, 2L)));
        assertThat(storage().latestOfMetrics(java.util.Set.of("node_load1"))).hasSize(2);

        RetentionResult r = storage().deleteOlderThan(java.time.Instant.ofEpochMilli(500_000L));

        assertThat(r.seriesDeleted()).isEqualTo(1);
        assertThat(storage().latestOfMetrics(java.util.Set.of("node_load1"))).singleElement()
                .satisfies(d -> assertThat(d.series()).isEqualTo(fresh));
    }

    @Test
    void latestOfMetricsAnswersOnlyTheAskedMetricsInClientMetricLabelOrder() {
        long beta = fixture.register("beta");
        // beta registered second, so its id is larger; appended first so the write order is not the answer order
        store.append(beta, List.of(Sample.of(SeriesKey.of("node_load1"), 1_000L, 3L),
                Sample.of(SeriesKey.of("gpu_temp", "gpu", "1"), 1_000L, 50L)));
        store.append(client, List.of(Sample.of(SeriesKey.of("gpu_temp", "gpu", "1"), 1_000L, 41L),
                Sample.of(SeriesKey.of("gpu_temp", "gpu", "0"), 1_000L, 40L), Sample.of(SeriesKey.of("node_load1"), 1_000L, 1L),
                Sample.of(SeriesKey.of("a_metric"), 1_000L, 7L)));
        // every metric becomes held; a later read of fewer metrics must leave the others out
        assertThat(storage().latestOfMetrics(java.util.Set.of("gpu_temp", "node_load1", "a_metric"))).hasSize(6);
        store.append(client, List.of(Sample.of(SeriesKey.of("gpu_temp", "gpu", "0"), 2_000L, 45L)));

        List<String> answer = storage().latestOfMetrics(java.util.Set.of("node_load1", "gpu_temp")).stream()
                .map(d -> d.clientId() + " " + d.series().metric() + d.series().labels().map() + "="
                        + d.points().get(0).value())
                .toList();

        assertThat(answer).containsExactly(client + " gpu_temp{gpu=0}=45", client + " gpu_temp{gpu=1}=41",
                client + " node_load1{}=1", beta + " gpu_temp{gpu=1}=50", beta + " node_load1{}=3");
        assertThat(storage().latestOfMetrics(java.util.Set.of("a_metric"))).singleElement()
                .satisfies(d -> assertThat(d.clientId()).isEqualTo(client));
    }
}
