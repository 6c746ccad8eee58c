package io.dcmon.storage;

import io.dcmon.core.port.Aggregation;
import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.LabelMatcher;
import io.dcmon.core.port.SampleQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Compaction is invisible to readers: the same data, compacted in one store and left as rows in the
 * other, answers every query alike; late samples and replays behave as without compaction.
 */
class CompactionTest {

    private static final long HOUR = 3600_000L;
    private static final long NOW = 1_700_006_400_000L; // a window boundary
    private static final String[] METRICS = {"temp_celsius", "load_ratio", "rx_bytes_total", "fan_rpm"};

    @TempDir
    Path dir;
    SqliteStorage rows;       // never compacted
    SqliteStorage compacted;  // compacted
    long clientRows;
    long clientCompacted;

    private static SqliteStorage open(Path file) {
        return SqliteStorage.open(StorageConfig.of(file).withClock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
                .withMaintenanceInterval(Duration.ZERO));
    }

    @BeforeEach
    void openBoth() {
        rows = open(dir.resolve("rows.db"));
        compacted = open(dir.resolve("compacted.db"));
        clientRows = new SqliteFixture(rows).register("alpha");
        clientCompacted = new SqliteFixture(compacted).register("alpha");
        assertThat(clientRows).isEqualTo(clientCompacted);
    }

    @AfterEach
    void closeBoth() {
        rows.close();
        compacted.close();
    }

    private void appendBoth(List<Sample> batch) {
        assertThat(compacted.append(clientCompacted, batch)).isEqualTo(rows.append(clientRows, batch));
    }

