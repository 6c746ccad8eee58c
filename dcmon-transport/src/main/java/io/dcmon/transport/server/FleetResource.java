package io.dcmon.transport.server;

import io.dcmon.core.model.Client;
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
import java.util.function.BiConsumer;

/**
 * {@code GET /api/fleet} (admin): the dashboard's landing table in one call. One multi-metric latest-value read
 * across all clients ({@link QueryService#latestOfMetrics}, never one read per client or per metric), run beside the
 * clients read and folded into one row per client.
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
        List<Read> reads = reads();
        // one store read for every headline metric, beside the clients read; then each series goes to the reads of
        // its metric whose labels it matches
        Set<String> metrics = metrics();
        CompletableFuture<List<SeriesData>> latest = CompletableFuture.supplyAsync(() -> query.latestOfMetrics(metrics), executor);
        List<Client> clients = query.clients();
        Map<Long, Acc> acc = new HashMap<>();
        for (Client c : clients) {
            acc.put(c.id(), new Acc());
        }
        Map<String, List<SeriesData>> byMetric = new HashMap<>();
        for (SeriesData d : join(latest)) {
            byMetric.computeIfAbsent(d.series().metric(), k -> new ArrayList<>()).add(d);
        }
        for (Read r : reads) {
            List<SeriesData> of = byMetric.getOrDefault(r.metric(), List.of());
            if (!r.labels().isEmpty()) {
                of = of.stream().filter(d -> matches(d, r.labels())).toList();
            }
            fold(of, acc, r.into());
        }
        List<FleetRow> rows = new ArrayList<>(clients.size());
        for (Client c : clients) {
            Acc a = acc.get(c.id());
            ClientStatus status = ClientStatus.of(c.lastSeen(), now, interval);
            TreeSet<String> failing = new TreeSet<>(a.down);
            failing.removeAll(a.unavailable);
            rows.add(new FleetRow(c.id(), c.hostname(), status.wire(),
                    c.lastSeen() == null ? null : c.lastSeen().getEpochSecond(), a.uptime, a.cpuTemp, a.boardTemp,
                    a.gpuCount != null ? Integer.valueOf((int) Math.round(a.gpuCount)) : a.gpus.isEmpty() ? null : a.gpus.size(),
                    a.gpuTemp, a.gpuUtil, a.gpuPower, usedPercent(a.memAvailable, a.memTotal),
                    usedPercent(a.fsAvail, a.fsSize), a.load1, integer(a.cpuCount), integer(a.updates),
                    integer(a.securityUpdates), a.reboot == null ? null : a.reboot >= 1, fanMode(a.fanMode),
                    List.copyOf(failing)));
        }
        return new FleetView(now.getEpochSecond(), interval.toSeconds(), FleetView.defaultThresholds(), rows);
    }

    private static boolean matches(SeriesData d, Map<String, String> labels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(d.series().labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The headline metrics the table reads (benchmarks time reading them). */
    static Set<String> metrics() {
        Set<String> names = new TreeSet<>();
        for (Read r : reads()) {
            names.add(r.metric());
        }
        return names;
    }

    /** Each headline metric, the labels it must carry, and how its values fold into a row. */
    private static List<Read> reads() {
        List<Read> reads = new ArrayList<>();
        reads.add(new Read("node_uptime_seconds", Map.of(), (a, p) -> a.uptime = p.value));
        reads.add(new Read("ipmi_temperature_celsius", Map.of(), (a, p) -> {
            if (p.label("sensor").toLowerCase(Locale.ROOT).contains("cpu")) {
                a.cpuTemp = max(a.cpuTemp, p.value);
            } else {
                a.boardTemp = max(a.boardTemp, p.value);
            }
        }));
        reads.add(new Read("nvidia_gpu_count", Map.of(), (a, p) -> a.gpuCount = p.value));
        reads.add(new Read("nvidia_gpu_temperature_celsius", Map.of(), (a, p) -> {
            a.gpuTemp = max(a.gpuTemp, p.value);
            a.gpus.add(p.label("gpu"));
        }));
        reads.add(new Read("nvidia_gpu_utilization_percent", Map.of(), (a, p) -> a.gpuUtil = max(a.gpuUtil, p.value)));
        reads.add(new Read("nvidia_gpu_power_draw_watts", Map.of(), (a, p) -> a.gpuPower = max(a.gpuPower, p.value)));
        reads.add(new Read("node_memory_total_bytes", Map.of(), (a, p) -> a.memTotal = p.value));
        reads.add(new Read("node_memory_available_bytes", Map.of(), (a, p) -> a.memAvailable = p.value));
        Map<String, String> root = Map.of("mountpoint", "/");
        reads.add(new Read("node_filesystem_size_bytes", root, (a, p) -> a.fsSize = p.value));
        reads.add(new Read("node_filesystem_avail_bytes", root, (a, p) -> a.fsAvail = p.value));
        reads.add(new Read("node_load1", Map.of(), (a, p) -> a.load1 = p.value));
        reads.add(new Read("node_cpu_count", Map.of(), (a, p) -> a.cpuCount = p.value));
        reads.add(new Read("apt_upgrades_pending", Map.of(), (a, p) -> a.updates = p.value));
        reads.add(new Read("apt_security_upgrades_pending", Map.of(), (a, p) -> a.securityUpdates = p.value));
        reads.add(new Read("node_reboot_required", Map.of(), (a, p) -> a.reboot = p.value));
        reads.add(new Read("bmc_fan_mode", Map.of(), (a, p) -> a.fanMode = p.value));
        reads.add(new Read("dcmon_collector_up", Map.of(), (a, p) -> {
            if (p.value == 0) {
                a.down.add(p.label("collector"));
            }
        }));
        reads.add(new Read("dcmon_collector_available", Map.of(), (a, p) -> {
            if (p.value == 0) {
                a.unavailable.add(p.label("collector"));
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

    private record Point(double value, Map<String, String> labels) {
        String label(String name) {
            String v = labels.get(name);
            return v == null ? "" : v;
        }
    }

    /** One latest-value read and how its values fold into a row. */
    private record Read(String metric, Map<String, String> labels, BiConsumer<Acc, Point> into) {
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

    private static void fold(List<SeriesData> series, Map<Long, Acc> acc, BiConsumer<Acc, Point> into) {
        for (SeriesData s : series) {
            Acc a = acc.get(s.clientId());
            if (a == null || s.points().isEmpty()) {
                continue;
            }
            double v = s.points().get(s.points().size() - 1).value().doubleValue();
            if (Double.isFinite(v)) {
                into.accept(a, new Point(v, s.series().labels().map()));
            }
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
        final Set<String> gpus = new HashSet<>();
        final Set<String> down = new HashSet<>();
        final Set<String> unavailable = new HashSet<>();
    }
}
