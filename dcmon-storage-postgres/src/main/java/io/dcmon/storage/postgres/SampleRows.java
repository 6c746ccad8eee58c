package io.dcmon.storage.postgres;

import io.dcmon.storage.FlatJson;
import com.github.benmanes.caffeine.cache.Cache;
import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.Aggregation;
import io.dcmon.core.port.LabelMatcher;
import io.dcmon.core.port.SampleQuery;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static io.dcmon.storage.postgres.Schema.SERIES;
import static io.dcmon.storage.postgres.Schema.S_CLIENT_ID;
import static io.dcmon.storage.postgres.Schema.S_ID;
import static io.dcmon.storage.postgres.Schema.S_LABELS;
import static io.dcmon.storage.postgres.Schema.S_LABELS_TEXT;
import static io.dcmon.storage.postgres.Schema.S_METRIC;

/**
 * Series and samples. Series lookups and listings use jOOQ; the hot insert and the range, downsampling,
 * rate and latest reads are single hand-written statements over all matching series at once (arrays and
 * LATERAL joins), so a fleet-wide chart is one round trip rather than one per series.
 */
final class SampleRows {

    private SampleRows() {
    }

    /** A series row as queries see it. */
    record SeriesRow(long id, long clientId, SeriesKey key) {
    }

    /** Cache key of a series id. */
    record SeriesRef(long clientId, SeriesKey key) {
    }

    private static final String NOT_NAN = " <> 'NaN'::float8";

    private static final String INSERT_SERIES = "INSERT INTO series (client_id, metric, labels, labels_json) "
            + "VALUES (?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING RETURNING id";
    private static final String SELECT_SERIES = "SELECT id FROM series WHERE client_id = ? AND metric = ? AND labels = ?";
    // one statement for the batch; the primary key (series_id, ts) makes the first value win, also against
    // a duplicate later in the same batch (rows are inserted in array order)
    private static final String INSERT_SAMPLES = "INSERT INTO samples (series_id, ts, ival, dval) "
            + "SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::float8[]) ON CONFLICT DO NOTHING";

