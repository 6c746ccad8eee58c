package io.dcmon.prometheus;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.SampleStore;
import io.dcmon.transport.server.PrometheusHooks;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The scrape body: the newest point of every series of every registered client, read from the store in one
 * {@link SampleStore#latest} call, formatted by {@link PrometheusText}. Points older than {@code maxAge} are left
 * out, so a machine that stopped reporting (or a series that stopped existing, like an unplugged disk) disappears
 * from Prometheus instead of repeating its last value forever.
 */
public final class PrometheusExposition implements PrometheusHooks.Exposition {

    /** Default of {@code maxAge}: a machine silent this long is stale in the dashboard too. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

    private final SampleStore samples;
    private final ClientStore clients;
    private final Clock clock;
    private final Duration maxAge;
    private final MetricCatalog catalog;

    /**
     * @param samples where the samples are
     * @param clients the registered clients (their hostnames become {@code instance})
     * @param clock   for {@code maxAge}
     * @param maxAge  newest point older than this is not exposed; positive
     * @param catalog metric metadata
     */
    public PrometheusExposition(SampleStore samples, ClientStore clients, Clock clock, Duration maxAge, MetricCatalog catalog) {
        this.samples = Objects.requireNonNull(samples, "samples");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge was " + maxAge + " but it must be positive, e.g. PT10M");
        }
        this.maxAge = maxAge;
    }

    @Override
    public String render() {
        long oldest = clock.millis() - maxAge.toMillis();
        Map<Long, String> hostnames = new HashMap<>();
        for (Client c : clients.list()) {
            hostnames.put(c.id(), c.hostname());
        }
        List<SeriesData> fresh = new ArrayList<>();
        for (SeriesData s : samples.latest(OptionalLong.empty(), Optional.empty(), Map.of())) {
            if (!s.points().isEmpty() && s.points().get(s.points().size() - 1).timestampMs() >= oldest) {
                fresh.add(s);
            }
        }
        return PrometheusText.format(fresh, hostnames, catalog);
    }
}