    /** A day of samples in five shapes with jitter, gaps, NaN and a few out-of-order stragglers. */
    private static List<Sample> day(Random rnd) {
        List<Sample> out = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            String metric = METRICS[s % METRICS.length];
            SeriesKey key = SeriesKey.of(metric, "dev", Integer.toString(s));
            long v = rnd.nextInt(1000);
            double d = rnd.nextInt(1000) / 10.0;
            for (long ts = NOW - 24 * HOUR; ts < NOW; ts += 30_000) {
                if (rnd.nextInt(40) == 0) {
                    continue; // a missed scrape
                }
                long t = ts + rnd.nextInt(7) - 3;
                switch (metric) {
                    case "temp_celsius" -> out.add(Sample.of(key, t, v += rnd.nextInt(3) - 1));
                    case "load_ratio" -> out.add(Sample.of(key, t, rnd.nextInt(100) == 0 ? Double.NaN
                            : (d = Math.round((d + rnd.nextGaussian()) * 10) / 10.0)));
                    case "rx_bytes_total" -> out.add(Sample.of(key, t, rnd.nextInt(300) == 0 ? (v = rnd.nextInt(100)) : (v += rnd.nextInt(5_000_000))));
                    default -> out.add(Sample.of(key, t, rnd.nextInt(20) == 0 ? (v = 3000 + 120L * rnd.nextInt(10)) : v));
                }
            }
        }
        Collections.shuffle(out.subList(0, 200), rnd);
        return out;
    }

    private void assertSameAnswers() {
        long[][] ranges = {{0, Long.MAX_VALUE}, {NOW - 24 * HOUR, NOW}, {NOW - 7 * HOUR - 123, NOW - 3 * HOUR + 77},
                {NOW - 90 * 60_000, NOW}};
        for (String metric : METRICS) {
            for (long[] range : ranges) {
                for (int limit : new int[] {SampleQuery.DEFAULT_LIMIT, 100, 1}) {
                    SampleQuery q = new SampleQuery(OptionalLong.empty(), metric, Map.of(), range[0], range[1], limit);
                    assertThat(compacted.query(q)).as("%s %s", metric, q).isEqualTo(rows.query(q));
                }
            }
            for (int r = 1; r < ranges.length; r++) {
                SampleQuery q = new SampleQuery(OptionalLong.empty(), metric, Map.of(), ranges[r][0], ranges[r][1], r == 1 ? 7 : 1000);
                for (long step : new long[] {17 * 60_000, 2 * HOUR}) {
                    for (Aggregation agg : Aggregation.values()) {
                        assertClose(compacted.query(q, step, agg), rows.query(q, step, agg), metric + " " + agg + " " + step);
                    }
                    assertClose(compacted.rate(q, step), rows.rate(q, step), metric + " rate " + step);
                }
                SampleQuery some = q.withMatchers(List.of(LabelMatcher.regex("dev", "[0-3]"), LabelMatcher.of("dev", LabelMatcher.Op.NE, "2")));
                assertClose(compacted.query(some, 17 * 60_000, Aggregation.MAX), rows.query(some, 17 * 60_000, Aggregation.MAX), metric + " matchers");
                assertThat(compacted.query(some)).as("%s matchers", metric).isEqualTo(rows.query(some));
            }
        }
        assertThat(compacted.latest(OptionalLong.empty(), Optional.empty(), Map.of()))
                .isEqualTo(rows.latest(OptionalLong.empty(), Optional.empty(), Map.of()));
    }

    /** Exact for integers; doubles within rounding (SQL and Java sum in different orders). */
    private static void assertClose(List<SeriesData> actual, List<SeriesData> expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int s = 0; s < expected.size(); s++) {
            List<Point> a = actual.get(s).points();
            List<Point> e = expected.get(s).points();
            assertThat(actual.get(s).series()).isEqualTo(expected.get(s).series());
            assertThat(a).as(what).extracting(Point::timestampMs).isEqualTo(e.stream().map(Point::timestampMs).toList());
            for (int i = 0; i < e.size(); i++) {
                Number x = a.get(i).value();
                Number y = e.get(i).value();
                assertThat(x.getClass()).as(what).isEqualTo(y.getClass());
                if (y instanceof Double dy && !dy.isNaN() && !dy.isInfinite()) {
                    assertThat(x.doubleValue()).as(what).isCloseTo(dy, within(1e-9 * Math.max(1, Math.abs(dy))));
                } else {
                    assertThat(x).as(what).isEqualTo(y);
                }
            }
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("compacted.db"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void queriesAnswerAlikeOverChunksAndRows() throws Exception {
        Random rnd = new Random(42);
        appendBoth(day(rnd));
        long moved = compacted.compact();
        assertThat(moved).isPositive();
        assertThat(count("SELECT count(*) FROM chunks")).isPositive();
        assertThat(count("SELECT count(*) FROM samples_int WHERE ts < " + (NOW - 2 * HOUR))).isZero();
        assertSameAnswers();
    }

    @Test
    void lateSamplesAndReplaysIntoCompactedWindowsAreStoredOnce() {
        Random rnd = new Random(7);
        List<Sample> data = day(rnd);
        appendBoth(data);
        compacted.compact();
        // a replay of old batches: nothing new in either store
        appendBoth(data.subList(0, 2000));
        assertThat(compacted.append(clientCompacted, data.subList(0, 500))).isZero();
        rows.append(clientRows, data.subList(0, 500));
        // late samples for compacted windows, new timestamps
        List<Sample> late = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            late.add(Sample.of(SeriesKey.of("temp_celsius", "dev", "0"), NOW - 20 * HOUR + i * 30_000L + 15_001, 1000L + i));
            late.add(Sample.of(SeriesKey.of("load_ratio", "dev", "1"), NOW - 10 * HOUR + i * 30_000L + 15_001, i / 10.0));
        }
        appendBoth(late);
        assertSameAnswers();
        // compacting again merges the late rows into their chunks and still changes nothing visible
        assertThat(compacted.compact()).isEqualTo(late.size());
        assertSameAnswers();
    }

    @Test
    void retentionOverChunksMatchesRetentionOverRows() {
        appendBoth(day(new Random(3)));
        compacted.compact();
        Instant cutoff = Instant.ofEpochMilli(NOW - 13 * HOUR - 12_345); // inside a chunk window
        RetentionResult a = compacted.deleteOlderThan(cutoff);
        RetentionResult b = rows.deleteOlderThan(cutoff);
        assertThat(a.samplesDeleted()).isEqualTo(b.samplesDeleted()).isPositive();
        assertSameAnswers();
        assertThat(compacted.query(new SampleQuery(OptionalLong.empty(), "temp_celsius", Map.of(), 0, Long.MAX_VALUE, 1_000_000)))
                .allSatisfy(d -> assertThat(d.points().get(0).timestampMs()).isGreaterThanOrEqualTo(cutoff.toEpochMilli()));
    }

    @Test
    void latestComesFromAChunkWhenASeriesStoppedReporting() {
        SeriesKey gone = SeriesKey.of("temp_celsius", "dev", "gone");
        appendBoth(List.of(Sample.of(gone, NOW - 10 * HOUR, 5L), Sample.of(gone, NOW - 9 * HOUR, 6L)));
        compacted.compact();
        assertThat(compacted.latest(OptionalLong.empty(), Optional.of("temp_celsius"), Map.of("dev", "gone")))
                .singleElement().satisfies(d -> assertThat(d.points()).containsExactly(new Point(NOW - 9 * HOUR, 6L)));
    }

    @Test
    void compactionRunsBesideIngestAndQueriesWithoutLosingOrDoublingPoints() throws Exception {
        List<Sample> data = day(new Random(11));
        compacted.append(clientCompacted, data);
        long before = total(compacted);
        SeriesKey live = SeriesKey.of("temp_celsius", "dev", "live");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Long> ingest = pool.submit(() -> {
                long n = 0;
                for (int i = 0; i < 200; i++) {
                    n += compacted.append(clientCompacted, List.of(Sample.of(live, NOW - HOUR + i * 1000L, (long) i)));
                }
                return n;
            });
            java.util.concurrent.Future<Long> reader = pool.submit(() -> {
                long violations = 0;
                while (!ingest.isDone()) {
                    long seen = total(compacted) - before;
                    if (seen < 0 || seen > 200) {
                        violations++; // a point hidden or counted twice while rows moved into chunks
                    }
                }
                return violations;
            });
            assertThat(compacted.compact()).isPositive();
            assertThat(ingest.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(reader.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        } finally {
            pool.shutdownNow();
        }
        assertThat(total(compacted)).isEqualTo(before + 200);
    }

    @Test
    void chunksOfTheFirstFormatAreReadAndRewrittenInTheNewOneWhenTouched() throws Exception {
        // a chunk blob written by the first codec (legacy-chunks-v1.txt: integer values, delta-of-delta mode)
        String line = null;
        try (var in = getClass().getResourceAsStream("/legacy-chunks-v1.txt")) {
            for (String l : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (l.startsWith("long|") && l.split("\\|")[1].contains(",")) {
                    line = l;
                    break;
                }
            }
        }
        assertThat(line).isNotNull();
        String[] f = line.split("\\|");
        long[] ts = java.util.Arrays.stream(f[1].split(",")).mapToLong(Long::parseLong).toArray();
        long[] values = java.util.Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray();
        byte[] legacy = java.util.HexFormat.of().parseHex(f[3]);
        assertThat(legacy[0]).isIn((byte) ChunkCodec.INT_DELTA, (byte) ChunkCodec.INT_DOD);
        long window = Chunks.windowStart(ts[0]);
        long now = window + 3 * Chunks.WINDOW_MS; // that window is old enough to be compacted
        Path file = dir.resolve("legacy.db");
        SeriesKey key = SeriesKey.of("temp_celsius", "dev", "legacy");
        try (SqliteStorage s = SqliteStorage.open(StorageConfig.of(file).withClock(Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC))
                .withMaintenanceInterval(Duration.ZERO))) {
            long client = new SqliteFixture(s).register("old");
            s.append(client, List.of(Sample.of(key, window - HOUR, 7L)));
            assertThat(s.compact()).isEqualTo(1);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 var ps = c.prepareStatement("INSERT INTO chunks (series_id, start_ts, kind, end_ts, n, data) "
                         + "SELECT id, ?, 0, ?, ?, ? FROM series WHERE metric = 'temp_celsius'")) {
                ps.setLong(1, window);
                ps.setLong(2, java.util.Arrays.stream(ts).max().getAsLong());
                ps.setInt(3, ts.length);
                ps.setBytes(4, legacy);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            List<Point> expected = new ArrayList<>();
            expected.add(new Point(window - HOUR, 7L));
            for (int i = 0; i < ts.length; i++) {
                expected.add(new Point(ts[i], values[i]));
            }
            expected.sort(java.util.Comparator.comparingLong(Point::timestampMs));
            SampleQuery all = new SampleQuery(OptionalLong.of(client), key.metric(), Map.of(), 0, Long.MAX_VALUE, 1000);
            assertThat(s.query(all).get(0).points()).isEqualTo(expected);
            // a late sample for that window: stored, then merged by compaction, which re-encodes the chunk
            long late = window + Chunks.WINDOW_MS - 1;
            assertThat(s.append(client, List.of(Sample.of(key, late, 99L)))).isEqualTo(1);
            assertThat(s.compact()).isEqualTo(1);
            expected.add(new Point(late, 99L));
            assertThat(s.query(all).get(0).points()).isEqualTo(expected);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT data, n FROM chunks WHERE start_ts = " + window)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)[0]).isEqualTo((byte) ChunkCodec.INT);
                assertThat(rs.getInt(2)).isEqualTo(ts.length + 1);
            }
        }
    }

    private static long total(SqliteStorage s) {
        long n = 0;
        for (String m : s.metrics(OptionalLong.empty())) {
            for (SeriesData d : s.query(new SampleQuery(OptionalLong.empty(), m, Map.of(), 0, Long.MAX_VALUE, Integer.MAX_VALUE))) {
                n += d.points().size();
            }
        }
        return n;
    }
}
