package io.dcmon.storage.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time partitions of {@code samples} when it is a plain partitioned table: one per 7-day range of
 * {@code ts}, named {@code samples_p<n>} for the range [n·7d, (n+1)·7d). They are created on demand before
 * an insert needs them and dropped whole by retention, which is what makes deleting old data cheap.
 * With TimescaleDB the hypertable manages its chunks itself and this class does nothing.
 */
final class Partitions {

    private static final Logger LOG = LoggerFactory.getLogger(Partitions.class);

    /** Width of one partition, in ms. */
    static final long WIDTH_MS = 7L * 24 * 3600 * 1000;
    private static final Pattern NAME = Pattern.compile("samples_p(\\d+)");

    private final boolean partitioned;
    private final Set<Long> known = ConcurrentHashMap.newKeySet();

    private Partitions(boolean partitioned) {
        this.partitioned = partitioned;
    }

    /** Reads how {@code samples} is laid out in the connection's current schema and which partitions exist. */
    static Partitions load(Connection c) throws SQLException {
        boolean partitioned;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_class t ON t.oid = p.partrelid "
                     + "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE t.relname = 'samples' AND n.nspname = current_schema())")) {
            rs.next();
            partitioned = rs.getBoolean(1);
        }
        Partitions p = new Partitions(partitioned);
        if (partitioned) {
            p.known.addAll(p.existing(c));
        }
        return p;
    }

    /** True when samples is a partitioned table (false: a TimescaleDB hypertable). */
    boolean partitioned() {
        return partitioned;
    }

    /** Forgets which partitions exist, so the next insert checks again (after a concurrent drop). */
    void forget() {
        known.clear();
    }

    /** Partition numbers present in the database, ascending. */
    SortedSet<Long> existing(Connection c) throws SQLException {
        SortedSet<Long> out = new TreeSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT k.relname FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid "
                     + "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace "
                     + "WHERE p.relname = 'samples' AND n.nspname = current_schema()")) {
            while (rs.next()) {
                Matcher m = NAME.matcher(rs.getString(1));
                if (m.matches()) {
                    out.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return out;
    }

    /**
     * TimescaleDB: drops the hypertable's chunks that end at or before {@code cutoffMs} ({@code drop_chunks}, which
     * removes compressed chunks too); returns the number of rows they held. Chunks of an integer time dimension are
     * aligned to multiples of their interval (7 days, as {@link #WIDTH_MS}), so those rows are exactly the ones
     * before the last chunk boundary at or before the cutoff. Untested here: Debian does not package TimescaleDB.
     */
    private static long dropChunksBefore(Connection autoCommit, long cutoffMs) throws SQLException {
        long boundary = Math.floorDiv(cutoffMs, WIDTH_MS) * WIDTH_MS;
        long rows;
        try (PreparedStatement count = autoCommit.prepareStatement("SELECT count(*) FROM samples WHERE ts < ?")) {
            count.setLong(1, boundary);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                rows = rs.getLong(1);
            }
        }
        try (PreparedStatement drop = autoCommit.prepareStatement("SELECT count(*) FROM drop_chunks('samples', older_than => ?::bigint)")) {
            drop.setLong(1, cutoffMs);
            try (ResultSet rs = drop.executeQuery()) {
                rs.next();
                LOG.debug("dropped {} TimescaleDB chunks before ts {}", rs.getLong(1), cutoffMs);
            }
        }
        return rows;
    }

    /** The partition number holding {@code ts} (never negative: sample timestamps are not). */
    static long of(long ts) {
        return Math.floorDiv(ts, WIDTH_MS);
    }

    /** Creates the partitions that {@code partitionNumbers} need and are not known to exist yet. */
    void ensure(Connection autoCommit, Set<Long> partitionNumbers) throws SQLException {
        if (!partitioned) {
            return;
        }
        for (long n : partitionNumbers) {
            if (known.contains(n)) {
                continue;
            }
            String from = Long.toString(n * WIDTH_MS);
            // the last range would end past Long.MAX_VALUE
            String to = n >= Long.MAX_VALUE / WIDTH_MS ? "MAXVALUE" : Long.toString((n + 1) * WIDTH_MS);
            String sql = String.format(Locale.ROOT, "CREATE TABLE IF NOT EXISTS samples_p%d PARTITION OF samples FOR VALUES FROM (%s) TO (%s)",
                    n, from, to);
            try (Statement st = autoCommit.createStatement()) {
                st.execute(sql);
                LOG.debug("created partition samples_p{} for ts [{}, {})", n, from, to);
            } catch (SQLException e) {
                // another writer created it between our check and our CREATE: that is what we wanted
                if (!"42P07".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
            known.add(n);
        }
    }

    /**
     * Drops every partition that lies wholly before {@code cutoffMs}; returns the number of rows they held.
     */
    long dropBefore(Connection autoCommit, long cutoffMs) throws SQLException {
        if (!partitioned) {
            return dropChunksBefore(autoCommit, cutoffMs);
        }
        long rows = 0;
        List<Long> gone = new ArrayList<>();
        for (long n : existing(autoCommit)) {
            if (n >= Long.MAX_VALUE / WIDTH_MS || (n + 1) * WIDTH_MS > cutoffMs) {
                continue;
            }
            String table = "samples_p" + n;
            try (PreparedStatement count = autoCommit.prepareStatement("SELECT count(*) FROM " + table);
                 ResultSet rs = count.executeQuery()) {
                rs.next();
                rows += rs.getLong(1);
            }
            try (Statement st = autoCommit.createStatement()) {
                st.execute("DROP TABLE " + table);
            }
            gone.add(n);
        }
        gone.forEach(known::remove);
        if (!gone.isEmpty()) {
            LOG.info("retention dropped {} partition(s) of samples before ts {}", gone.size(), cutoffMs);
        }
        return rows;
    }
}
