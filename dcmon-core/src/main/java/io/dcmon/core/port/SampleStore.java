package io.dcmon.core.port;

import io.dcmon.core.model.ClientSeries;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/** Persistence of samples. Implementations are thread-safe. */
public interface SampleStore {

    /**
     * Stores samples of one client. Idempotent: a sample whose series and timestamp are already stored
     * is not stored again (the first value wins), so an agent may safely replay a batch.
     * Returns when the samples are durable.
     *
     * @return how many of the samples were new
     * @throws io.dcmon.core.service.OverloadedException when the store cannot take more writes right now (nothing of
     *         the batch is stored; the caller retries later)
     */
    int append(long clientId, List<Sample> samples);

    /** The series matching the query with their points in the time range, ascending by time. */
    List<SeriesData> query(SampleQuery query);

    /**
     * The same series downsampled in the store: one point per {@code stepMs} bucket (stamped at the bucket's start),
     * so a week of 30-second samples becomes about a thousand points for a chart.
     */
    List<SeriesData> query(SampleQuery query, long stepMs, Aggregation aggregation);

    /**
     * Per-second rate of counters over {@code stepMs} buckets; a counter that goes down (a reset, e.g. a reboot)
     * counts from zero again instead of giving a negative rate.
     */
    List<SeriesData> rate(SampleQuery query, long stepMs);

    /**
     * The newest point of every matching series, in one read (a fleet overview needs this for every client at once,
     * without one query per client): of one client or all, of one metric or all, with exact label matches
     * (a label that a series lacks matches nothing). Each returned SeriesData holds exactly one point; series
     * without any point are left out.
     */
    List<SeriesData> latest(OptionalLong clientId, Optional<String> metric, Map<String, String> labels);

    /**
     * The series known to the store that match, for pickers: of one client or all, of one metric or all, every
     * matcher holding (Prometheus semantics, see {@link LabelMatcher}); ordered by client id, metric, then canonical
     * labels.
     */
    List<ClientSeries> findSeries(OptionalLong clientId, Optional<String> metric, List<LabelMatcher> matchers);

    /** Metric names with at least one series, sorted; of one client or all. */
    List<String> metrics(OptionalLong clientId);

    /** The distinct values of one label of a metric, sorted; of one client or all; empty for an invalid name. */
    List<String> labelValues(String metric, String labelName, OptionalLong clientId);

    /**
     * The newest point of every series of any of {@code metrics}, across all clients, in one read (the fleet table
     * asks for about twenty headline metrics at once). Same points as {@link #latest} per metric; series ordered by
     * client id, metric, then labels. Stores should override this default, which reads one metric at a time.
     *
     * @param metrics metric names; unknown ones simply match nothing
     */
    default List<SeriesData> latestOfMetrics(Collection<String> metrics) {
        ArrayList<SeriesData> out = new ArrayList<>();
        for (String m : new TreeSet<>(metrics)) {
            out.addAll(latest(OptionalLong.empty(), Optional.of(m), Map.of()));
        }
        out.sort(Comparator.comparingLong(SeriesData::clientId));
        return out;
    }
}
