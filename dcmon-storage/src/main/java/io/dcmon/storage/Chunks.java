package io.dcmon.storage;

import io.dcmon.core.model.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compressed history. Rows older than the compaction cutoff are moved, per series and aligned
 * {@link #WINDOW_MS} window and value kind, into one {@link ChunkCodec} chunk; reads merge chunks with
 * the hot rows. Invariant: a (series, ts) is either a row or a chunk point, never both. Inserts keep it
 * by checking the chunk of their window when the sample is older than the {@link #watermark()} (late
 * samples only); compaction merges late rows into an existing chunk.
 */
final class Chunks {

    private static final Logger LOG = LoggerFactory.getLogger(Chunks.class);

    /** Chunk window: two hours, as in Gorilla and Prometheus' head blocks. Fixed so lookups can align. */
    static final long WINDOW_MS = 2L * 3600 * 1000;
    /** Series compacted per writer transaction: keeps each transaction to a few milliseconds. */
    static final int SERIES_PER_TRANSACTION = 16;

    static final int KIND_INT = 0;
    static final int KIND_REAL = 1;

    private static final String OLD_ROWS = "SELECT ts, value, 0 FROM samples_int WHERE series_id = ?1 AND ts < ?2 "
            + "UNION ALL SELECT ts, value, 1 FROM samples_real WHERE series_id = ?1 AND ts < ?2 ORDER BY ts";
    private static final String CHUNKS_IN_RANGE = "SELECT data FROM chunks WHERE series_id = ? AND start_ts BETWEEN ? AND ? "
            + "AND end_ts >= ? ORDER BY start_ts, kind";

    /** Every sample stamped at or after this is certainly not in a chunk. */
    private volatile long watermark;

    Chunks(long watermark) {
        this.watermark = watermark;
    }

    static Chunks load(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(start_ts) FROM chunks")) {
            rs.next();
            long max = rs.getLong(1);
            return new Chunks(rs.wasNull() ? Long.MIN_VALUE : max + WINDOW_MS);
        }
    }

    long watermark() {
        return watermark;
    }

    static long windowStart(long ts) {
        return Math.floorDiv(ts, WINDOW_MS) * WINDOW_MS;
    }

    // ------------------------------------------------------------------ insert side

    /** Per-insert cache of decoded chunks, so a replayed batch decodes each window once. */
    static final class Lookup {
        private final Map<Long, Map<Long, long[]>> bySeries = new HashMap<>();

        boolean contains(Connection c, long seriesId, long ts) throws SQLException {
            long start = windowStart(ts);
            Map<Long, long[]> windows = bySeries.computeIfAbsent(seriesId, k -> new HashMap<>());
            long[] stamps = windows.get(start);
            if (stamps == null) {
                stamps = load(c, seriesId, start);
                windows.put(start, stamps);
            }
            return Arrays.binarySearch(stamps, ts) >= 0;
        }

        private static long[] load(Connection c, long seriesId, long start) throws SQLException {
            long[] all = new long[0];
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM chunks WHERE series_id = ? AND start_ts = ?")) {
                ps.setLong(1, seriesId);
                ps.setLong(2, start);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] ts = ChunkCodec.decode(rs.getBytes(1)).ts();
                        long[] merged = Arrays.copyOf(all, all.length + ts.length);
                        System.arraycopy(ts, 0, merged, all.length, ts.length);
                        all = merged;
                    }
                }
            }
            Arrays.sort(all);
            return all;
        }
    }

    // ------------------------------------------------------------------ read side

    /** Chunk points of one series within [from, to], ascending. */
    List<Point> points(Connection c, long seriesId, long from, long to) throws SQLException {
        if (from >= watermark) {
            return List.of();
        }
        List<Point> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CHUNKS_IN_RANGE)) {
            ps.setLong(1, seriesId);
            ps.setLong(2, windowStart(from));
            ps.setLong(3, to);
            ps.setLong(4, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ChunkCodec.Decoded d = ChunkCodec.decode(rs.getBytes(1));
                    for (int i = 0; i < d.size(); i++) {
                        long ts = d.ts()[i];
                        if (ts >= from && ts <= to) {
                            out.add(new Point(ts, d.value(i)));
                        }
                    }
                }
            }
        }
        out.sort(Comparator.comparingLong(Point::timestampMs));
        return out;
    }

    /** Receives decoded chunk points without boxing them. */
    interface PointSink {
        void accept(long ts, long value);

        void accept(long ts, double value);
    }

    /**
     * Feeds every chunk point of one series within [from, to] to {@code sink}, chunk by chunk (ascending within
     * a chunk; chunks of the two value kinds may interleave). For aggregation, where order within a bucket does
     * not matter and a week is ~20 000 points per series: no Point objects, no sort.
     */
    void fold(Connection c, long seriesId, long from, long to, PointSink sink) throws SQLException {
        if (from >= watermark) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(CHUNKS_IN_RANGE)) {
            ps.setLong(1, seriesId);
            ps.setLong(2, windowStart(from));
            ps.setLong(3, to);
            ps.setLong(4, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ChunkCodec.Decoded d = ChunkCodec.decode(rs.getBytes(1));
                    long[] ts = d.ts();
                    if (d.integral()) {
                        long[] v = d.longs();
                        for (int i = 0; i < ts.length; i++) {
                            if (ts[i] >= from && ts[i] <= to) {
                                sink.accept(ts[i], v[i]);
                            }
                        }
                    } else {
                        double[] v = d.doubles();
                        for (int i = 0; i < ts.length; i++) {
                            if (ts[i] >= from && ts[i] <= to) {
                                sink.accept(ts[i], v[i]);
                            }
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ compaction

    /** Compacts every series' rows stamped before {@code cutoffMs} (rounded down to a window). Returns rows moved. */
    long compact(SqliteStorage storage, WriteQueue writer, long cutoffMs) {
        long cutoff = windowStart(cutoffMs);
        List<Long> ids = storage.withReader("compaction", Maintenance::seriesIds);
        long moved = 0;
        long started = System.nanoTime();
        for (int i = 0; i < ids.size(); i += SERIES_PER_TRANSACTION) {
            if (Thread.currentThread().isInterrupted()) {
                break; // the store is closing; the rest is compacted next time
            }
            List<Long> batch = ids.subList(i, Math.min(ids.size(), i + SERIES_PER_TRANSACTION));
            moved += writer.submit(tx -> {
                // raise the watermark before any chunk of this cutoff exists, so concurrent inserts check it
                if (watermark < cutoff) {
                    watermark = cutoff;
                }
                long n = 0;
                for (long id : batch) {
                    n += compactSeries(tx.connection(), id, cutoff);
                }
                return n;
            });
        }
        if (moved > 0) {
            LOG.info("compaction: moved {} samples of {} series into chunks before {} in {} ms", moved, ids.size(),
                    java.time.Instant.ofEpochMilli(cutoff), (System.nanoTime() - started) / 1_000_000);
        }
        return moved;
    }

    private static long compactSeries(Connection c, long seriesId, long cutoff) throws SQLException {
        // window start -> kind -> ts -> value (TreeMap keeps them sorted and de-duplicated)
        Map<Long, Map<Integer, TreeMap<Long, Number>>> groups = new TreeMap<>();
        long rows = 0;
        try (PreparedStatement ps = c.prepareStatement(OLD_ROWS)) {
            ps.setLong(1, seriesId);
            ps.setLong(2, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long ts = rs.getLong(1);
                    int kind = rs.getInt(3);
                    Number v = SampleTables.value(rs, 2, kind == KIND_INT);
                    groups.computeIfAbsent(windowStart(ts), k -> new HashMap<>())
                            .computeIfAbsent(kind, k -> new TreeMap<>()).put(ts, v);
                    rows++;
                }
            }
        }
        if (rows == 0) {
            return 0;
        }
        try (PreparedStatement existing = c.prepareStatement(
                "SELECT data FROM chunks WHERE series_id = ? AND start_ts = ? AND kind = ?");
             PreparedStatement upsert = c.prepareStatement(
                     "INSERT OR REPLACE INTO chunks (series_id, start_ts, kind, end_ts, n, data) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<Long, Map<Integer, TreeMap<Long, Number>>> w : groups.entrySet()) {
                for (Map.Entry<Integer, TreeMap<Long, Number>> k : w.getValue().entrySet()) {
                    TreeMap<Long, Number> points = k.getValue();
                    existing.setLong(1, seriesId);
                    existing.setLong(2, w.getKey());
                    existing.setLong(3, k.getKey());
                    try (ResultSet rs = existing.executeQuery()) {
                        if (rs.next()) {
                            // a late sample for a compacted window: merge; the chunk's (first) value wins
                            ChunkCodec.Decoded d = ChunkCodec.decode(rs.getBytes(1));
                            for (int i = 0; i < d.size(); i++) {
                                points.put(d.ts()[i], d.value(i));
                            }
                        }
                    }
                    write(upsert, seriesId, w.getKey(), k.getKey(), points);
                }
            }
        }
        try (PreparedStatement di = c.prepareStatement("DELETE FROM samples_int WHERE series_id = ? AND ts < ?");
             PreparedStatement dr = c.prepareStatement("DELETE FROM samples_real WHERE series_id = ? AND ts < ?")) {
            for (PreparedStatement d : List.of(di, dr)) {
                d.setLong(1, seriesId);
                d.setLong(2, cutoff);
                d.executeUpdate();
            }
        }
        return rows;
    }

    /** Encodes sorted points of one kind and stores them as the chunk (series, start, kind). */
    static void write(PreparedStatement upsert, long seriesId, long start, int kind, TreeMap<Long, Number> points)
            throws SQLException {
        int n = points.size();
        long[] ts = new long[n];
        byte[] data;
        int i = 0;
        if (kind == KIND_INT) {
            long[] v = new long[n];
            for (Map.Entry<Long, Number> e : points.entrySet()) {
                ts[i] = e.getKey();
                v[i++] = e.getValue().longValue();
            }
            data = ChunkCodec.encodeLongs(ts, v, n);
        } else {
            double[] v = new double[n];
            for (Map.Entry<Long, Number> e : points.entrySet()) {
                ts[i] = e.getKey();
                v[i++] = e.getValue().doubleValue();
            }
            data = ChunkCodec.encodeDoubles(ts, v, n);
        }
        upsert.setLong(1, seriesId);
        upsert.setLong(2, start);
        upsert.setLong(3, kind);
        upsert.setLong(4, ts[n - 1]);
        upsert.setLong(5, n);
        upsert.setBytes(6, data);
        upsert.executeUpdate();
    }
}
