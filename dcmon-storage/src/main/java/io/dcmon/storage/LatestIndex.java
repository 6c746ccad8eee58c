package io.dcmon.storage;

import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

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
 * on the next request).
 */
final class LatestIndex {

    /** One tracked metric: series id to its newest point, plus the key the answer is sorted by. */
    private static final class Metric {
        final Map<Long, Entry> bySeries = new ConcurrentHashMap<>();
        volatile boolean loaded;
    }

    private record Entry(SeriesData data, String sortLabels) {
        long ts() {
            return data.points().get(0).timestampMs();
        }
    }

    private static final Comparator<Entry> ORDER = Comparator.<Entry>comparingLong(e -> e.data().clientId())
            .thenComparing(e -> e.data().series().metric()).thenComparing(Entry::sortLabels);

    /** The read side's access to the database for a first load. */
    @FunctionalInterface
    interface Loader {
        List<LatestValues.Row> load(Collection<String> metrics) throws SQLException;
    }

    private final Map<String, Metric> tracked = new ConcurrentHashMap<>();

    /** The newest points of every series of {@code metrics}, by client, metric, labels. */
    List<SeriesData> of(Collection<String> metrics, Loader loader) throws SQLException {
        TreeSet<String> names = new TreeSet<>(metrics);
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
        List<Entry> all = new ArrayList<>();
        for (Metric metric : parts) {
            all.addAll(metric.bySeries.values());
        }
        all.sort(ORDER);
        List<SeriesData> out = new ArrayList<>(all.size());
        for (Entry e : all) {
            out.add(e.data());
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
    void committed(long clientId, List<Sample> samples, long[] seriesIds) {
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

    private static void offer(Metric metric, long seriesId, SeriesData data) {
        long ts = data.points().get(0).timestampMs();
        metric.bySeries.compute(seriesId, (id, old) -> old != null && old.ts() >= ts ? old
                : new Entry(data, old != null ? old.sortLabels() : data.series().labels().canonical()));
    }

    /** Forgets everything (series were removed); metrics load again on their next request. */
    void clear() {
        tracked.clear();
    }
}
