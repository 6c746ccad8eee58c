package io.dcmon.storage;

import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static io.dcmon.storage.internal.gen.Tables.SERIES;

/**
 * The sample tables: {@code samples_int} for Long values, {@code samples_real} for Double values, both
 * {@code WITHOUT ROWID} keyed (series_id, ts). The hot insert and point reads use plain JDBC with
 * prepared statements (about 3x faster than jOOQ batches for bulk inserts); series lookups use jOOQ.
 */
final class SampleTables {

    // a (series, ts) lives in at most one of the two tables: the NOT EXISTS keeps a replay that changed
    // the value's type from storing the same instant twice; it runs only for series that have both kinds
    // (SeriesIds), a series of one kind has no row in the other table
    private static final String INSERT_INT = "INSERT INTO samples_int (series_id, ts, value) SELECT ?, ?, ? "
            + "WHERE NOT EXISTS (SELECT 1 FROM samples_real WHERE series_id = ? AND ts = ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_REAL = "INSERT INTO samples_real (series_id, ts, value) SELECT ?, ?, ? "
            + "WHERE NOT EXISTS (SELECT 1 FROM samples_int WHERE series_id = ? AND ts = ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_INT_ONE_KIND =
            "INSERT INTO samples_int (series_id, ts, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_REAL_ONE_KIND =
            "INSERT INTO samples_real (series_id, ts, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    static final String RANGE_NEWEST_FIRST =
            "SELECT ts, value, 0 AS k FROM samples_int WHERE series_id = ?1 AND ts BETWEEN ?2 AND ?3 "
            + "UNION ALL SELECT ts, value, 1 AS k FROM samples_real WHERE series_id = ?1 AND ts BETWEEN ?2 AND ?3 "
            + "ORDER BY ts DESC LIMIT ?4";

    /** A series row as queries see it. */
    record SeriesRow(long id, long clientId, SeriesKey key) {
    }

    private final SeriesIds ids;
    private final Chunks chunks;
    // writer thread only, on the writer's connection; indexed by slot(), which is also the order they run in:
    // integers first, so of an integer and a real for the same (series, ts) in one batch the integer stays
    private PreparedStatement[] inserts;

    private final LatestIndex latest;

    SampleTables(SeriesIds ids, Chunks chunks, LatestIndex latest) {
        this.ids = ids;
        this.chunks = chunks;
        this.latest = latest;
    }

    /** Inserts inside the writer's transaction; returns how many samples were new. */
    int insert(WriteQueue.Tx tx, long clientId, List<Sample> samples) throws SQLException {
        if (inserts == null) {
            Connection c = tx.connection();
            inserts = new PreparedStatement[] {c.prepareStatement(INSERT_INT_ONE_KIND), c.prepareStatement(INSERT_INT),
                    c.prepareStatement(INSERT_REAL_ONE_KIND), c.prepareStatement(INSERT_REAL)};
        }
        int[] counts = new int[inserts.length];
        for (PreparedStatement ps : inserts) {
            ps.clearBatch();
        }
        long watermark = chunks.watermark();
        Chunks.Lookup compacted = null;
        // every series of the batch at once: new ids reach the shared cache only after commit
        SeriesIds.Resolved resolved = ids.resolveAll(tx, clientId, samples);
        long[] seriesIds = resolved.ids();
        boolean[] probe = resolved.probe();
        tx.afterCommit(() -> latest.committed(clientId, samples, seriesIds));
        for (int i = 0; i < seriesIds.length; i++) {
            Sample s = samples.get(i);
            long id = seriesIds[i];
            long ts = s.timestampMs();
            if (ts < watermark) {
                // a late sample for a period that may already be compacted: stored once, like any other
                if (compacted == null) {
                    compacted = new Chunks.Lookup();
                }
                if (compacted.contains(tx.connection(), id, ts)) {
                    continue;
                }
            }
            boolean integer = s.value() instanceof Long;
            int slot = slot(integer, probe[i]);
            PreparedStatement ps = inserts[slot];
            bindKey(ps, id, ts, probe[i]);
            if (integer) {
                ps.setLong(3, s.value().longValue());
            } else if (Double.isNaN(s.value().doubleValue())) {
                ps.setNull(3, Types.DOUBLE); // SQLite would store NULL anyway; say it explicitly
            } else {
                ps.setDouble(3, s.value().doubleValue());
            }
            ps.addBatch();
            counts[slot]++;
        }
        int added = 0;
        for (int k = 0; k < inserts.length; k++) {
            if (counts[k] > 0) {
                added += sum(inserts[k].executeBatch());
            }
        }
        return added;
    }

    /** The statement for a sample: integer before real, and within each the one that skips the other table first. */
    private static int slot(boolean integer, boolean probe) {
        return (integer ? 0 : 2) + (probe ? 1 : 0);
    }

    private static void bindKey(PreparedStatement ps, long id, long ts, boolean probe) throws SQLException {
        ps.setLong(1, id);
        ps.setLong(2, ts);
        if (probe) {
            ps.setLong(4, id);
            ps.setLong(5, ts);
        }
    }

