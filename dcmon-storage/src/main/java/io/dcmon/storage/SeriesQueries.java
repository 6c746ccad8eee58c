package io.dcmon.storage;

import io.dcmon.core.port.Aggregation;
import io.dcmon.core.model.ClientSeries;
import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Point;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.port.LabelMatcher;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.storage.internal.gen.tables.SamplesInt;
import io.dcmon.storage.internal.gen.tables.SamplesReal;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import static io.dcmon.storage.internal.gen.Tables.CHUNKS;
import static io.dcmon.storage.internal.gen.Tables.SAMPLES_INT;
import static io.dcmon.storage.internal.gen.Tables.SAMPLES_REAL;
import static io.dcmon.storage.internal.gen.Tables.SERIES;

/**
 * Read-side queries beyond the raw range: downsampling and rate computed in SQL per series (so a 7-day
 * chart moves ~1000 rows, not 20 000), the latest value of many series in one statement, and listings.
 */
final class SeriesQueries {

    private SeriesQueries() {
    }

    // both tables of one series in range; ?1 from, ?2 step, ?3 series, ?4 to, ?5 limit
    private static final String UNION = "SELECT ts, value FROM samples_int WHERE series_id = ?3 AND ts BETWEEN ?1 AND ?4 "
            + "UNION ALL SELECT ts, value FROM samples_real WHERE series_id = ?3 AND ts BETWEEN ?1 AND ?4";

    /** Per bucket b: (b, aux, value), aux being max(ts) for LAST and count(value) for AVG. */
    /** The SQL aggregate over a bucket's rows for {@code agg} (LAST is picked by timestamp in Java). */
    private static String aggregateSql(Aggregation agg) {
        return switch (agg) {
            case MIN -> "min(value)";
            case MAX -> "max(value)";
            case AVG -> "avg(value)";
            case LAST -> "value";
            case COUNT -> "count(*)";
        };
    }

    private static String bucketSql(Aggregation agg) {
        String select = switch (agg) {
            // SQLite: with a single max() the bare column comes from the row holding the max
            case LAST -> "SELECT (ts - ?1) / ?2 AS b, max(ts), value";
            // total() never overflows and ignores NULL (NaN), count(value) likewise
            case AVG -> "SELECT (ts - ?1) / ?2 AS b, count(value), total(value)";
            default -> "SELECT (ts - ?1) / ?2 AS b, 0, " + aggregateSql(agg);
        };
        return select + " FROM (" + UNION + ") GROUP BY b ORDER BY b DESC LIMIT ?5";
    }

