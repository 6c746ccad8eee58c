package io.dcmon.core.service;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.ClientSeries;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.port.Aggregation;
import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.LabelMatcher;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.port.SampleStore;
import io.dcmon.core.port.StoreMonitor;
import io.dcmon.core.port.StoreStats;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** Read side for the admin API: clients and sample ranges. */
public final class QueryService {

    private final ClientStore clients;
    private final SampleStore samples;

    public QueryService(ClientStore clients, SampleStore samples) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.samples = Objects.requireNonNull(samples, "samples");
    }

    /** All registered clients. */
    public List<Client> clients() {
        return clients.list();
    }

    /** The registered, unrevoked client with this id, if any. */
    public Optional<Client> client(long id) {
        return clients.find(id);
    }

    /** Most buckets one downsampled query may ask for per series (a chart needs about a thousand). */
    public static final long MAX_BUCKETS = 20_000;

    /** Samples matching the query. */
    public List<SeriesData> samples(SampleQuery query) {
        requireClient(query);
        return samples.query(query);
    }

    /**
     * Samples matching the query, one point per {@code stepMs} bucket, or the per-second rate of counters when
     * {@code aggregation} is empty.
     *
     * @throws RejectedException when the step is not positive or would make more than {@link #MAX_BUCKETS} buckets
     */
    public List<SeriesData> samples(SampleQuery query, long stepMs, java.util.Optional<Aggregation> aggregation) {
        requireClient(query);
        if (stepMs < 1000) {
            throw RejectedException.invalid("step was " + stepMs + " ms; it must be at least 1 s");
        }
        long buckets = (query.toMs() - query.fromMs()) / stepMs + 1;
        if (buckets > MAX_BUCKETS) {
            throw RejectedException.invalid("the range holds " + buckets + " steps of " + stepMs / 1000
                    + " s; the limit is " + MAX_BUCKETS + ": use a larger step");
        }
        return aggregation.isPresent() ? samples.query(query, stepMs, aggregation.get()) : samples.rate(query, stepMs);
    }

    /**
     * The newest value of every series of {@code metric}, across all clients, in one store read (fleet overview:
     * one call per metric, never one per client).
     *
     * @param metric the metric name
     * @param labels exact label matches, empty for all series of the metric
     */
    public List<SeriesData> latest(String metric, Map<String, String> labels) {
        Objects.requireNonNull(metric, "metric");
        return samples.latest(OptionalLong.empty(), Optional.of(metric), labels == null ? Map.of() : labels);
    }

    /**
     * Series for pickers: of one client or all, of one metric or all, every label matcher holding.
     *
     * @throws RejectedException when the client is not registered
     */
    public List<ClientSeries> series(OptionalLong clientId, Optional<String> metric, List<LabelMatcher> matchers) {
        requireClient(clientId);
        return samples.findSeries(clientId, metric, matchers == null ? List.of() : matchers);
    }

    /** Metric names with at least one series, sorted; of one client or all. */
    public List<String> metrics(OptionalLong clientId) {
        requireClient(clientId);
        return samples.metrics(clientId);
    }

    /** The distinct values of one label of a metric, sorted; of one client or all. */
    public List<String> labelValues(String metric, String labelName, OptionalLong clientId) {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(labelName, "labelName");
        requireClient(clientId);
        return samples.labelValues(metric, labelName, clientId);
    }

    /**
     * The newest value of every series of any of {@code metrics}, across all clients, in one store read (the fleet
     * table's headline metrics at once).
     *
     * @param metrics metric names
     */
    public List<SeriesData> latestOfMetrics(Collection<String> metrics) {
        Objects.requireNonNull(metrics, "metrics");
        return samples.latestOfMetrics(List.copyOf(metrics));
    }

    /**
     * The store's size and activity when the sample store reports them (both dcmon stores implement
     * {@link StoreMonitor}); empty for a store that does not.
     */
    public Optional<StoreStats> storeStats() {
        return samples instanceof StoreMonitor m ? Optional.of(m.stats()) : Optional.empty();
    }

    private void requireClient(SampleQuery query) {
        requireClient(query.clientId());
    }

    private void requireClient(OptionalLong clientId) {
        if (clientId.isPresent() && clients.find(clientId.getAsLong()).isEmpty()) {
            throw new RejectedException(RejectedException.Reason.NOT_FOUND,
                    "client " + clientId.getAsLong() + " is not registered");
        }
    }
}
