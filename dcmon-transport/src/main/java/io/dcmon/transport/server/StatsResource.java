package io.dcmon.transport.server;

import io.dcmon.core.model.Client;
import io.dcmon.core.port.StoreStats;
import io.dcmon.transport.wire.StatsView;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code GET /api/stats} (admin): clients by status, ingest totals since start, the store's size and activity, and the remote-write counters. */
@Singleton
@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
public final class StatsResource {

    private final ApiContext api;

    @Inject
    StatsResource(ApiContext api) {
        this.api = api;
    }

    /** Current statistics. */
    @GET
    @Access(Access.Role.ADMIN)
    public StatsView stats() {
        Instant now = api.services().clock().instant();
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        for (ClientStatus s : ClientStatus.values()) {
            byStatus.put(s.wire(), 0);
        }
        for (Client c : api.services().query().clients()) {
            byStatus.merge(ClientStatus.of(c.lastSeen(), now, api.services().options().clientInterval()).wire(), 1, Integer::sum);
        }
        long uptime = Math.max(0, Duration.between(api.startedAt(), now).toSeconds());
        long stored = api.ingest().stored.sum();
        double perMinute = uptime == 0 ? 0 : stored * 60.0 / uptime;
        Optional<StoreStats> store = api.services().query().storeStats();
        return new StatsView(byStatus, api.ingest().batches.sum(), api.ingest().received.sum(), stored,
                api.ingest().refused.sum(), Math.round(perMinute * 10) / 10.0,
                api.commands() == null ? 0 : api.commands().waiters.size(), uptime,
                store.map(StoreStats::series).orElse(null), store.map(StoreStats::samples).orElse(null),
                store.map(StoreStats::databaseBytes).orElse(null),
                store.map(StoreStats::oldestSample).map(Instant::getEpochSecond).orElse(null),
                store.map(s -> Math.round(s.ingestPerSecond() * 10) / 10.0).orElse(null),
                store.map(StoreStats::writeQueueDepth).orElse(null), remoteWrite());
    }

    /** The remote-write forwarder's counters, or null (left out of the JSON) when it is off. */
    private Map<String, Long> remoteWrite() {
        java.util.function.Supplier<Map<String, Long>> counters = api.services().prometheus().counters();
        return counters == null ? null : new LinkedHashMap<>(counters.get());
    }
}
