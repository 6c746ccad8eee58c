package io.dcmon.agent.app;

import io.dcmon.core.model.Sample;
import io.dcmon.hardware.Availability;
import io.dcmon.hardware.Collector;
import io.dcmon.hardware.CollectorSet;
import io.dcmon.hardware.apt.AptCollector;
import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.exec.ToolRunner;
import io.dcmon.hardware.fan.BmcFanCollector;
import io.dcmon.hardware.fan.FanControlException;
import io.dcmon.hardware.gpu.NvidiaCollector;
import io.dcmon.hardware.gpu.NvidiaSmi;
import io.dcmon.hardware.ipmi.IpmiCollector;
import io.dcmon.hardware.ipmi.Ipmitool;
import io.dcmon.hardware.nvme.NvmeCli;
import io.dcmon.hardware.nvme.NvmeCollector;
import io.dcmon.hardware.proc.OsCollector;
import io.dcmon.hardware.psu.PsuCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The collectors this agent runs, built from its configuration, each on its own interval (fast ones with the push
 * interval, NVMe every 10 min, APT hourly). Their samples wait in a queue that each push cycle drains.
 */
final class AgentCollectors implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentCollectors.class);
    static final Duration NVME_INTERVAL = Duration.ofMinutes(10);
    static final Duration APT_INTERVAL = Duration.ofHours(1);

    /**
     * Whether a collector runs on this machine, as printed by {@code collect --once}.
     *
     * @param name      collector name
     * @param available true when it runs
     * @param reason    why not, or a short note
     */
    record Status(String name, boolean available, String reason) {
    }

    private final List<CollectorSet.Entry> all;
    private final ConcurrentLinkedQueue<Sample> queue = new ConcurrentLinkedQueue<>();
    private final Duration onceTimeout;
    private CollectorSet set;
    private boolean started;

    private AgentCollectors(List<CollectorSet.Entry> all, Duration onceTimeout) {
        this.all = List.copyOf(all);
        this.onceTimeout = onceTimeout;
        this.set = CollectorSet.of(all, Clock.systemUTC());
    }

    static AgentCollectors create(AgentConfig c, AgentHardware hw, Duration pushInterval) {
        Clock clock = Clock.systemUTC();
        Duration fast = pushInterval.compareTo(CollectorSet.DEFAULT_INTERVAL) < 0 ? pushInterval : CollectorSet.DEFAULT_INTERVAL;
        // a collection must end well within a push interval
        Duration cap = pushInterval.compareTo(Duration.ofSeconds(20)) >= 0 ? Duration.ofSeconds(10) : pushInterval.dividedBy(2);
        List<CollectorSet.Entry> entries = new ArrayList<>();
        entries.add(new CollectorSet.Entry(OsCollector.local(), fast, min(cap, Duration.ofSeconds(5))));

        Tool nvidia = tool(c, "nvidia_smi", "nvidia-smi", NvidiaSmi.DEFAULT_TIMEOUT);
        entries.add(new CollectorSet.Entry(new NvidiaCollector(new NvidiaSmi(ToolRunner.local(nvidia)), clock, true),
                fast, min(cap, nvidia.timeout())));

        Ipmitool ipmitool = hw.ipmitool();
        entries.add(new CollectorSet.Entry(new IpmiCollector(ipmitool, IpmiCollector.Source.SENSOR, clock), fast, min(cap, ipmitool.timeout())));

        Tool nvme = tool(c, "nvme", "nvme", Duration.ofSeconds(20));
        entries.add(new CollectorSet.Entry(new NvmeCollector(new NvmeCli(ToolRunner.local(nvme)), clock), NVME_INTERVAL, nvme.timeout()));

        Tool ipmicfg = tool(c, "ipmicfg", "ipmicfg", PsuCollector.DEFAULT_TIMEOUT);
        entries.add(new CollectorSet.Entry(new PsuCollector(ToolRunner.local(ipmicfg), List.of("-pminfo"), clock), fast, min(cap, ipmicfg.timeout())));

        try {
            entries.add(new CollectorSet.Entry(new BmcFanCollector(hw.fans(), clock), fast, min(cap, ipmitool.timeout())));
        } catch (FanControlException e) {
            entries.add(new CollectorSet.Entry(unavailable("bmc_fan", e.getMessage()), fast, cap));
        }

        Tool apt = tool(c, "apt_get", "apt-get", Duration.ofMinutes(2));
        entries.add(new CollectorSet.Entry(new AptCollector(ToolRunner.local(apt), Path.of("/"), clock), APT_INTERVAL, apt.timeout()));
        return new AgentCollectors(entries, cap);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The configured tool: binary and extra arguments from the config, else the default name on PATH. */
    static Tool tool(AgentConfig c, String key, String defaultBinary, Duration defaultTimeout) {
        AgentConfig.ToolConfig t = c.tools().get(key);
        String binary = t != null && t.path() != null ? t.path() : defaultBinary;
        List<String> args = t != null ? t.args() : List.of();
        Duration timeout = t != null && t.timeout() != null ? t.timeout() : defaultTimeout;
        return new Tool(binary, args, timeout);
    }

    /** A collector that is known at start to have nothing to read here; it reports why once. */
    private static Collector unavailable(String name, String reason) {
        return new Collector() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Availability availability() {
                return Availability.no(reason);
            }

            @Override
            public List<Sample> collect() {
                return List.of();
            }
        };
    }

    /** Starts every available collector on its own schedule. */
    synchronized void start() {
        set.start(queue::addAll);
        started = true;
    }

    /** Samples collected since the last call (scheduled form), or one immediate collection when not started. */
    List<Sample> collect() {
        synchronized (this) {
            if (!started) {
                return set.collectOnce(onceTimeout);
            }
        }
        List<Sample> out = new ArrayList<>(queue.size() + 16);
        for (Sample s; (s = queue.poll()) != null; ) {
            out.add(s);
        }
        return out;
    }

    /** Runs only the named collectors from now on (config_update command); unknown names are ignored and logged. */
    synchronized void enable(Collection<String> names) {
        Set<String> wanted = new HashSet<>(names);
        List<CollectorSet.Entry> chosen = all.stream().filter(e -> wanted.contains(e.collector().name())).toList();
        wanted.removeAll(chosen.stream().map(e -> e.collector().name()).toList());
        if (!wanted.isEmpty()) {
            log.warn("config_update: no collectors named {}; known: {}", wanted, all.stream().map(e -> e.collector().name()).toList());
        }
        set.close();
        set = CollectorSet.of(chosen, Clock.systemUTC());
        if (started) {
            set.start(queue::addAll);
        }
        log.info("collectors now enabled: {}", chosen.stream().map(e -> e.collector().name()).toList());
    }

    synchronized List<Status> availability() {
        return set.probe().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Status(e.getKey(), e.getValue().available(), e.getValue().reason())).toList();
    }

    @Override
    public synchronized void close() {
        set.close();
    }
}
