package io.dcmon.storage;

import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The newest point of every series of the metrics someone asked {@link SqliteStorage#latestOfMetrics} for, kept in
 * memory so the fleet table (tens of thousands of series at 1000 clients) is a map walk instead of four index seeks
 * per series. A metric is loaded from the database (one statement) on its first request and from then on the writer
 * thread updates it after each commit; only those metrics are held, so memory follows the fleet table's ~60 series
 * per client, not every series.
 *
 * <p>Consistency: a metric is marked tracked before its load reads a snapshot, and the writer applies a commit's
 * samples only to tracked metrics, always keeping the newer timestamp; so a commit is either in the snapshot or
 * applied after the mark (or both, harmlessly). An update never replaces a point with one of the same or an older
 * timestamp, which keeps "first value wins" for replays. Retention that removes series clears everything (reloaded
 * on the next request). Loads, commits and clears hold the index's lock, so a clear never races an update into the
 * ordered view; reads take no lock.
 */
final class LatestIndex {

    /** One tracked metric: series id to its newest point and its place in {@link #ordered}. */
    private static final class Metric {
        final Map<Long, Entry> bySeries = new ConcurrentHashMap<>();
        volatile boolean loaded;
    }

    private record Entry(SeriesData data, Key key) {
        long ts() {
            return data.points().get(0).timestampMs();
        }
    }

    /** Where a series sits in the answer: client id, metric, canonical labels (the port's documented order). */
    private record Key(long clientId, String metric, String labels) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(clientId, o.clientId);
            if (c == 0) {
                c = metric.compareTo(o.metric);
            }
            return c != 0 ? c : labels.compareTo(o.labels);
        }
    }

    /** The read side's access to the database for a first load. */
    @FunctionalInterface
    interface Loader {
        List<LatestValues.Row> load(Collection<String> metrics) throws SQLException;
    }

    private final Map<String, Metric> tracked = new ConcurrentHashMap<>();

    /**
     * Every held point already in answer order, so a request is one ordered walk instead of sorting ~27 000 entries
     * at 1000 clients (that sort was most of the read's time); the writer pays one skip-list step per updated series.
     */
    private final ConcurrentSkipListMap<Key, SeriesData> ordered = new ConcurrentSkipListMap<>();

    /** The newest points of every series of {@code metrics}, by client, metric, labels. */
    List<SeriesData> of(Collection<String> metrics, Loader loader) throws SQLException {
        Set<String> names = new HashSet<>(metrics);
        List<Metric> parts = new ArrayList<>(names.size());
        List<String> toLoad = new ArrayList<>();
        for (String m : names) {
            Metric metric = tracked.computeIfAbsent(m, k -> new Metric());
            parts.add(metric);
            if (!metric.loaded) {
                toLoad.add(m);
            }
        }
        if (!toLoad.isEmpty()) {
            load(toLoad, loader);
        }
        int size = 0;
        for (Metric metric : parts) {
            size += metric.bySeries.size();
        }
        List<SeriesData> out = new ArrayList<>(size);
        // other tracked metrics (asked for by someone else) share the walk; skipping them is one hash look-up each
        boolean all = names.size() == tracked.size();
        for (Map.Entry<Key, SeriesData> e : ordered.entrySet()) {
            if (all || names.contains(e.getKey().metric())) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    private synchronized void load(List<String> metrics, Loader loader) throws SQLException {
        List<String> still = new ArrayList<>();
        for (String m : metrics) {
            Metric metric = tracked.get(m);
            if (metric != null && !metric.loaded) {
                still.add(m);
            }
        }
        if (still.isEmpty()) {
            return;
        }
        for (LatestValues.Row r : loader.load(still)) {
            Metric metric = tracked.get(r.data().series().metric());
            if (metric != null) {
                offer(metric, r.seriesId(), r.data());
            }
        }
        for (String m : still) {
            Metric metric = tracked.get(m);
            if (metric != null) {
                metric.loaded = true;
            }
        }
    }

    /** Writer thread, after commit: the newest of {@code samples} per series becomes its latest when newer. */
    synchronized void committed(long clientId, List<Sample> samples, long[] seriesIds) {
        if (tracked.isEmpty()) {
            return;
        }
        for (int i = 0; i < seriesIds.length; i++) {
            Sample s = samples.get(i);
            Metric metric = tracked.get(s.series().metric());
            if (metric != null) {
                offer(metric, seriesIds[i], new SeriesData(clientId, s.series(), List.of(new Point(s.timestampMs(), s.value()))));
            }
        }
    }

    private void offer(Metric metric, long seriesId, SeriesData data) {
        long ts = data.points().get(0).timestampMs();
        metric.bySeries.compute(seriesId, (id, old) -> {
            if (old != null && old.ts() >= ts) {
                return old;
            }
            Key key = old != null ? old.key()
                    : new Key(data.clientId(), data.series().metric(), data.series().labels().canonical());
            // inside compute: offers of one series are serialised, so the ordered view never keeps an older point
            ordered.put(key, data);
            return new Entry(data, key);
        });
    }

    /** Forgets everything (series were removed); metrics load again on their next request. */
    synchronized void clear() {
        tracked.clear();
        ordered.clear();
    }
}
