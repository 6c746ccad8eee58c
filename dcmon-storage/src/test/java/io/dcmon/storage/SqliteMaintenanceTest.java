package io.dcmon.storage;

import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retention (with an injected clock) and online backup of {@link SqliteStorage}. */
class SqliteMaintenanceTest {

    private static final long DAY = 24L * 3600 * 1000;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static List<Sample> minutely(SeriesKey key, long from, long to) {
        List<Sample> out = new ArrayList<>();
        for (long ts = from; ts < to; ts += 60_000) {
            out.add(Sample.of(key, ts, ts % 1000 + 0.5));
        }
        return out;
    }

    private static long count(SqliteStorage s, long client, String metric) {
        return s.query(new SampleQuery(OptionalLong.of(client), metric, Map.of(), 0, Long.MAX_VALUE, Integer.MAX_VALUE))
                .stream().mapToLong(d -> d.points().size()).sum();
    }

    @Test
    void retentionDeletesOldSamplesAndEmptySeriesAndTheFileShrinks() throws Exception {
        Instant now = Instant.ofEpochMilli(T0 + 10 * DAY);
        Path db = dir.resolve("r.db");
        try (SqliteStorage storage = SqliteStorage.open(StorageConfig.of(db).withClock(Clock.fixed(now, ZoneOffset.UTC)))) {
            long client = new SqliteFixture(storage).register("alpha");
            for (int s = 0; s < 10; s++) {
                storage.append(client, minutely(SeriesKey.of("kept_ratio", "n", Integer.toString(s)), T0, T0 + 10 * DAY));
            }
            SeriesKey stale = SeriesKey.of("stale_ratio");
            storage.append(client, minutely(stale, T0, T0 + DAY));
            long cutoff = now.toEpochMilli() - 7 * DAY;
            storage.append(client, List.of(Sample.of(SeriesKey.of("edge_total"), cutoff, 1L),
                    Sample.of(SeriesKey.of("edge_total"), cutoff - 1, 0L)));
            storage.close(); // checkpoint so the file holds everything before we measure it
        }
        long fileBefore = Files.size(db);
        try (SqliteStorage storage = SqliteStorage.open(StorageConfig.of(db).withClock(Clock.fixed(now, ZoneOffset.UTC)))) {
            long client = storage.list().get(0).id();
            RetentionResult r = storage.enforceRetention(Duration.ofDays(7));

            assertThat(r.seriesDeleted()).isEqualTo(1);
            assertThat(r.samplesDeleted()).isEqualTo(10L * 3 * 1440 + 1440 + 1);
            assertThat(r.bytesAfter()).isLessThan(r.bytesBefore());
            assertThat(Files.size(db)).as("the file itself shrank").isLessThan(fileBefore * 8 / 10);
            assertThat(count(storage, client, "kept_ratio")).isEqualTo(10L * 7 * 1440);
            assertThat(storage.query(new SampleQuery(OptionalLong.of(client), "kept_ratio", Map.of(), 0, Long.MAX_VALUE, 1)))
                    .allSatisfy(d -> assertThat(d.points().get(0).timestampMs()).isGreaterThanOrEqualTo(now.toEpochMilli() - 7 * DAY));
            assertThat(storage.query(SampleQuery.of(client, "edge_total", 0, Long.MAX_VALUE)).get(0).points())
                    .as("a sample stamped exactly at the cutoff stays").containsExactly(new Point(now.toEpochMilli() - 7 * DAY, 1L));
            assertThat(storage.metrics(OptionalLong.empty())).doesNotContain("stale_ratio");

            // the deleted series' cached id is gone: writing it again creates it afresh
            assertThat(storage.append(client, List.of(Sample.of(SeriesKey.of("stale_ratio"), now.toEpochMilli(), 1.0)))).isEqualTo(1);
            assertThat(storage.latest(OptionalLong.of(client), Optional.of("stale_ratio"), Map.of()))
                    .singleElement().satisfies(d -> assertThat(d.points()).containsExactly(new Point(now.toEpochMilli(), 1.0)));
            assertThat(storage.enforceRetention(Duration.ofDays(7)).samplesDeleted()).as("a second pass finds nothing").isZero();
        }
    }

    @Test
    void backupWhileIngestingGivesAConsistentCopyThatOpens() throws Exception {
        Path copy = dir.resolve("backup/copy.db");
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("live.db"))) {
            long client = new SqliteFixture(storage).register("alpha");
            storage.append(client, minutely(SeriesKey.of("before_ratio"), T0, T0 + DAY));
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Long> ingest = pool.submit(() -> {
                    long n = 0;
                    for (long ts = T0; !stop.get(); ts += 1000) {
                        n += storage.append(client, List.of(Sample.of(SeriesKey.of("during_total"), ts, n)));
                    }
                    return n;
                });
                while (count(storage, client, "during_total") < 5) {
                    Thread.sleep(5);
                }
                storage.backup(copy);
                long afterBackup = count(storage, client, "during_total");
                stop.set(true);
                long written = ingest.get(30, TimeUnit.SECONDS);
                try (SqliteStorage restored = SqliteStorage.open(copy)) {
                    assertThat(count(restored, client, "before_ratio")).isEqualTo(1440);
                    long copied = count(restored, client, "during_total");
                    assertThat(copied).isBetween(5L, afterBackup);
                    assertThat(written).isGreaterThanOrEqualTo(afterBackup);
                    List<SeriesData> back = restored.query(SampleQuery.of(client, "before_ratio", T0, T0));
                    assertThat(back.get(0).points()).containsExactly(new Point(T0, T0 % 1000 + 0.5));
                }
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
            assertThatThrownBy(() -> storage.backup(copy)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already exists");
        }
    }
}
