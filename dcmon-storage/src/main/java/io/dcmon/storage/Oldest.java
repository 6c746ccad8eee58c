package io.dcmon.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * The oldest stored sample, by per-series index seeks rather than a scan of the sample tables: the tables are keyed
 * (series_id, ts) and chunks (series_id, start_ts, kind), so min(ts) is one seek per series and table.
 */
final class Oldest {

    private static final String HOT = "SELECT min(t) FROM ("
            + "SELECT (SELECT min(ts) FROM samples_int WHERE series_id = s.id) AS t FROM series s "
            + "UNION ALL SELECT (SELECT min(ts) FROM samples_real WHERE series_id = s.id) FROM series s)";
    private static final String OLDEST_WINDOW = "SELECT min(w) FROM (SELECT (SELECT min(start_ts) FROM chunks "
            + "WHERE series_id = s.id) AS w FROM series s)";
    private static final String CHUNKS_OF_WINDOW = "SELECT c.data FROM series s JOIN chunks c "
            + "ON c.series_id = s.id AND c.start_ts = ?";

    private Oldest() {
    }

    /** The oldest sample time over rows and chunks, null when nothing is stored. */
    static Instant read(Connection c) throws SQLException {
        long oldest = Long.MAX_VALUE;
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(HOT)) {
                if (rs.next()) {
                    long t = rs.getLong(1);
                    if (!rs.wasNull()) {
                        oldest = t;
                    }
                }
            }
            long window;
            try (ResultSet rs = st.executeQuery(OLDEST_WINDOW)) {
                rs.next();
                window = rs.getLong(1);
                if (rs.wasNull()) {
                    return oldest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(oldest);
                }
            }
            if (window < oldest) {
                try (PreparedStatement ps = c.prepareStatement(CHUNKS_OF_WINDOW)) {
                    ps.setLong(1, window);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long[] ts = ChunkCodec.decode(rs.getBytes(1)).ts();
                            for (long t : ts) {
                                oldest = Math.min(oldest, t);
                            }
                        }
                    }
                }
            }
        }
        return oldest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(oldest);
    }
}