    static List<SeriesData> downsample(Connection c, DSLContext dsl, Chunks chunks, SampleQuery q, long stepMs,
                                       Aggregation agg) throws SQLException {
        requireStep(stepMs);
        List<SampleTables.SeriesRow> series = matching(dsl, q.clientId(), Optional.of(q.metric()), q.labels(), q.matchers());
        List<SeriesData> out = new ArrayList<>(series.size());
        long bucketCount = (q.toMs() - q.fromMs()) / stepMs + 1;
        try (PreparedStatement ps = c.prepareStatement(bucketSql(agg))) {
            for (SampleTables.SeriesRow s : series) {
                Buckets buckets = new Buckets(bucketCount);
                ps.setLong(1, q.fromMs());
                ps.setLong(2, stepMs);
                ps.setLong(3, s.id());
                ps.setLong(4, q.toMs());
                // hot rows: the database aggregates them; with chunks in play the SQL limit could cut
                // buckets the chunks also fill, so it only applies when there are none
                boolean compacted = q.fromMs() < chunks.watermark();
                ps.setInt(5, compacted ? Integer.MAX_VALUE : q.limit());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        buckets.at(rs.getLong(1)).addSql(agg, rs.getLong(2), rs.getObject(3));
                    }
                }
                long from = q.fromMs();
                chunks.fold(c, s.id(), from, q.toMs(), new Chunks.PointSink() {
                    @Override
                    public void accept(long ts, long value) {
                        buckets.at((ts - from) / stepMs).addLong(agg, ts, value);
                    }

                    @Override
                    public void accept(long ts, double value) {
                        buckets.at((ts - from) / stepMs).addDouble(agg, ts, value);
                    }
                });
                out.add(new SeriesData(s.clientId(), s.key(), buckets.newest(q, stepMs, agg)));
            }
        }
        return out;
    }

    /**
     * The buckets of one series: an array indexed by bucket number when the range has few enough of them
     * (a chart: ~1000), else a sorted map. Empty buckets are never created, so they yield no point.
     */
    private static final class Buckets {
        private static final long MAX_ARRAY = 1 << 16;
        private final Bucket[] array;
        private final TreeMap<Long, Bucket> tree;

        Buckets(long count) {
            array = count <= MAX_ARRAY ? new Bucket[(int) count] : null;
            tree = array == null ? new TreeMap<>() : null;
        }

        Bucket at(long b) {
            if (array != null) {
                Bucket x = array[(int) b];
                if (x == null) {
                    x = new Bucket();
                    array[(int) b] = x;
                }
                return x;
            }
            return tree.computeIfAbsent(b, k -> new Bucket());
        }

        /** The newest {@code q.limit()} non-empty buckets as points at their starts, ascending. */
        List<Point> newest(SampleQuery q, long stepMs, Aggregation agg) {
            List<Point> points = new ArrayList<>();
            if (array != null) {
                for (int b = array.length - 1; b >= 0 && points.size() < q.limit(); b--) {
                    if (array[b] != null) {
                        points.add(new Point(q.fromMs() + b * stepMs, array[b].result(agg)));
                    }
                }
            } else {
                for (Map.Entry<Long, Bucket> e : tree.descendingMap().entrySet()) {
                    if (points.size() == q.limit()) {
                        break;
                    }
                    points.add(new Point(q.fromMs() + e.getKey() * stepMs, e.getValue().result(agg)));
                }
            }
            Collections.reverse(points);
            return points;
        }
    }

    /**
     * Counter rate per bucket over rows and chunks merged in time order: each increase between consecutive
     * samples (a drop counts as a reset, so the new value is the increase) goes to the bucket of the later
     * sample; the sum is divided by the step in seconds.
     */
    static List<SeriesData> rate(Connection c, DSLContext dsl, Chunks chunks, SampleQuery q, long stepMs) throws SQLException {
        requireStep(stepMs);
        List<SampleTables.SeriesRow> series = matching(dsl, q.clientId(), Optional.of(q.metric()), q.labels(), q.matchers());
        List<SeriesData> out = new ArrayList<>(series.size());
        long lookFrom = Math.max(0, q.fromMs() - stepMs);
        try (PreparedStatement ps = c.prepareStatement(SampleTables.RANGE_NEWEST_FIRST)) {
            for (SampleTables.SeriesRow s : series) {
                List<Point> raw = SampleTables.points(c, ps, chunks, s.id(), lookFrom, q.toMs(), Integer.MAX_VALUE);
                TreeMap<Long, double[]> increases = new TreeMap<>();
                for (int i = 1; i < raw.size(); i++) {
                    Point p = raw.get(i);
                    double prev = raw.get(i - 1).value().doubleValue();
                    double cur = p.value().doubleValue();
                    if (p.timestampMs() < q.fromMs() || Double.isNaN(prev) || Double.isNaN(cur)) {
                        continue;
                    }
                    double inc = cur >= prev ? cur - prev : cur;
                    increases.computeIfAbsent((p.timestampMs() - q.fromMs()) / stepMs, b -> new double[1])[0] += inc;
                }
                List<Point> points = new ArrayList<>();
                for (Map.Entry<Long, double[]> e : increases.descendingMap().entrySet()) {
                    if (points.size() == q.limit()) {
                        break;
                    }
                    points.add(new Point(q.fromMs() + e.getKey() * stepMs, e.getValue()[0] * 1000.0 / stepMs));
                }
                Collections.reverse(points);
                out.add(new SeriesData(s.clientId(), s.key(), points));
            }
        }
        return out;
    }

    private static void requireStep(long stepMs) {
        if (stepMs < 1) {
            throw new IllegalArgumentException("step was " + stepMs + " ms but it must be at least 1 ms");
        }
    }

    /**
     * The newest point of every matching series in one statement, series by client, metric, labels. The
     * newest row of each table comes from a max(ts) seek per series; the newest chunk only matters for
     * series that stopped reporting before the compaction age, and is decoded only then.
     */
    static List<SeriesData> latest(DSLContext dsl, Connection c, Chunks chunks, OptionalLong clientId,
                                   Optional<String> metric, Map<String, String> labels) throws SQLException {
        Optional<List<Condition>> where = SampleTables.seriesWhere(clientId, metric, labels);
        if (where.isEmpty()) {
            return List.of();
        }
        SamplesInt li = SAMPLES_INT.as("li");
        SamplesInt mi = SAMPLES_INT.as("mi");
        SamplesReal lr = SAMPLES_REAL.as("lr");
        SamplesReal mr = SAMPLES_REAL.as("mr");
        List<SeriesData> out = new ArrayList<>();
        var rows = dsl.select(SERIES.ID, SERIES.CLIENT_ID, SERIES.METRIC, SERIES.LABELS_JSON, li.TS, li.VALUE, lr.TS, lr.VALUE,
                        lastChunkEnd())
                .from(SERIES)
                .leftJoin(li).on(li.SERIES_ID.eq(SERIES.ID),
                        li.TS.eq(DSL.select(DSL.max(mi.TS)).from(mi).where(mi.SERIES_ID.eq(SERIES.ID))))
                .leftJoin(lr).on(lr.SERIES_ID.eq(SERIES.ID),
                        lr.TS.eq(DSL.select(DSL.max(mr.TS)).from(mr).where(mr.SERIES_ID.eq(SERIES.ID))))
                .where(where.get())
                .orderBy(SERIES.CLIENT_ID, SERIES.METRIC, SERIES.LABELS)
                .fetch();
        for (var r : rows) {
            Long ti = r.value5();
            Long tr = r.value7();
            Long chunkEnd = r.value9();
            Point p = null;
            if (ti != null && (tr == null || ti >= tr)) {
                p = new Point(ti, r.value6());
            } else if (tr != null) {
                p = new Point(tr, r.value8() == null ? Double.NaN : r.value8());
            }
            if (chunkEnd != null && (p == null || chunkEnd > p.timestampMs())) {
                List<Point> compacted = chunks.points(c, r.value1(), Chunks.windowStart(chunkEnd), chunkEnd);
                if (!compacted.isEmpty()) {
                    p = compacted.get(compacted.size() - 1);
                }
            }
            if (p != null) {
                out.add(new SeriesData(r.value2(), SampleTables.seriesKey(r.value3(), r.value4()), List.of(p)));
            }
        }
        return out;
    }

    /** The end of a series' newest chunk: an indexed max(start_ts) seek, then that window's end_ts. */
    private static Field<Long> lastChunkEnd() {
        var c = CHUNKS.as("lc");
        var m = CHUNKS.as("mc");
        return DSL.field(DSL.select(DSL.max(c.END_TS)).from(c).where(c.SERIES_ID.eq(SERIES.ID),
                c.START_TS.eq(DSL.select(DSL.max(m.START_TS)).from(m).where(m.SERIES_ID.eq(SERIES.ID)))));
    }

    /**
     * Series matching exact labels and label matchers: SQL narrows by client, metric, the exact labels and every
     * {@code =} matcher with a non-empty value (same meaning as an exact label); the rest is checked in Java on
     * the parsed labels (regexes cannot run in SQLite without a user function, and a metric's series are few).
     */
    static List<SampleTables.SeriesRow> matching(DSLContext dsl, OptionalLong clientId, Optional<String> metric,
                                                 Map<String, String> labels, List<LabelMatcher> matchers) {
        if (matchers.isEmpty()) {
            return SampleTables.findSeries(dsl, clientId, metric, labels);
        }
        Map<String, String> prefilter = new HashMap<>(labels);
        for (LabelMatcher m : matchers) {
            if (m.op() == LabelMatcher.Op.EQ && !m.value().isEmpty()) {
                prefilter.putIfAbsent(m.name(), m.value()); // a conflicting value is caught by the Java check
            }
        }
        List<SampleTables.SeriesRow> out = new ArrayList<>();
        for (SampleTables.SeriesRow s : SampleTables.findSeries(dsl, clientId, metric, prefilter)) {
            if (matchesAll(matchers, s.key().labels())) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean matchesAll(List<LabelMatcher> matchers, Labels labels) {
        for (LabelMatcher m : matchers) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    static List<ClientSeries> findSeries(DSLContext dsl, OptionalLong clientId, Optional<String> metric, List<LabelMatcher> matchers) {
        return matching(dsl, clientId, metric, Map.of(), matchers).stream().map(s -> new ClientSeries(s.clientId(), s.key())).toList();
    }

    static List<StoredSeries> series(DSLContext dsl, OptionalLong clientId, Optional<String> metric, Map<String, String> labels) {
        return SampleTables.findSeries(dsl, clientId, metric, labels).stream()
                .map(s -> new StoredSeries(s.clientId(), s.key())).toList();
    }

    static List<String> metrics(DSLContext dsl, OptionalLong clientId) {
        Condition where = clientId.isPresent() ? SERIES.CLIENT_ID.eq(clientId.getAsLong()) : DSL.noCondition();
        return dsl.selectDistinct(SERIES.METRIC).from(SERIES).where(where).orderBy(SERIES.METRIC).fetch(SERIES.METRIC);
    }

    static List<String> labelValues(DSLContext dsl, String metric, String labelName, OptionalLong clientId) {
        if (!Labels.NAME.matcher(labelName).matches()) {
            return List.of();
        }
        Field<String> value = SampleTables.labelValue(labelName);
        Condition where = SERIES.METRIC.eq(metric).and(value.isNotNull());
        if (clientId.isPresent()) {
            where = where.and(SERIES.CLIENT_ID.eq(clientId.getAsLong()));
        }
        return dsl.selectDistinct(value).from(SERIES).where(where).orderBy(value).fetch(value);
    }
}
