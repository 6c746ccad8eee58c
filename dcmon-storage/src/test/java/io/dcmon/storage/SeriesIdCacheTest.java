package io.dcmon.storage;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SeriesIdCache} on its own, and through {@link SeriesIds} and a real SQLite file when it is too small. */
class SeriesIdCacheTest {

    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static SeriesIdCache cache(long maxSize) {
        return new SeriesIdCache(maxSize, 42, 4242);
    }

    @Test
    void returnsThePutIdAndKindsAndAbsentForOtherKeys() {
        SeriesIdCache c = cache(100);
        c.put(7, "gpu_temp", "{gpu=\"0\"}", 123, SeriesIds.INT);
        long e = c.get(7, "gpu_temp", "{gpu=\"0\"}");
        assertThat(SeriesIdCache.id(e)).isEqualTo(123);
        assertThat(SeriesIdCache.kinds(e)).isEqualTo(SeriesIds.INT);
        assertThat(c.get(8, "gpu_temp", "{gpu=\"0\"}")).as("other client").isEqualTo(SeriesIdCache.ABSENT);
        assertThat(c.get(7, "gpu_temp", "{gpu=\"1\"}")).as("other labels").isEqualTo(SeriesIdCache.ABSENT);
        // the same characters split differently between metric and labels are another series
        c.put(7, "ab", "c", 1, SeriesIds.REAL);
        assertThat(c.get(7, "a", "bc")).isEqualTo(SeriesIdCache.ABSENT);
        assertThat(c.size()).isEqualTo(2);
    }

