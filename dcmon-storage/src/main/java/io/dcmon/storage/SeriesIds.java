package io.dcmon.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps (client, metric, canonical labels) to the series' small integer id, creating series on first use.
 * Lookups and creation run on the writer thread; ids enter the Caffeine cache only after their
 * transaction committed, so a rolled-back series never leaves a dangling id behind.
 *
 * <p>A batch resolves all its series at once: cache hits first, then the misses with one read of the client's
 * series (or a point lookup each when only a few miss), then one prepared insert per series still unknown, all
 * in plain JDBC. The client's existence is checked once per batch, not once per new series.
 */
final class SeriesIds {

    /** At most this many misses are looked up one by one; more load all the client's series in one read. */
    private static final int POINT_LOOKUPS = 8;

    private record Key(long clientId, String metric, String labels) {
        // the record's default hash is linear in the parts' hashes, and metric and label texts that differ in one
        // character differ by small multiples of 31, so (client, series) pairs of a fleet collided by thousands
        @Override
        public int hashCode() {
            long h = clientId * 0x9E3779B97F4A7C15L;
            h = (h ^ metric.hashCode()) * 0xBF58476D1CE4E5B9L;
            h = (h ^ labels.hashCode()) * 0x94D049BB133111EBL;
            return (int) (h ^ (h >>> 31) ^ (h >>> 47));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.clientId == clientId && k.metric.equals(metric) && k.labels.equals(labels);
        }
    }

    private final Cache<Key, Long> cache;
    private PreparedStatement findOne;     // writer thread only, on the writer's connection
    private PreparedStatement findClient;
    private PreparedStatement clientExists;
    private PreparedStatement create;

    SeriesIds(long maxSize) {
        this.cache = Caffeine.newBuilder().maximumSize(maxSize).build();
    }

    /**
     * The series id of every sample, in order, creating the series that do not exist yet.
     *
     * @throws IllegalArgumentException when a series must be created and the client is not registered
     */
    long[] resolveAll(WriteQueue.Tx tx, long clientId, List<Sample> samples) throws SQLException {
        long[] ids = new long[samples.size()];
        Map<SeriesKey, Key> missing = null;
        // one cache look-up per sample, no per-batch map of the series seen: hashing a SeriesKey walks its labels,
        // which cost more than the look-up it saved for the rare series repeated in a batch; misses are
        // de-duplicated by the missing map
        for (int i = 0; i < ids.length; i++) {
            SeriesKey sk = samples.get(i).series();
            Key key = new Key(clientId, sk.metric(), sk.labels().canonical());
            Long id = cache.getIfPresent(key);
            if (id == null) {
                if (missing == null) {
                    missing = new HashMap<>();
                }
                missing.put(sk, key);
                id = -1L;
            }
            ids[i] = id;
        }
        if (missing == null) {
            return ids;
        }
        Map<SeriesKey, Long> found = lookUp(tx, clientId, missing);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                ids[i] = found.get(samples.get(i).series());
            }
        }
        return ids;
    }

    private void prepare(Connection c) throws SQLException {
        if (findOne == null) {
            findOne = c.prepareStatement("SELECT id FROM series WHERE client_id = ? AND metric = ? AND labels = ?");
            findClient = c.prepareStatement("SELECT id, metric, labels FROM series WHERE client_id = ?");
            clientExists = c.prepareStatement("SELECT 1 FROM clients WHERE id = ?");
            create = c.prepareStatement("INSERT INTO series (client_id, metric, labels, labels_json) VALUES (?, ?, ?, ?) RETURNING id");
        }
    }

    /** Ids of the missing series, existing or created now; each enters the cache after the commit. */
    private Map<SeriesKey, Long> lookUp(WriteQueue.Tx tx, long clientId, Map<SeriesKey, Key> missing) throws SQLException {
        prepare(tx.connection());
        Map<Key, Long> stored = new HashMap<>();
        if (missing.size() <= POINT_LOOKUPS) {
            for (Key k : missing.values()) {
                findOne.setLong(1, clientId);
                findOne.setString(2, k.metric());
                findOne.setString(3, k.labels());
                try (ResultSet rs = findOne.executeQuery()) {
                    if (rs.next()) {
                        stored.put(k, rs.getLong(1));
                    }
                }
            }
        } else {
            findClient.setLong(1, clientId);
            try (ResultSet rs = findClient.executeQuery()) {
                while (rs.next()) {
                    stored.put(new Key(clientId, rs.getString(2), rs.getString(3)), rs.getLong(1));
                }
            }
        }
        Map<SeriesKey, Long> out = new HashMap<>();
        List<Map.Entry<SeriesKey, Key>> toCreate = new ArrayList<>();
        for (Map.Entry<SeriesKey, Key> e : missing.entrySet()) {
            Long id = stored.get(e.getValue());
            if (id == null) {
                toCreate.add(e);
            } else {
                out.put(e.getKey(), id);
            }
        }
        if (!toCreate.isEmpty()) {
            clientExists.setLong(1, clientId);
            try (ResultSet rs = clientExists.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("client " + clientId
                            + " is not registered; register it before appending its samples");
                }
            }
            for (Map.Entry<SeriesKey, Key> e : toCreate) {
                Key k = e.getValue();
                create.setLong(1, clientId);
                create.setString(2, k.metric());
                create.setString(3, k.labels());
                create.setString(4, FlatJson.write(e.getKey().labels().map()));
                try (ResultSet rs = create.executeQuery()) {
                    rs.next();
                    out.put(e.getKey(), rs.getLong(1));
                }
            }
        }
        Map<Key, Long> resolved = new HashMap<>();
        for (Map.Entry<SeriesKey, Key> e : missing.entrySet()) {
            resolved.put(e.getValue(), out.get(e.getKey()));
        }
        // the id is only real once committed: a rolled-back transaction must not leave it in the cache
        tx.afterCommit(() -> cache.putAll(resolved));
        return out;
    }

    /** Forgets every id (after series were deleted). */
    void invalidateAll() {
        cache.invalidateAll();
    }
}
