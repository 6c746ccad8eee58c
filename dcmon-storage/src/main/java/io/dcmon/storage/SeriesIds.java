package io.dcmon.storage;

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
 * Maps (client, metric, canonical labels) to the series' small integer id, creating series on first use, and knows
 * which value kinds each series was written with ({@code series.kinds}: {@link #INT}, {@link #REAL} or both).
 * Lookups and creation run on the writer thread, the only thread that touches the {@link SeriesIdCache}; ids enter
 * the cache only after their transaction committed, so a rolled-back series never leaves a dangling id behind.
 *
 * <p>A batch resolves all its series at once: cache hits first, then the misses with one read of the client's
 * series (or a point lookup each when only a few miss), then one prepared insert per series still unknown, all
 * in plain JDBC. The client's existence is checked once per batch, not once per new series.
 *
 * <p>Kinds: a (series, ts) lives in at most one of the two sample tables. A sample of a series that only ever had
 * its own kind cannot meet a row in the other table, so its insert skips the check; the first sample of the other
 * kind adds the bit to {@code series.kinds} in the same transaction, and from then on the check runs. The bits a
 * transaction added reach the cache after its commit; until then they are kept for that transaction only (by
 * {@link WriteQueue.Tx#sequence()}), so a later batch of the same group sees them and a rollback drops them.
 */
final class SeriesIds {

    /** Kind bit: the series has rows (or had) in {@code samples_int}. */
    static final int INT = 1;
    /** Kind bit: the series has rows (or had) in {@code samples_real}. */
    static final int REAL = 2;
    /** Both kinds: inserts check the other table. */
    static final int BOTH = INT | REAL;

    /** At most this many misses are looked up one by one; more load all the client's series in one read. */
    private static final int POINT_LOOKUPS = 8;

    /** The series of a batch: each sample's series id, and whether its insert must check the other table. */
    record Resolved(long[] ids, boolean[] probe) {
    }

    /** A series of the batch the cache did not know. */
    private static final class Miss {
        final String metric;
        final String labels;
        int batchKinds;     // kinds of this series' samples in the batch
        long id;
        int kinds;          // stored kinds (of a new series: the batch's)

        Miss(String metric, String labels) {
            this.metric = metric;
            this.labels = labels;
        }
    }

    private final SeriesIdCache cache;
    private final Map<Long, Integer> pendingKinds = new HashMap<>(); // kinds added by the running transaction
    private long pendingSequence = Long.MIN_VALUE;
    private PreparedStatement findOne;     // writer thread only, on the writer's connection
    private PreparedStatement findClient;
    private PreparedStatement clientExists;
    private PreparedStatement create;
    private PreparedStatement addKinds;

    SeriesIds(long maxSize) {
        this.cache = new SeriesIdCache(maxSize);
    }

    /** The kind bit of a sample's value. */
    static int kindOf(Sample s) {
        return s.value() instanceof Long ? INT : REAL;
    }

    /**
     * The series id of every sample, in order, creating the series that do not exist yet and recording new kinds.
     *
     * @throws IllegalArgumentException when a series must be created and the client is not registered
     */
    Resolved resolveAll(WriteQueue.Tx tx, long clientId, List<Sample> samples) throws SQLException {
        if (tx.sequence() != pendingSequence) {
            // the transaction that added them has committed (its hooks updated the cache) or rolled back
            pendingKinds.clear();
            pendingSequence = tx.sequence();
        }
        int n = samples.size();
        long[] ids = new long[n];
        int[] kinds = new int[n];
        Map<SeriesKey, Miss> missing = null;
        // one cache look-up per sample, no per-batch map of the series seen: hashing a SeriesKey walks its labels,
        // which cost more than the look-up it saved for the rare series repeated in a batch; misses are
        // de-duplicated by the missing map
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            SeriesKey sk = s.series();
            String labels = sk.labels().canonical();
            long entry = cache.get(clientId, sk.metric(), labels);
            if (entry == SeriesIdCache.ABSENT) {
                if (missing == null) {
                    missing = new HashMap<>();
                }
                missing.computeIfAbsent(sk, k -> new Miss(k.metric(), labels)).batchKinds |= kindOf(s);
                ids[i] = -1;
            } else {
                ids[i] = SeriesIdCache.id(entry);
                kinds[i] = SeriesIdCache.kinds(entry);
            }
        }
        if (missing != null) {
            lookUp(tx, clientId, missing);
            for (int i = 0; i < n; i++) {
                if (ids[i] < 0) {
                    Miss m = missing.get(samples.get(i).series());
                    ids[i] = m.id;
                    kinds[i] = m.kinds;
                }
            }
        }
        boolean[] probe = new boolean[n];
        for (int i = 0; i < n; i++) {
            int known = withPending(kinds[i], ids[i]);
            int kind = kindOf(samples.get(i));
            if ((known & kind) == 0) {
                addKind(tx, clientId, samples.get(i).series(), ids[i], kind);
                known |= kind;
            }
            kinds[i] = known;
        }
        for (int i = 0; i < n; i++) {
            // a series repeated in the batch may have gained its other kind from a later sample
            probe[i] = withPending(kinds[i], ids[i]) == BOTH;
        }
        return new Resolved(ids, probe);
    }

    /** {@code kinds} with those the running transaction added to series {@code id}. */
    private int withPending(int kinds, long id) {
        return pendingKinds.isEmpty() ? kinds : kinds | pendingKinds.getOrDefault(id, 0);
    }

    /** The series gets its other kind: stored now, cached after the commit, known to this transaction meanwhile. */
    private void addKind(WriteQueue.Tx tx, long clientId, SeriesKey sk, long id, int kind) throws SQLException {
        prepare(tx.connection());
        addKinds.setInt(1, kind);
        addKinds.setLong(2, id);
        addKinds.executeUpdate();
        pendingKinds.merge(id, kind, (a, b) -> a | b);
        String metric = sk.metric();
        String labels = sk.labels().canonical();
        tx.afterCommit(() -> cache.addKinds(clientId, metric, labels, id, kind));
    }

    private void prepare(Connection c) throws SQLException {
        if (findOne == null) {
            findOne = c.prepareStatement("SELECT id, kinds FROM series WHERE client_id = ? AND metric = ? AND labels = ?");
            findClient = c.prepareStatement("SELECT id, metric, labels, kinds FROM series WHERE client_id = ?");
            clientExists = c.prepareStatement("SELECT 1 FROM clients WHERE id = ?");
            create = c.prepareStatement("INSERT INTO series (client_id, metric, labels, labels_json, kinds) "
                    + "VALUES (?, ?, ?, ?, ?) RETURNING id");
            addKinds = c.prepareStatement("UPDATE series SET kinds = kinds | ? WHERE id = ?");
        }
    }

    /** Fills in the id and stored kinds of the missing series, existing or created now; each is cached after the commit. */
    private void lookUp(WriteQueue.Tx tx, long clientId, Map<SeriesKey, Miss> missing) throws SQLException {
        prepare(tx.connection());
        List<Map.Entry<SeriesKey, Miss>> toCreate = new ArrayList<>();
        if (missing.size() <= POINT_LOOKUPS) {
            for (Map.Entry<SeriesKey, Miss> e : missing.entrySet()) {
                Miss m = e.getValue();
                findOne.setLong(1, clientId);
                findOne.setString(2, m.metric);
                findOne.setString(3, m.labels);
                try (ResultSet rs = findOne.executeQuery()) {
                    if (rs.next()) {
                        m.id = rs.getLong(1);
                        m.kinds = rs.getInt(2);
                    } else {
                        toCreate.add(e);
                    }
                }
            }
        } else {
            Map<String, Map<String, long[]>> stored = new HashMap<>(); // metric -> labels -> {id, kinds}
            findClient.setLong(1, clientId);
            try (ResultSet rs = findClient.executeQuery()) {
                while (rs.next()) {
                    stored.computeIfAbsent(rs.getString(2), k -> new HashMap<>())
                            .put(rs.getString(3), new long[] {rs.getLong(1), rs.getInt(4)});
                }
            }
            for (Map.Entry<SeriesKey, Miss> e : missing.entrySet()) {
                Miss m = e.getValue();
                long[] row = stored.getOrDefault(m.metric, Map.of()).get(m.labels);
                if (row == null) {
                    toCreate.add(e);
                } else {
                    m.id = row[0];
                    m.kinds = (int) row[1];
                }
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
            for (Map.Entry<SeriesKey, Miss> e : toCreate) {
                Miss m = e.getValue();
                create.setLong(1, clientId);
                create.setString(2, m.metric);
                create.setString(3, m.labels);
                create.setString(4, FlatJson.write(e.getKey().labels().map()));
                create.setInt(5, m.batchKinds);
                try (ResultSet rs = create.executeQuery()) {
                    rs.next();
                    m.id = rs.getLong(1);
                }
                m.kinds = m.batchKinds;
            }
        }
        List<Miss> resolved = new ArrayList<>(missing.values());
        // the id is only real once committed: a rolled-back transaction must not leave it in the cache; kinds this
        // transaction adds later reach the entries through their own hooks, which run after this one
        tx.afterCommit(() -> {
            for (Miss m : resolved) {
                cache.put(clientId, m.metric, m.labels, m.id, m.kinds);
            }
        });
    }

    /** Forgets every id (after series were deleted). */
    void invalidateAll() {
        cache.clear();
        pendingKinds.clear();
    }
}
