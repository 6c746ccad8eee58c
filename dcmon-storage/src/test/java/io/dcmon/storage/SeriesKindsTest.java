package io.dcmon.storage;

import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code series.kinds} (migration V3): which series skip the other-table check on insert, and that it stays safe. */
class SeriesKindsTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final SeriesKey TEMP = SeriesKey.of("temp", "dev", "0");
    private static final SeriesKey VOLTS = SeriesKey.of("volts", "dev", "0");
    private static final SeriesKey MIXED = SeriesKey.of("mixed", "dev", "0");

    @TempDir
    Path dir;

    @Test
    void aNewSeriesGetsTheKindsOfItsFirstBatch() {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("dcmon.db"))) {
            long client = new SqliteFixture(storage).register("alpha");
            storage.append(client, List.of(Sample.of(TEMP, T0, 40L), Sample.of(VOLTS, T0, 12.1),
                    Sample.of(MIXED, T0, 1L), Sample.of(MIXED, T0 + 1, 1.5)));
            assertThat(kinds(storage, TEMP)).isEqualTo(SeriesIds.INT);
            assertThat(kinds(storage, VOLTS)).isEqualTo(SeriesIds.REAL);
            assertThat(kinds(storage, MIXED)).isEqualTo(SeriesIds.BOTH);
        }
    }

    @Test
    void aReplayThatChangedTheValueTypeAddsTheKindAndIsStillStoredOnce() {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("dcmon.db"))) {
            long client = new SqliteFixture(storage).register("alpha");
            assertThat(storage.append(client, List.of(Sample.of(TEMP, T0, 40L)))).isEqualTo(1);
            // the same instant again as a double: the series now has both kinds, so the check runs and refuses it
            assertThat(storage.append(client, List.of(Sample.of(TEMP, T0, 40.0), Sample.of(TEMP, T0 + 30_000, 41.5))))
                    .isEqualTo(1);
            assertThat(kinds(storage, TEMP)).isEqualTo(SeriesIds.BOTH);
            // and from the cache, the other way round
            assertThat(storage.append(client, List.of(Sample.of(TEMP, T0 + 30_000, 41L), Sample.of(TEMP, T0 + 60_000, 42L))))
                    .isEqualTo(1);
            assertThat(points(storage, client, TEMP)).containsExactly(
                    new Point(T0, 40L), new Point(T0 + 30_000, 41.5), new Point(T0 + 60_000, 42L));
            assertThat(count(storage, "SELECT count(*) FROM samples_int") + count(storage, "SELECT count(*) FROM samples_real"))
                    .isEqualTo(3);
        }
    }

    @Test
    void seriesCreatedBeforeV3AreMarkedWithBothKindsAndKeepTheCheck() throws Exception {
        Path file = dir.resolve("dcmon.db");
        Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null).locations("classpath:db/migration")
                .target("2").load().migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("INSERT INTO clients (id, hostname, public_key_pem, key_fingerprint, token_hash, registered_at) "
                    + "VALUES (1, 'old', 'pem', 'fp-old', 'hash-old', 0)");
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO series (id, client_id, metric, labels, labels_json) VALUES (1, 1, ?, ?, ?)")) {
                ps.setString(1, TEMP.metric());
                ps.setString(2, TEMP.labels().canonical());
                ps.setString(3, FlatJson.write(TEMP.labels().map()));
                ps.executeUpdate();
            }
            st.execute("INSERT INTO samples_int (series_id, ts, value) VALUES (1, " + T0 + ", 40)");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pragma_table_info('series') WHERE name = 'kinds'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("a V2 file has no kinds yet").isZero();
            }
        }
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            assertThat(kinds(storage, TEMP)).isEqualTo(SeriesIds.BOTH);
            assertThat(storage.append(1, List.of(Sample.of(TEMP, T0, 40.5)))).as("the instant is already stored").isZero();
            assertThat(storage.append(1, List.of(Sample.of(TEMP, T0 + 30_000, 41L)))).isEqualTo(1);
            assertThat(points(storage, 1, TEMP)).containsExactly(new Point(T0, 40L), new Point(T0 + 30_000, 41L));
        }
    }

    @Test
    void aKindAddedInARolledBackGroupIsAddedAgainWhenItsBatchIsRetriedAlone() throws Exception {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("dcmon.db"))) {
            long client = new SqliteFixture(storage).register("alpha");
            storage.append(client, List.of(Sample.of(TEMP, T0, 40L))); // cached with the integer kind only
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                CountDownLatch running = new CountDownLatch(1);
                CountDownLatch hold = new CountDownLatch(1);
                Future<?> blocker = pool.submit(() -> storage.writer().submit(tx -> {
                    running.countDown();
                    try {
                        hold.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }));
                assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
                Future<Integer> good = pool.submit(() -> storage.append(client, List.of(Sample.of(TEMP, T0 + 30_000, 41.5))));
                waitForDepth(storage, 1);
                Future<Integer> bad = pool.submit(() -> storage.append(client + 99, List.of(Sample.of(VOLTS, T0, 1.0))));
                waitForDepth(storage, 2);
                hold.countDown();   // both appends run as one group: the unknown client fails it, each is retried alone
                blocker.get(10, TimeUnit.SECONDS);
                assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(1);
                assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
            } finally {
                pool.shutdownNow();
            }
            assertThat(kinds(storage, TEMP)).as("the retry stored the new kind").isEqualTo(SeriesIds.BOTH);
            assertThat(storage.append(client, List.of(Sample.of(TEMP, T0 + 30_000, 41L)))).as("checked: already stored").isZero();
            assertThat(points(storage, client, TEMP)).containsExactly(new Point(T0, 40L), new Point(T0 + 30_000, 41.5));
        }
    }

    @Test
    void queriesReturnEachKindAsStoredAcrossTablesAndAfterReopening() {
        Path file = dir.resolve("dcmon.db");
        long client;
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            client = new SqliteFixture(storage).register("alpha");
            storage.append(client, List.of(Sample.of(TEMP, T0, 40L), Sample.of(VOLTS, T0, Double.NaN), Sample.of(MIXED, T0, 7L)));
            storage.append(client, List.of(Sample.of(TEMP, T0 + 30_000, 41L), Sample.of(VOLTS, T0 + 30_000, 12.25),
                    Sample.of(MIXED, T0 + 30_000, 7.5)));
        }
        try (SqliteStorage storage = SqliteStorage.open(file)) { // cold cache: kinds come from the table
            assertThat(storage.append(client, List.of(Sample.of(VOLTS, T0 + 30_000, 99L), Sample.of(MIXED, T0, 8.0),
                    Sample.of(VOLTS, T0 + 60_000, 12.5)))).isEqualTo(1);
            assertThat(points(storage, client, TEMP)).containsExactly(new Point(T0, 40L), new Point(T0 + 30_000, 41L));
            assertThat(points(storage, client, VOLTS)).extracting(Point::value)
                    .containsExactly(Double.NaN, 12.25, 12.5);
            assertThat(points(storage, client, MIXED)).containsExactly(new Point(T0, 7L), new Point(T0 + 30_000, 7.5));
            assertThat(kinds(storage, VOLTS)).isEqualTo(SeriesIds.BOTH);
        }
    }

    private static void waitForDepth(SqliteStorage storage, int depth) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (storage.writer().depth() != depth) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the write queue never held " + depth + " writes");
            }
            Thread.sleep(5);
        }
    }

    private static List<Point> points(SqliteStorage storage, long client, SeriesKey key) {
        List<SeriesData> d = storage.query(new SampleQuery(OptionalLong.of(client), key.metric(), key.labels().map(),
                T0 - 1, T0 + 3_600_000, 1000));
        assertThat(d).hasSize(1);
        return d.get(0).points();
    }

    private static int kinds(SqliteStorage storage, SeriesKey key) {
        return storage.writer().submit(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT kinds FROM series WHERE metric = ? AND labels = ?")) {
                ps.setString(1, key.metric());
                ps.setString(2, key.labels().canonical());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    return rs.getInt(1);
                }
            }
        });
    }

    private static long count(SqliteStorage storage, String sql) {
        return storage.writer().submit(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