    private static int sum(int[] counts) {
        int n = 0;
        for (int c : counts) {
            n += Math.max(c, 0);
        }
        return n;
    }

    /** The series of one metric matching exact labels, optionally of one client, by client then labels. */
    static List<SeriesRow> findSeries(DSLContext dsl, OptionalLong clientId, String metric, Map<String, String> labels) {
        return findSeries(dsl, clientId, Optional.of(metric), labels);
    }

    /** Series matching the filters (metric optional), by client, metric, then labels. */
    static List<SeriesRow> findSeries(DSLContext dsl, OptionalLong clientId, Optional<String> metric,
                                      Map<String, String> labels) {
        Optional<List<Condition>> where = seriesWhere(clientId, metric, labels);
        if (where.isEmpty()) {
            return List.of();
        }
        List<SeriesRow> out = new ArrayList<>();
        dsl.select(SERIES.ID, SERIES.CLIENT_ID, SERIES.METRIC, SERIES.LABELS_JSON).from(SERIES).where(where.get())
                .orderBy(SERIES.CLIENT_ID, SERIES.METRIC, SERIES.LABELS)
                .forEach(r -> out.add(new SeriesRow(r.value1(), r.value2(), seriesKey(r.value3(), r.value4()))));
        return out;
    }

    static SeriesKey seriesKey(String metric, String labelsJson) {
        return new SeriesKey(metric, new Labels(FlatJson.readSorted(labelsJson)));
    }

    /** Conditions on {@code series}; empty when nothing can match (an invalid label name). */
    static Optional<List<Condition>> seriesWhere(OptionalLong clientId, Optional<String> metric, Map<String, String> labels) {
        List<Condition> where = new ArrayList<>();
        metric.ifPresent(m -> where.add(SERIES.METRIC.eq(m)));
        clientId.ifPresent(id -> where.add(SERIES.CLIENT_ID.eq(id)));
        for (Map.Entry<String, String> m : labels.entrySet()) {
            if (!Labels.NAME.matcher(m.getKey()).matches()) {
                return Optional.empty(); // no stored series can carry an invalid label name
            }
            where.add(labelValue(m.getKey()).eq(m.getValue()));
        }
        return Optional.of(where);
    }

    /** The value of one label, NULL when the series lacks it; exact text, so "1" never matches "10". */
    static Field<String> labelValue(String name) {
        return DSL.field("json_extract({0}, {1})", String.class, SERIES.LABELS_JSON, DSL.inline("$.\"" + name + "\""));
    }

    /** Matching series with their points in range, newest {@code limit} kept per series, ascending. */
    static List<SeriesData> query(Connection c, DSLContext dsl, Chunks chunks, SampleQuery q) throws SQLException {
        List<SeriesRow> series = SeriesQueries.matching(dsl, q.clientId(), Optional.of(q.metric()), q.labels(), q.matchers());
        List<SeriesData> out = new ArrayList<>(series.size());
        try (PreparedStatement ps = c.prepareStatement(RANGE_NEWEST_FIRST)) {
            for (SeriesRow s : series) {
                out.add(new SeriesData(s.clientId(), s.key(), points(c, ps, chunks, s.id(), q.fromMs(), q.toMs(), q.limit())));
            }
        }
        return out;
    }

    /** Rows and chunk points of one series in [from, to], the newest {@code limit}, ascending. */
    static List<Point> points(Connection c, PreparedStatement rangeNewestFirst, Chunks chunks, long seriesId,
                              long from, long to, int limit) throws SQLException {
        List<Point> rows = readNewestFirst(rangeNewestFirst, seriesId, from, to, limit);
        Collections.reverse(rows);
        List<Point> compacted = chunks.points(c, seriesId, from, to);
        if (compacted.isEmpty()) {
            return rows;
        }
        // chunks hold older windows, late rows may interleave: merge by time (no ts is in both)
        List<Point> all = new ArrayList<>(rows.size() + compacted.size());
        all.addAll(compacted);
        all.addAll(rows);
        all.sort(java.util.Comparator.comparingLong(Point::timestampMs));
        return all.size() > limit ? new ArrayList<>(all.subList(all.size() - limit, all.size())) : all;
    }

    private static List<Point> readNewestFirst(PreparedStatement ps, long seriesId, long from, long to, int limit)
            throws SQLException {
        ps.setLong(1, seriesId);
        ps.setLong(2, from);
        ps.setLong(3, to);
        ps.setInt(4, limit);
        List<Point> points = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                points.add(new Point(rs.getLong(1), value(rs, 2, rs.getInt(3) == 0)));
            }
        }
        return points;
    }

    /** A stored value as Long (integer table) or Double (real table, NULL meaning NaN). */
    static Number value(ResultSet rs, int column, boolean integral) throws SQLException {
        if (integral) {
            return rs.getLong(column);
        }
        double d = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : d;
    }
}