    /**
     * Resolves series ids (creating series inside the transaction) and inserts the batch; returns how many
     * samples were new and puts ids it created into {@code resolved} for the caller to cache after commit.
     */
    static int insert(Connection tx, Cache<SeriesRef, Long> cache, long clientId, List<Sample> batch,
                      Map<SeriesRef, Long> resolved) throws SQLException {
        Map<SeriesKey, Long> ids = new HashMap<>();
        List<SeriesKey> missing = new ArrayList<>();
        for (Sample s : batch) {
            if (ids.containsKey(s.series())) {
                continue;
            }
            Long id = cache.getIfPresent(new SeriesRef(clientId, s.series()));
            ids.put(s.series(), id);
            if (id == null) {
                missing.add(s.series());
            }
        }
        if (!missing.isEmpty()) {
            try (PreparedStatement ps = tx.prepareStatement("SELECT 1 FROM clients WHERE id = ?")) {
                ps.setLong(1, clientId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("client " + clientId + " is not registered; register it before "
                                + "sending samples (nothing of this batch of " + batch.size() + " was stored)");
                    }
                }
            }
            // one order for every writer, so two batches creating the same new series cannot deadlock
            missing.sort(Comparator.comparing(SeriesKey::metric).thenComparing(k -> k.labels().canonical()));
            try (PreparedStatement ins = tx.prepareStatement(INSERT_SERIES);
                 PreparedStatement sel = tx.prepareStatement(SELECT_SERIES)) {
                for (SeriesKey k : missing) {
                    long id = createSeries(ins, sel, clientId, k);
                    ids.put(k, id);
                    resolved.put(new SeriesRef(clientId, k), id);
                }
            }
        }
        int n = batch.size();
        Long[] sid = new Long[n];
        Long[] ts = new Long[n];
        Long[] ival = new Long[n];
        Double[] dval = new Double[n];
        for (int i = 0; i < n; i++) {
            Sample s = batch.get(i);
            sid[i] = ids.get(s.series());
            ts[i] = s.timestampMs();
            if (s.value() instanceof Long v) {
                ival[i] = v;
            } else {
                dval[i] = s.value().doubleValue();
            }
        }
        try (PreparedStatement ps = tx.prepareStatement(INSERT_SAMPLES)) {
            ps.setArray(1, tx.createArrayOf("bigint", sid));
            ps.setArray(2, tx.createArrayOf("bigint", ts));
            ps.setArray(3, tx.createArrayOf("bigint", ival));
            ps.setArray(4, tx.createArrayOf("float8", dval));
            return ps.executeUpdate();
        }
    }

    private static long createSeries(PreparedStatement ins, PreparedStatement sel, long clientId, SeriesKey k) throws SQLException {
        ins.setLong(1, clientId);
        ins.setString(2, k.metric());
        ins.setString(3, k.labels().canonical());
        ins.setString(4, FlatJson.write(k.labels().map()));
        try (ResultSet rs = ins.executeQuery()) {
            if (rs.next()) {
                return rs.getLong(1);
            }
        }
        // it existed already (created by a concurrent batch that committed, or evicted from the cache)
        sel.setLong(1, clientId);
        sel.setString(2, k.metric());
        sel.setString(3, k.labels().canonical());
        try (ResultSet rs = sel.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("series " + k + " of client " + clientId + " vanished while being created", "40001");
            }
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------ series

    /** Series matching the filters (metric optional), by client, metric, then labels. */
    static List<SeriesRow> findSeries(DSLContext dsl, OptionalLong clientId, Optional<String> metric, Map<String, String> labels) {
        Optional<List<Condition>> where = seriesWhere(clientId, metric, labels);
        if (where.isEmpty()) {
            return List.of();
        }
        List<SeriesRow> out = new ArrayList<>();
        dsl.select(S_ID, S_CLIENT_ID, S_METRIC, S_LABELS_TEXT).from(SERIES).where(where.get())
                .orderBy(S_CLIENT_ID, S_METRIC, S_LABELS)
                .forEach(r -> out.add(new SeriesRow(r.value1(), r.value2(), seriesKey(r.value3(), r.value4()))));
        return out;
    }

    /**
     * Series matching exact labels and label matchers, as the SQLite store does it: SQL narrows by client, metric,
     * the exact labels and every {@code =} matcher with a non-empty value; the rest is checked in Java, so regexes
     * are Java regexes here too (PostgreSQL's {@code ~} is POSIX and would match differently).
     */
    static List<SeriesRow> matching(DSLContext dsl, OptionalLong clientId, Optional<String> metric,
                                    Map<String, String> labels, List<LabelMatcher> matchers) {
        if (matchers.isEmpty()) {
            return findSeries(dsl, clientId, metric, labels);
        }
        Map<String, String> prefilter = new HashMap<>(labels);
        for (LabelMatcher m : matchers) {
            if (m.op() == LabelMatcher.Op.EQ && !m.value().isEmpty()) {
                prefilter.putIfAbsent(m.name(), m.value()); // a conflicting value is caught by the Java check
            }
        }
        List<SeriesRow> out = new ArrayList<>();
        for (SeriesRow s : findSeries(dsl, clientId, metric, prefilter)) {
            if (matchers.stream().allMatch(m -> m.matches(s.key().labels()))) {
                out.add(s);
            }
        }
        return out;
    }

    static SeriesKey seriesKey(String metric, String labelsJson) {
        return new SeriesKey(metric, new Labels(FlatJson.readSorted(labelsJson)));
    }

    /** Conditions on {@code series}; empty when nothing can match (an invalid label name). */
    static Optional<List<Condition>> seriesWhere(OptionalLong clientId, Optional<String> metric, Map<String, String> labels) {
        List<Condition> where = new ArrayList<>();
        metric.ifPresent(m -> where.add(S_METRIC.eq(m)));
        clientId.ifPresent(id -> where.add(S_CLIENT_ID.eq(id)));
        for (String name : labels.keySet()) {
            if (!Labels.NAME.matcher(name).matches()) {
                return Optional.empty(); // no stored series can carry an invalid label name
            }
        }
        if (!labels.isEmpty()) {
            // containment of string values is exact per label: {"gpu":"1"} is not contained in {"gpu":"10"}
            where.add(DSL.condition("{0} @> {1}::jsonb", DSL.field(DSL.name("series", "labels_json")),
                    DSL.val(FlatJson.write(labels))));
        }
        return Optional.of(where);
    }

    static List<String> metrics(DSLContext dsl, OptionalLong clientId) {
        Condition where = clientId.isPresent() ? S_CLIENT_ID.eq(clientId.getAsLong()) : DSL.noCondition();
        return dsl.selectDistinct(S_METRIC).from(SERIES).where(where).orderBy(S_METRIC).fetch(S_METRIC);
    }

    static List<String> labelValues(DSLContext dsl, String metric, String labelName, OptionalLong clientId) {
        if (!Labels.NAME.matcher(labelName).matches()) {
            return List.of();
        }
        // byte order, as SQLite sorts
        Field<String> value = DSL.field("({0} ->> {1}) COLLATE \"C\"", SQLDataType.CLOB,
                DSL.field(DSL.name("series", "labels_json")), DSL.val(labelName)).as("v");
        Condition where = S_METRIC.eq(metric).and(DSL.condition("({0} ->> {1}) IS NOT NULL",
                DSL.field(DSL.name("series", "labels_json")), DSL.val(labelName)));
        if (clientId.isPresent()) {
            where = where.and(S_CLIENT_ID.eq(clientId.getAsLong()));
        }
        return dsl.selectDistinct(value).from(SERIES).where(where).orderBy(DSL.field(DSL.name("v"))).fetch(0, String.class);
    }

    // ------------------------------------------------------------------ reads

    private static Array ids(Connection c, List<SeriesRow> series) throws SQLException {
        Long[] ids = new Long[series.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = series.get(i).id();
        }
        return c.createArrayOf("bigint", ids);
    }

    private static Number value(ResultSet rs, int ivalColumn) throws SQLException {
        long iv = rs.getLong(ivalColumn);
        if (!rs.wasNull()) {
            return iv;
        }
        return rs.getDouble(ivalColumn + 1);
    }

    private static List<SeriesData> assemble(List<SeriesRow> series, Map<Long, List<Point>> points) {
        List<SeriesData> out = new ArrayList<>(series.size());
        for (SeriesRow s : series) {
            List<Point> p = points.getOrDefault(s.id(), new ArrayList<>());
            p.sort(Comparator.comparingLong(Point::timestampMs));
            out.add(new SeriesData(s.clientId(), s.key(), p));
        }
        return out;
    }

    /** Matching series with their points in range, newest {@code limit} kept per series, ascending. */
    static List<SeriesData> query(Connection c, DSLContext dsl, SampleQuery q) throws SQLException {
        List<SeriesRow> series = matching(dsl, q.clientId(), Optional.of(q.metric()), q.labels(), q.matchers());
        if (series.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT s.id, x.ts, x.ival, x.dval FROM unnest(?::bigint[]) AS s(id) CROSS JOIN LATERAL "
                + "(SELECT ts, ival, dval FROM samples WHERE series_id = s.id AND ts BETWEEN ? AND ? ORDER BY ts DESC LIMIT ?) x";
        Map<Long, List<Point>> points = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, ids(c, series));
            ps.setLong(2, q.fromMs());
            ps.setLong(3, q.toMs());
            ps.setInt(4, q.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    points.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Point(rs.getLong(2), value(rs, 3)));
                }
            }
        }
        return assemble(series, points);
    }

    /** Per bucket: two aggregate columns, over the integer and the real values (NaN left out as SQLite does). */
    private static String[] aggregates(Aggregation agg) {
        String real = " FILTER (WHERE dval" + NOT_NAN + ")";
        return switch (agg) {
            case MIN -> new String[] {"min(ival)", "min(dval)" + real};
            case MAX -> new String[] {"max(ival)", "max(dval)" + real};
            case AVG -> new String[] {"count(ival) + count(dval)" + real,
                    "coalesce(sum(ival)::float8, 0) + coalesce(sum(dval)" + real + ", 0)"};
            case LAST -> new String[] {"(array_agg(ival ORDER BY ts DESC))[1]", "(array_agg(dval ORDER BY ts DESC))[1]"};
            case COUNT -> new String[] {"count(*)", "NULL::float8"};
        };
    }

    /**
     * Downsampled: one point per bucket of {@code stepMs} from {@code q.fromMs()}, aggregated in the database,
     * the newest {@code q.limit()} buckets per series.
     */
    static List<SeriesData> downsample(Connection c, DSLContext dsl, SampleQuery q, long stepMs, Aggregation agg) throws SQLException {
        List<SeriesRow> series = matching(dsl, q.clientId(), Optional.of(q.metric()), q.labels(), q.matchers());
        if (series.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT series_id, b, a1, a2 FROM (SELECT series_id, b, " + aggregates(agg)[0] + " AS a1, "
                + aggregates(agg)[1] + " AS a2, row_number() OVER (PARTITION BY series_id ORDER BY b DESC) AS rn FROM "
                + "(SELECT series_id, (ts - ?) / ? AS b, ts, ival, dval FROM samples WHERE series_id = ANY(?) AND ts BETWEEN ? AND ?) r "
                + "GROUP BY series_id, b) g WHERE rn <= ?";
        Map<Long, List<Point>> points = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, q.fromMs());
            ps.setLong(2, stepMs);
            ps.setArray(3, ids(c, series));
            ps.setLong(4, q.fromMs());
            ps.setLong(5, q.toMs());
            ps.setInt(6, q.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long ts = q.fromMs() + rs.getLong(2) * stepMs;
                    points.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Point(ts, bucketValue(rs, agg)));
                }
            }
        }
        return assemble(series, points);
    }

    private static Number bucketValue(ResultSet rs, Aggregation agg) throws SQLException {
        return switch (agg) {
            case COUNT -> rs.getLong(3);
            case AVG -> {
                long n = rs.getLong(3);
                yield n == 0 ? Double.NaN : rs.getDouble(4) / n;
            }
            case LAST -> value(rs, 3);
            case MIN, MAX -> {
                long iv = rs.getLong(3);
                Long i = rs.wasNull() ? null : iv;
                double dv = rs.getDouble(4);
                Double d = rs.wasNull() ? null : dv;
                // (if/else, not ?: — a conditional of Long and Double would unbox both to double)
                Number best;
                if (i == null && d == null) {
                    best = Double.NaN; // a bucket of only NaN
                } else if (d == null) {
                    best = i;
                } else if (i == null) {
                    best = d;
                } else {
                    int cmp = Double.compare(d, i.doubleValue());
                    boolean realWins = agg == Aggregation.MIN ? cmp < 0 : cmp > 0;
                    best = realWins ? (Number) d : (Number) i;
                }
                yield best;
            }
        };
    }

    /**
     * Counter rate per bucket: increases between consecutive samples (a drop is a reset: the new value is the
     * increase) summed per bucket of the later sample, divided by the step in seconds. A sample up to one
     * step before the range serves as the first one's predecessor.
     */
    static List<SeriesData> rate(Connection c, DSLContext dsl, SampleQuery q, long stepMs) throws SQLException {
        List<SeriesRow> series = matching(dsl, q.clientId(), Optional.of(q.metric()), q.labels(), q.matchers());
        if (series.isEmpty()) {
            return List.of();
        }
        long lookFrom = Math.max(0, q.fromMs() - stepMs);
        String sql = "SELECT series_id, b, inc FROM (SELECT series_id, b, sum(inc) AS inc, "
                + "row_number() OVER (PARTITION BY series_id ORDER BY b DESC) AS rn FROM ("
                + "SELECT series_id, (ts - ?) / ? AS b, CASE WHEN v >= pv THEN v - pv ELSE v END AS inc FROM ("
                + "SELECT series_id, ts, coalesce(ival::float8, dval) AS v, "
                + "lag(coalesce(ival::float8, dval)) OVER (PARTITION BY series_id ORDER BY ts) AS pv "
                + "FROM samples WHERE series_id = ANY(?) AND ts BETWEEN ? AND ?) r "
                + "WHERE ts >= ? AND pv IS NOT NULL AND v" + NOT_NAN + " AND pv" + NOT_NAN + ") d "
                + "GROUP BY series_id, b) g WHERE rn <= ?";
        Map<Long, List<Point>> points = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, q.fromMs());
            ps.setLong(2, stepMs);
            ps.setArray(3, ids(c, series));
            ps.setLong(4, lookFrom);
            ps.setLong(5, q.toMs());
            ps.setLong(6, q.fromMs());
            ps.setInt(7, q.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long ts = q.fromMs() + rs.getLong(2) * stepMs;
                    points.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Point(ts, rs.getDouble(3) * 1000.0 / stepMs));
                }
            }
        }
        return assemble(series, points);
    }

    /** The newest point of every matching series in one statement, by client, metric, labels. */
    static List<SeriesData> latest(Connection c, OptionalLong clientId, Optional<String> metric, Map<String, String> labels)
            throws SQLException {
        for (String name : labels.keySet()) {
            if (!Labels.NAME.matcher(name).matches()) {
                return List.of();
            }
        }
        StringBuilder sql = new StringBuilder("SELECT s.client_id, s.metric, s.labels_json::text, x.ts, x.ival, x.dval FROM series s "
                + "CROSS JOIN LATERAL (SELECT ts, ival, dval FROM samples WHERE series_id = s.id ORDER BY ts DESC LIMIT 1) x WHERE TRUE");
        List<Object> args = new ArrayList<>();
        if (clientId.isPresent()) {
            sql.append(" AND s.client_id = ?");
            args.add(clientId.getAsLong());
        }
        if (metric.isPresent()) {
            sql.append(" AND s.metric = ?");
            args.add(metric.get());
        }
        if (!labels.isEmpty()) {
            sql.append(" AND s.labels_json @> ?::jsonb");
            args.add(FlatJson.write(labels));
        }
        sql.append(" ORDER BY s.client_id, s.metric, s.labels");
        List<SeriesData> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SeriesData(rs.getLong(1), seriesKey(rs.getString(2), rs.getString(3)),
                            List.of(new Point(rs.getLong(4), value(rs, 5)))));
                }
            }
        }
        return out;
    }

    /** The newest point of every series of any of {@code metrics}, across all clients, in one statement. */
    static List<SeriesData> latestOfMetrics(Connection c, java.util.Collection<String> metrics) throws SQLException {
        if (metrics.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT s.client_id, s.metric, s.labels_json::text, x.ts, x.ival, x.dval FROM series s "
                + "CROSS JOIN LATERAL (SELECT ts, ival, dval FROM samples WHERE series_id = s.id ORDER BY ts DESC LIMIT 1) x "
                + "WHERE s.metric = ANY (?) ORDER BY s.client_id, s.metric, s.labels";
        List<SeriesData> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", metrics.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SeriesData(rs.getLong(1), seriesKey(rs.getString(2), rs.getString(3)),
                            List.of(new Point(rs.getLong(4), value(rs, 5)))));
                }
            }
        }
        return out;
    }
}
