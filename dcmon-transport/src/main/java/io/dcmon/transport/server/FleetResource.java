package io.dcmon.transport.server;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.Labels;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.service.QueryService;
import io.dcmon.transport.wire.FleetRow;
import io.dcmon.transport.wire.FleetView;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@code GET /api/fleet} (admin): the dashboard's landing table in one call. One multi-metric latest-value read
 * across all clients ({@link QueryService#latestOfMetrics}, never one read per client or per metric), run beside the
 * clients read and folded into one row per client. Gzip-compressed when the browser accepts it ({@link Gzipped}).
 */
@Singleton
@Path("/api/fleet")
@Produces(MediaType.APPLICATION_JSON)
public final class FleetResource {

    private final ApiContext api;

    @Inject
    FleetResource(ApiContext api) {
        this.api = api;
    }

    /** Every registered client with its newest headline values and the colour thresholds. */
    @GET
    @Access(Access.Role.ADMIN)
    @Gzipped
    public FleetView fleet() {
        Instant now = api.services().clock().instant();
        Duration interval = api.services().options().clientInterval();
        FleetView v = build(api.services().query(), now, interval, api.reads());
        // the thresholds come from the server's configuration (ApiOptions), the one place they are set
        return new FleetView(v.generatedAt(), v.clientIntervalSeconds(), api.services().options().thresholds(), v.clients());
    }

    /**
     * Builds the view from one latest-value read of every headline metric, run on {@code executor}.
     */
    static FleetView build(QueryService query, Instant now, Duration interval, Executor executor) {
        // one store read for every headline metric, beside the clients read; then one pass over the series (the store
        // answers them grouped by client) hands each value to the reads of its metric whose labels it matches
        CompletableFuture<List<SeriesData>> latest = CompletableFuture.supplyAsync(() -> query.latestOfMetrics(METRICS), executor);
        List<Client> clients = query.clients();
        Map<Long, Acc> acc = new HashMap<>(clients.size() * 2);
        for (Client c : clients) {
            acc.put(c.id(), new Acc());
        }
        long current = Long.MIN_VALUE;
        Acc a = null;
        for (SeriesData d : join(latest)) {
            List<Read> of = BY_METRIC.get(d.series().metric());
            if (of == null || d.points().isEmpty()) {
                continue;
            }
            if (d.clientId() != current) {
                current = d.clientId();
                a = acc.get(current);
            }
            if (a == null) {
                continue; // a revoked client's series
            }
            double v = d.points().get(d.points().size() - 1).value().doubleValue();
            if (!Double.isFinite(v)) {
                continue;
            }
            Labels labels = d.series().labels();
            for (Read r : of) {
                if (matches(labels, r.labels())) {
                    r.into().accept(a, v, labels);
                }
            }
        }
        List<FleetRow> rows = new ArrayList<>(clients.size());
        for (Client c : clients) {
            Acc x = acc.get(c.id());
            ClientStatus status = ClientStatus.of(c.lastSeen(), now, interval);
            List<String> failing = x.down == null ? List.of() : failing(x);
            rows.add(new FleetRow(c.id(), c.hostname(), status.wire(),
                    c.lastSeen() == null ? null : c.lastSeen().getEpochSecond(), x.uptime, x.cpuTemp, x.boardTemp,
                    x.gpuCount != null ? Integer.valueOf((int) Math.round(x.gpuCount)) : x.gpus == null ? null : x.gpus.size(),
                    x.gpuTemp, x.gpuUtil, x.gpuPower, usedPercent(x.memAvailable, x.memTotal),
                    usedPercent(x.fsAvail, x.fsSize), x.load1, integer(x.cpuCount), integer(x.updates),
                    integer(x.securityUpdates), x.reboot == null ? null : x.reboot >= 1, fanMode(x.fanMode), failing));
        }
        return new FleetView(now.getEpochSecond(), interval.toSeconds(), FleetView.defaultThresholds(), rows);
    }

    private static List<String> failing(Acc a) {
        TreeSet<String> failing = new TreeSet<>(a.down);
        if (a.unavailable != null) {
            failing.removeAll(a.unavailable);
        }
        return List.copyOf(failing);
    }

    private static boolean matches(Labels have, Map<String, String> want) {
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!e.getValue().equals(have.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Each headline metric's reads, built once. */
    private static final Map<String, List<Read>> BY_METRIC = byMetric();

    /** The headline metrics the table reads. */
    private static final Set<String> METRICS = Set.copyOf(BY_METRIC.keySet());

    /** The headline metrics the table reads (benchmarks time reading them). */
    static Set<String> metrics() {
        return METRICS;
    }

    private static Map<String, List<Read>> byMetric() {
        Map<String, List<Read>> by = new HashMap<>();
        for (Read r : reads()) {
            by.computeIfAbsent(r.metric(), k -> new ArrayList<>()).add(r);
        }
        Map<String, List<Read>> frozen = new HashMap<>();
        by.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return Map.copyOf(frozen);
    }

    /** Each headline metric, the labels it must carry, and how its values fold into a row. */
    private static List<Read> reads() {
        List<Read> reads = new ArrayList<>();
        reads.add(new Read("node_uptime_seconds", Map.of(), (a, v, l) -> a.uptime = v));
        reads.add(new Read("ipmi_temperature_celsius", Map.of(), (a, v, l) -> {
            if (label(l, "sensor").toLowerCase(Locale.ROOT).contains("cpu")) {
                a.cpuTemp = max(a.cpuTemp, v);
            } else {
                a.boardTemp = max(a.boardTemp, v);
            }
        }));
        reads.add(new Read("nvidia_gpu_count", Map.of(), (a, v, l) -> a.gpuCount = v));
        reads.add(new Read("nvidia_gpu_temperature_celsius", Map.of(), (a, v, l) -> {
            a.gpuTemp = max(a.gpuTemp, v);
            if (a.gpus == null) {
                a.gpus = new HashSet<>();
            }
            a.gpus.add(label(l, "gpu"));
        }));
        reads.add(new Read("nvidia_gpu_utilization_percent", Map.of(), (a, v, l) -> a.gpuUtil = max(a.gpuUtil, v)));
        reads.add(new Read("nvidia_gpu_power_draw_watts", Map.of(), (a, v, l) -> a.gpuPower = max(a.gpuPower, v)));
        reads.add(new Read("node_memory_total_bytes", Map.of(), (a, v, l) -> a.memTotal = v));
        reads.add(new Read("node_memory_available_bytes", Map.of(), (a, v, l) -> a.memAvailable = v));
        Map<String, String> root = Map.of("mountpoint", "/");
        reads.add(new Read("node_filesystem_size_bytes", root, (a, v, l) -> a.fsSize = v));
        reads.add(new Read("node_filesystem_avail_bytes", root, (a, v, l) -> a.fsAvail = v));
        reads.add(new Read("node_load1", Map.of(), (a, v, l) -> a.load1 = v));
        reads.add(new Read("node_cpu_count", Map.of(), (a, v, l) -> a.cpuCount = v));
        reads.add(new Read("apt_upgrades_pending", Map.of(), (a, v, l) -> a.updates = v));
        reads.add(new Read("apt_security_upgrades_pending", Map.of(), (a, v, l) -> a.securityUpdates = v));
        reads.add(new Read("node_reboot_required", Map.of(), (a, v, l) -> a.reboot = v));
        reads.add(new Read("bmc_fan_mode", Map.of(), (a, v, l) -> a.fanMode = v));
        reads.add(new Read("dcmon_collector_up", Map.of(), (a, v, l) -> {
            if (v == 0) {
                if (a.down == null) {
                    a.down = new HashSet<>();
                }
                a.down.add(label(l, "collector"));
            }
        }));
        reads.add(new Read("dcmon_collector_available", Map.of(), (a, v, l) -> {
            if (v == 0) {
                if (a.unavailable == null) {
                    a.unavailable = new HashSet<>();
                }
                a.unavailable.add(label(l, "collector"));
            }
        }));
        return reads;
    }

    /** Supermicro fan mode codes as the agent reports them ({@code bmc_fan_mode}). */
    static String fanMode(Double code) {
        if (code == null) {
            return null;
        }
        return switch ((int) Math.round(code)) {
            case 0 -> "standard";
            case 1 -> "full";
            case 2 -> "optimal";
            case 4 -> "heavy_io";
            default -> "mode " + Math.round(code);
        };
    }

    private static String label(Labels labels, String name) {
        String v = labels.get(name);
        return v == null ? "" : v;
    }

    /** How one value of a series (its labels beside it) folds into a client's row. */
    @FunctionalInterface
    private interface Into {
        void accept(Acc acc, double value, Labels labels);
    }

    /** One latest-value read and how its values fold into a row. */
    private record Read(String metric, Map<String, String> labels, Into into) {
    }

    private static List<SeriesData> join(CompletableFuture<List<SeriesData>> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static Double usedPercent(Double free, Double total) {
        if (free == null || total == null || total <= 0) {
            return null;
        }
        return Math.max(0, Math.min(100, 100.0 * (1 - free / total)));
    }

    private static Integer integer(Double v) {
        return v == null ? null : (int) Math.round(v);
    }

    private static Double max(Double a, double b) {
        return a == null ? b : Math.max(a, b);
    }

    /** Values of one client gathered across the reads. */
    private static final class Acc {
        Double uptime;
        Double cpuTemp;
        Double boardTemp;
        Double gpuCount;
        Double gpuTemp;
        Double gpuUtil;
        Double gpuPower;
        Double memTotal;
        Double memAvailable;
        Double fsSize;
        Double fsAvail;
        Double load1;
        Double cpuCount;
        Double updates;
        Double securityUpdates;
        Double reboot;
        Double fanMode;
        // allocated on first use: most rows have no GPU and no failing collector
        Set<String> gpus;
        Set<String> down;
        Set<String> unavailable;
    }
}
