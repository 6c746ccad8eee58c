package io.dcmon.storage;

import io.dcmon.core.model.Point;
import io.dcmon.core.model.SeriesData;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

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
    private static final String UNION = "SELECT ts, value FROM samples_int WHERE series_id = ?3 AND ts BETWEEN ?6 AND ?4 "
            + "UNION ALL SELECT ts, value FROM samples_real WHERE series_id = ?3 AND ts BETWEEN ?6 AND ?4";

    private static String bucketSql(Aggregation agg) {
        String select = agg == Aggregation.LAST
                // SQLite: with a single max() the bare column comes from the row holding the max
                ? "SELECT (ts - ?1) / ?2 AS b, max(ts), value"
                : "SELECT (ts - ?1) / ?2 AS b, 0, " + agg.sql;
        return select + " FROM (" + UNION + ") GROUP BY b ORDER BY b DESC LIMIT ?5";
    }

    private static final String RATE_SQL = "SELECT (ts - ?1) / ?2 AS b, 0, "
            + "sum(CASE WHEN value >= pv THEN value - pv ELSE value END) FROM ("
            + "SELECT ts, value, lag(value) OVER (ORDER BY ts) AS pv FROM (" + UNION + ")) "
            + "WHERE pv IS NOT NULL AND ts >= ?1 GROUP BY b ORDER BY b DESC LIMIT ?5";

    static List<SeriesData> downsample(Connection c, DSLContext dsl, SampleQuery q, long stepMs, Aggregation agg)
            throws SQLException {
        return buckets(c, dsl, q, stepMs, bucketSql(agg), q.fromMs(), agg == Aggregation.AVG, 1.0);
    }

    static List<SeriesData> rate(Connection c, DSLContext dsl, SampleQuery q, long stepMs) throws SQLException {
        // look one step back so the first bucket has a previous sample to difference against
        return buckets(c, dsl, q, stepMs, RATE_SQL, Math.max(0, q.fromMs() - stepMs), true, 1000.0 / stepMs);
    }

    private static List<SeriesData> buckets(Connection c, DSLContext dsl, SampleQuery q, long stepMs, String sql,
                                            long lookFrom, boolean asDouble, double scale) throws SQLException {
        if (stepMs < 1) {
            throw new IllegalArgumentException("step was " + stepMs + " ms but it must be at least 1 ms");
        }
        List<SampleTables.SeriesRow> series = SampleTables.findSeries(dsl, q.clientId(), q.metric(), q.labels());
        List<SeriesData> out = new ArrayList<>(series.size());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (SampleTables.SeriesRow s : series) {
                ps.setLong(1, q.fromMs());
                ps.setLong(2, stepMs);
                ps.setLong(3, s.id());
                ps.setLong(4, q.toMs());
                ps.setInt(5, q.limit());
                ps.setLong(6, lookFrom);
                List<Point> points = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long bucketStart = q.fromMs() + rs.getLong(1) * stepMs;
                        points.add(new Point(bucketStart, number(rs.getObject(3), asDouble, scale)));
                    }
                }
                Collections.reverse(points);
                out.add(new SeriesData(s.clientId(), s.key(), points));
            }
        }
        return out;
    }

    private static Number number(Object o, boolean asDouble, double scale) {
        if (o == null) {
            return Double.NaN; // only NaN samples (stored as NULL) were in the bucket
        }
        Number n = (Number) o;
        if (!asDouble && (n instanceof Long || n instanceof Integer)) {
            return n.longValue();
        }
        return n.doubleValue() * scale;
    }

    /** The newest point of every matching series, one statement, series by client, metric, labels. */
    static List<SeriesData> latest(DSLContext dsl, OptionalLong clientId, Optional<String> metric, Map<String, String> labels) {
        Optional<List<Condition>> where = SampleTables.seriesWhere(clientId, metric, labels);
        if (where.isEmpty()) {
            return List.of();
        }
        SamplesInt li = SAMPLES_INT.as("li");
        SamplesInt mi = SAMPLES_INT.as("mi");
        SamplesReal lr = SAMPLES_REAL.as("lr");
        SamplesReal mr = SAMPLES_REAL.as("mr");
        List<SeriesData> out = new ArrayList<>();
        dsl.select(SERIES.CLIENT_ID, SERIES.METRIC, SERIES.LABELS_JSON, li.TS, li.VALUE, lr.TS, lr.VALUE)
                .from(SERIES)
                .leftJoin(li).on(li.SERIES_ID.eq(SERIES.ID),
                        li.TS.eq(DSL.select(DSL.max(mi.TS)).from(mi).where(mi.SERIES_ID.eq(SERIES.ID))))
                .leftJoin(lr).on(lr.SERIES_ID.eq(SERIES.ID),
                        lr.TS.eq(DSL.select(DSL.max(mr.TS)).from(mr).where(mr.SERIES_ID.eq(SERIES.ID))))
                .where(where.get())
                .orderBy(SERIES.CLIENT_ID, SERIES.METRIC, SERIES.LABELS)
                .forEach(r -> {
                    Long ti = r.value4();
                    Long tr = r.value6();
                    Point p;
                    if (ti == null && tr == null) {
                        return; // a series whose samples were all removed
                    } else if (tr == null || (ti != null && ti >= tr)) {
                        p = new Point(ti, r.value5());
                    } else {
                        p = new Point(tr, r.value7() == null ? Double.NaN : r.value7());
                    }
                    out.add(new SeriesData(r.value1(), SampleTables.seriesKey(r.value2(), r.value3()), List.of(p)));
                });
        return out;
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
        if (!io.dcmon.core.model.Labels.NAME.matcher(labelName).matches()) {
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
