package io.dcmon.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dcmon.core.model.SeriesKey;

import java.sql.SQLException;

import static io.dcmon.storage.internal.gen.Tables.CLIENTS;
import static io.dcmon.storage.internal.gen.Tables.SERIES;

/**
 * Maps (client, metric, canonical labels) to the series' small integer id, creating series on first use.
 * Lookups and creation run on the writer thread; ids enter the Caffeine cache only after their
 * transaction committed, so a rolled-back series never leaves a dangling id behind.
 */
final class SeriesIds {

    private record Key(long clientId, String metric, String labels) {
    }

    private final Cache<Key, Long> cache;

    SeriesIds(long maxSize) {
        this.cache = Caffeine.newBuilder().maximumSize(maxSize).build();
    }

    long resolve(WriteQueue.Tx tx, long clientId, SeriesKey series) throws SQLException {
        Key key = new Key(clientId, series.metric(), series.labels().canonical());
        Long cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        long id = find(tx, key);
        if (id < 0) {
            id = create(tx, key, series);
        }
        long committedId = id;
        tx.afterCommit(() -> cache.put(key, committedId));
        return id;
    }

    private static long find(WriteQueue.Tx tx, Key key) {
        Long id = tx.dsl().select(SERIES.ID).from(SERIES)
                .where(SERIES.CLIENT_ID.eq(key.clientId()), SERIES.METRIC.eq(key.metric()), SERIES.LABELS.eq(key.labels()))
                .fetchOne(SERIES.ID);
        return id == null ? -1 : id;
    }

    private static long create(WriteQueue.Tx tx, Key key, SeriesKey series) {
        if (!tx.dsl().fetchExists(CLIENTS, CLIENTS.ID.eq(key.clientId()))) {
            throw new IllegalArgumentException("client " + key.clientId()
                    + " is not registered; register it before appending its samples");
        }
        return tx.dsl().insertInto(SERIES)
                .set(SERIES.CLIENT_ID, key.clientId())
                .set(SERIES.METRIC, key.metric())
                .set(SERIES.LABELS, key.labels())
                .set(SERIES.LABELS_JSON, FlatJson.write(series.labels().map()))
                .returning(SERIES.ID)
                .fetchOne(SERIES.ID);
    }

    /** Forgets every id (after series were deleted). */
    void invalidateAll() {
        cache.invalidateAll();
    }
}
