package io.dcmon.storage;

import io.dcmon.core.model.Point;
import io.dcmon.core.model.SeriesData;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The newest point of every series of a set of metrics across all clients, in one statement (the fleet table):
 * per series two index seeks per sample table (its max ts, and the value at it); the chunks are only consulted for
 * a series whose newest row is older than the compaction watermark (a series that stopped reporting), since
 * nothing at or after the watermark is ever in a chunk. Plain JDBC: at tens of thousands of rows per call, jOOQ's
 * per-row mapping cost as much as the seeks.
 */
final class LatestValues {

    private LatestValues() {
    }

    /** One series' newest point with its id (the in-memory index keys by id). */
    record Row(long seriesId, SeriesData data) {
    }

    private static String sql(int metrics) {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < metrics; i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        return "SELECT s.id, s.client_id, s.metric, s.labels_json, "
                + "(SELECT max(ts) FROM samples_int WHERE series_id = s.id), "
                + "(SELECT value FROM samples_int WHERE series_id = s.id ORDER BY ts DESC LIMIT 1), "
                + "(SELECT max(ts) FROM samples_real WHERE series_id = s.id), "
                + "(SELECT value FROM samples_real WHERE series_id = s.id ORDER BY ts DESC LIMIT 1) "
                + "FROM series s WHERE s.metric IN (" + in + ") ORDER BY s.client_id, s.metric, s.labels";
    }

    /** One read over {@code c} (the caller's snapshot); series without any point are left out. */
    static List<SeriesData> ofMetrics(Connection c, Chunks chunks, Collection<String> metrics) throws SQLException {
        List<Row> rows = rowsOf(c, chunks, metrics);
        List<SeriesData> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(r.data());
        }
        return out;
    }

    /** Like {@link #ofMetrics} with each series' id. */
    static List<Row> rowsOf(Connection c, Chunks chunks, Collection<String> metrics) throws SQLException {
        TreeSet<String> names = new TreeSet<>(metrics);
        if (names.isEmpty()) {
            return List.of();
        }
        long watermark = chunks.watermark();
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql(names.size()))) {
            int i = 1;
            for (String m : names) {
                ps.setString(i++, m);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    Point p = null;
                    long ti = rs.getLong(5);
                    boolean hasInt = !rs.wasNull();
                    long tr = rs.getLong(7);
                    boolean hasReal = !rs.wasNull();
                    if (hasInt && (!hasReal || ti >= tr)) {
                        p = new Point(ti, rs.getLong(6));
                    } else if (hasReal) {
                        double d = rs.getDouble(8);
                        p = new Point(tr, rs.wasNull() ? Double.NaN : d);
                    }
                    if (p == null || p.timestampMs() < watermark) {
                        p = newerInChunks(c, chunks, id, p);
                    }
                    if (p != null) {
                        out.add(new Row(id, new SeriesData(rs.getLong(2), SampleTables.seriesKey(rs.getString(3), rs.getString(4)),
                                List.of(p))));
                    }
                }
            }
        }
        return out;
    }

    /** The newest chunk point of a series when it is newer than {@code hot} (or there is no hot point). */
    private static Point newerInChunks(Connection c, Chunks chunks, long seriesId, Point hot) throws SQLException {
        long newestWindow;
        try (PreparedStatement ps = c.prepareStatement("SELECT max(start_ts) FROM chunks WHERE series_id = ?")) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                newestWindow = rs.getLong(1);
                if (rs.wasNull()) {
                    return hot;
                }
            }
        }
        List<Point> compacted = chunks.points(c, seriesId, newestWindow, Long.MAX_VALUE);
        if (compacted.isEmpty()) {
            return hot;
        }
        Point last = compacted.get(compacted.size() - 1);
        return hot == null || last.timestampMs() > hot.timestampMs() ? last : hot;
    }
}