    @Test
    void putReplacesAndAddKindsOnlyWidensTheSameId() {
        SeriesIdCache c = cache(100);
        c.put(1, "m", "{}", 5, SeriesIds.INT);
        c.addKinds(1, "m", "{}", 6, SeriesIds.REAL); // another id: a stale hook must not touch the entry
        assertThat(SeriesIdCache.kinds(c.get(1, "m", "{}"))).isEqualTo(SeriesIds.INT);
        c.addKinds(1, "m", "{}", 5, SeriesIds.REAL);
        assertThat(SeriesIdCache.kinds(c.get(1, "m", "{}"))).isEqualTo(SeriesIds.BOTH);
        c.addKinds(1, "absent", "{}", 5, SeriesIds.REAL);
        assertThat(c.get(1, "absent", "{}")).as("addKinds never creates an entry").isEqualTo(SeriesIdCache.ABSENT);
        c.put(1, "m", "{}", 9, SeriesIds.REAL);
        assertThat(SeriesIdCache.id(c.get(1, "m", "{}"))).isEqualTo(9);
        assertThat(c.size()).isEqualTo(1);
        assertThatThrownBy(() -> c.put(1, "m", "{}", 0, SeriesIds.INT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysOnTheSameHomeSlotAreAllFoundAndSurviveRemovals() {
        SeriesIdCache c = cache(40);
        // first hashes whose home slot is 0 at any capacity up to 2^32: one long probe run
        for (long k = 1; k <= 40; k++) {
            c.put(k << 40, k, 1000 + k, SeriesIds.INT);
        }
        for (long k = 1; k <= 40; k++) {
            assertThat(SeriesIdCache.id(c.get(k << 40, k))).as("key %d", k).isEqualTo(1000 + k);
        }
        // full: each new key evicts one; the survivors of the run must stay reachable after the back-shifts
        for (long k = 41; k <= 60; k++) {
            c.put(k << 40, k, 1000 + k, SeriesIds.INT);
        }
        assertThat(c.size()).isEqualTo(40);
        int found = 0;
        for (long k = 1; k <= 60; k++) {
            long e = c.get(k << 40, k);
            if (e != SeriesIdCache.ABSENT) {
                assertThat(SeriesIdCache.id(e)).isEqualTo(1000 + k);
                found++;
            }
        }
        assertThat(found).isEqualTo(40);
    }

    @Test
    void aSharedFirstHashIsNotAHit() {
        SeriesIdCache c = cache(100);
        c.put(99, 1, 10, SeriesIds.INT);
        assertThat(c.get(99, 2)).isEqualTo(SeriesIdCache.ABSENT);
        c.put(99, 2, 20, SeriesIds.REAL);
        assertThat(SeriesIdCache.id(c.get(99, 1))).isEqualTo(10);
        assertThat(SeriesIdCache.id(c.get(99, 2))).isEqualTo(20);
    }

    @Test
    void growsWithTheSeriesSeenUpToTheBoundAndClearGivesTheMemoryBack() {
        SeriesIdCache c = cache(1_000_000);
        assertThat(c.capacity()).as("nothing allocated for a bound not reached").isEqualTo(64);
        for (int i = 0; i < 20_000; i++) {
            c.put(i % 100, "metric_" + (i % 7), "{dev=\"" + i + "\"}", i + 1, SeriesIds.INT);
        }
        assertThat(c.size()).isEqualTo(20_000);
        assertThat(c.capacity()).isEqualTo(32_768); // load 0.61: 24 bytes a slot, ~39 bytes per series
        for (int i = 0; i < 20_000; i++) {
            assertThat(SeriesIdCache.id(c.get(i % 100, "metric_" + (i % 7), "{dev=\"" + i + "\"}"))).isEqualTo(i + 1);
        }
        c.clear();
        assertThat(c.size()).isZero();
        assertThat(c.capacity()).isEqualTo(64);
        assertThat(c.get(0, "metric_0", "{dev=\"0\"}")).isEqualTo(SeriesIdCache.ABSENT);
    }

    @Test
    void atTheBoundTheClockEvictsEntriesNotReadSinceItsLastPass() {
        SeriesIdCache c = cache(16);
        for (int i = 1; i <= 16; i++) {
            c.put(1, "m", key(i), i, SeriesIds.INT);
        }
        // the first eviction: the hand's first pass takes every entry's insert bit, then evicts one
        c.put(1, "m", key(17), 17, SeriesIds.INT);
        List<Integer> read = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            if (c.get(1, "m", key(i)) != SeriesIdCache.ABSENT) {
                read.add(i); // a second chance
            }
        }
        assertThat(read).hasSizeGreaterThanOrEqualTo(7);
        for (int i = 18; i <= 24; i++) {
            c.put(1, "m", key(i), i, SeriesIds.INT);
        }
        assertThat(c.size()).isEqualTo(16);
        assertThat(c.maxSize()).isEqualTo(16);
        for (int i : read) {
            assertThat(c.get(1, "m", key(i))).as("read entry %d", i).isNotEqualTo(SeriesIdCache.ABSENT);
        }
        for (int i = 17; i <= 24; i++) {
            assertThat(SeriesIdCache.id(c.get(1, "m", key(i)))).as("new entry %d", i).isEqualTo(i);
        }
    }

    private static String key(int i) {
        return "{i=\"" + i + "\"}";
    }

    @Test
    void aSeriesEvictedFromATooSmallCacheIsReadBackFromTheDatabase() throws Exception {
        try (SqliteStorage storage = SqliteStorage.open(StorageConfig.of(dir.resolve("dcmon.db")).withSeriesCacheSize(16))) {
            long client = new SqliteFixture(storage).register("alpha");
            for (int round = 0; round < 3; round++) {
                List<Sample> batch = new ArrayList<>();
                for (int s = 0; s < 40; s++) {
                    batch.add(Sample.of(SeriesKey.of("m", "s", Integer.toString(s)), T0 + round * 30_000L, s * 10L + round));
                }
                assertThat(storage.append(client, batch)).isEqualTo(40);
            }
            assertThat(count(storage, "SELECT count(*) FROM series")).as("no series created twice").isEqualTo(40);
            for (int s = 0; s < 40; s += 13) {
                List<SeriesData> d = storage.query(new SampleQuery(OptionalLong.of(client), "m", Map.of("s", Integer.toString(s)),
                        T0, T0 + 60_000, 100));
                assertThat(d).hasSize(1);
                assertThat(d.get(0).points()).extracting(p -> p.value())
                        .containsExactly(s * 10L, s * 10L + 1, s * 10L + 2);
            }
        }
    }

    @Test
    void anIdCreatedInARolledBackTransactionNeverEntersTheCache() throws Exception {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("dcmon.db"))) {
            long client = new SqliteFixture(storage).register("alpha");
            SeriesIds ids = new SeriesIds(1000);
            List<Sample> ghost = List.of(Sample.of(SeriesKey.of("ghost"), T0, 1L));
            AtomicLong rolledBack = new AtomicLong();
            assertThatThrownBy(() -> storage.writer().submit(tx -> {
                rolledBack.set(ids.resolveAll(tx, client, ghost).ids()[0]);
                throw new SQLException("fails after the series row was inserted");
            })).hasMessageContaining("fails after");
            // the rolled-back id is free again: another series takes it
            long other = storage.writer().submit(tx -> ids.resolveAll(tx, client,
                    List.of(Sample.of(SeriesKey.of("other"), T0, 1L))).ids()[0]);
            assertThat(other).isEqualTo(rolledBack.get());
            long ghostId = storage.writer().submit(tx -> ids.resolveAll(tx, client, ghost).ids()[0]);
            assertThat(ghostId).isNotEqualTo(other);
            assertThat(metricOf(storage, ghostId)).isEqualTo("ghost");
        }
    }

    private static long count(SqliteStorage storage, String sql) {
        return storage.writer().submit(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static String metricOf(SqliteStorage storage, long id) {
        return storage.writer().submit(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT metric FROM series WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }
}
