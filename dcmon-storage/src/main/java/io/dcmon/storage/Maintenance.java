package io.dcmon.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Retention and space reclaim. Work is cut into small writer transactions (a few series at a time, a
 * bounded number of pages per vacuum step) so queued ingest gets the writer between them.
 */
final class Maintenance {

    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
    /** Series whose old rows are deleted per transaction. */
    static final int SERIES_PER_BATCH = 50;
    /** Free pages given back per incremental-vacuum step. */
    static final int PAGES_PER_STEP = 2000;

    private static final String DELETE_INT = "DELETE FROM samples_int WHERE series_id = ? AND ts < ?";
    private static final String DELETE_REAL = "DELETE FROM samples_real WHERE series_id = ? AND ts < ?";
    private static final String DELETE_EMPTY_SERIES = "DELETE FROM series WHERE id = ?1 "
            + "AND NOT EXISTS (SELECT 1 FROM samples_int WHERE series_id = ?1) "
            + "AND NOT EXISTS (SELECT 1 FROM samples_real WHERE series_id = ?1) "
            + "AND NOT EXISTS (SELECT 1 FROM chunks WHERE series_id = ?1)";
    private static final String OLD_CHUNK_SAMPLES = "SELECT coalesce(sum(n), 0) FROM chunks WHERE series_id = ? AND end_ts < ?";
    private static final String DELETE_OLD_CHUNKS = "DELETE FROM chunks WHERE series_id = ? AND end_ts < ?";
    private static final String STRADDLING_CHUNKS = "SELECT start_ts, kind, data FROM chunks "
            + "WHERE series_id = ?1 AND start_ts < ?2 AND end_ts >= ?2";

    private Maintenance() {
    }

    static RetentionResult deleteOlderThan(SqliteStorage storage, WriteQueue writer, SeriesIds ids, long cutoffMs) {
        long before = storage.databaseSizeBytes();
        List<Long> seriesIds = storage.withReader("retention", Maintenance::seriesIds);
        long samples = 0;
        long series = 0;
        for (int i = 0; i < seriesIds.size(); i += SERIES_PER_BATCH) {
            if (Thread.currentThread().isInterrupted()) {
                break; // the store is closing; the next pass finishes the job
            }
            List<Long> batch = seriesIds.subList(i, Math.min(seriesIds.size(), i + SERIES_PER_BATCH));
            long[] counts = writer.submit(tx -> deleteBatch(tx, ids, batch, cutoffMs));
            samples += counts[0];
            series += counts[1];
        }
        vacuum(writer);
        long after = storage.databaseSizeBytes();
        LOG.info("retention: deleted {} samples and {} empty series older than {}; {} -> {} bytes",
                samples, series, java.time.Instant.ofEpochMilli(cutoffMs), before, after);
        return new RetentionResult(samples, series, before, after);
    }

    static List<Long> seriesIds(java.sql.Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM series ORDER BY id")) {
            List<Long> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
            return out;
        }
    }

    private static long[] deleteBatch(WriteQueue.Tx tx, SeriesIds ids, List<Long> batch, long cutoffMs) throws SQLException {
        long samples = 0;
        long series = 0;
        try (PreparedStatement di = tx.connection().prepareStatement(DELETE_INT);
             PreparedStatement dr = tx.connection().prepareStatement(DELETE_REAL);
             PreparedStatement ds = tx.connection().prepareStatement(DELETE_EMPTY_SERIES)) {
            for (long id : batch) {
                di.setLong(1, id);
                di.setLong(2, cutoffMs);
                samples += di.executeUpdate();
                dr.setLong(1, id);
                dr.setLong(2, cutoffMs);
                samples += dr.executeUpdate();
                samples += trimChunks(tx.connection(), id, cutoffMs);
                ds.setLong(1, id);
                series += ds.executeUpdate();
            }
        }
        if (series > 0) {
            // drop cached ids now (later work in this transaction must not reuse a deleted id) and again
            // after commit (after any cache puts queued earlier in this group)
            ids.invalidateAll();
            tx.afterCommit(ids::invalidateAll);
        }
        return new long[] {samples, series};
    }

    /** Deletes chunks wholly before the cutoff and re-encodes the one straddling it; returns samples removed. */
    private static long trimChunks(java.sql.Connection c, long seriesId, long cutoffMs) throws SQLException {
        long removed = 0;
        try (PreparedStatement count = c.prepareStatement(OLD_CHUNK_SAMPLES);
             PreparedStatement delete = c.prepareStatement(DELETE_OLD_CHUNKS)) {
            count.setLong(1, seriesId);
            count.setLong(2, cutoffMs);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                removed += rs.getLong(1);
            }
            delete.setLong(1, seriesId);
            delete.setLong(2, cutoffMs);
            delete.executeUpdate();
        }
        List<Object[]> straddling = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(STRADDLING_CHUNKS)) {
            ps.setLong(1, seriesId);
            ps.setLong(2, cutoffMs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    straddling.add(new Object[] {rs.getLong(1), rs.getInt(2), rs.getBytes(3)});
                }
            }
        }
        if (straddling.isEmpty()) {
            return removed;
        }
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT OR REPLACE INTO chunks (series_id, start_ts, kind, end_ts, n, data) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Object[] row : straddling) {
                ChunkCodec.Decoded d = ChunkCodec.decode((byte[]) row[2]);
                java.util.TreeMap<Long, Number> kept = new java.util.TreeMap<>();
                for (int i = 0; i < d.size(); i++) {
                    if (d.ts()[i] >= cutoffMs) {
                        kept.put(d.ts()[i], d.value(i));
                    }
                }
                removed += d.size() - kept.size();
                Chunks.write(upsert, seriesId, (Long) row[0], (Integer) row[1], kept); // end_ts >= cutoff: never empty
            }
        }
        return removed;
    }

    /** Gives free pages back to the file system in bounded steps, then truncates the WAL. */
    static void vacuum(WriteQueue writer) {
        long previous = Long.MAX_VALUE;
        while (true) {
            long free = writer.submitAutoCommit(tx -> {
                try (Statement st = tx.connection().createStatement()) {
                    // sqlite-jdbc's execute() steps the pragma once, freeing a single page; executeUpdate() runs it through
                    st.executeUpdate("PRAGMA incremental_vacuum(" + PAGES_PER_STEP + ")");
                    try (ResultSet rs = st.executeQuery("PRAGMA freelist_count")) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            if (free == 0 || free >= previous) {
                break; // done, or a file created without incremental auto-vacuum
            }
            previous = free;
        }
        writer.submitAutoCommit(tx -> {
            try (Statement st = tx.connection().createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            return null;
        });
    }
}
