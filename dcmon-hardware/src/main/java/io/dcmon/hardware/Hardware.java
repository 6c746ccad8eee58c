package io.dcmon.hardware;

import io.dcmon.hardware.apt.AptCollector;
import io.dcmon.hardware.exec.CommandRunner;
import io.dcmon.hardware.exec.ProcessCommandRunner;
import io.dcmon.hardware.exec.ToolRunner;
import io.dcmon.hardware.fan.FanControlSettings;
import io.dcmon.hardware.fan.SupermicroFans;
import io.dcmon.hardware.gpu.NvidiaCollector;
import io.dcmon.hardware.gpu.NvidiaSmi;
import io.dcmon.hardware.ipmi.IpmiCollector;
import io.dcmon.hardware.ipmi.Ipmitool;
import io.dcmon.hardware.nvme.NvmeCli;
import io.dcmon.hardware.nvme.NvmeCollector;
import io.dcmon.hardware.nvme.Smartctl;
import io.dcmon.hardware.proc.OsCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The entry point of dcmon-hardware: probe once, then use typed devices.
 *
 * <pre>{@code
 * Hardware hw = Hardware.probe();                      // asks each tool once what exists
 * for (GpuReading gpu : hw.gpus().read())              // nvidia-smi --query-gpu, parsed
 *     System.out.println(gpu.name() + " " + gpu.temperatureCelsius().orElse(Double.NaN) + " °C");
 * }</pre>
 *
 * Every tool runs through one {@link ToolRunner} per binary, created here and shared by everything that
 * uses that binary (at most one call in flight per tool). Thread-safe after {@code probe} returns.
 */
public final class Hardware {

    private static final Logger LOG = LoggerFactory.getLogger(Hardware.class);

    private final HardwareConfig config;
    private final Clock clock;
    private final Ipmitool ipmitool;
    private final IpmiCollector ipmiCollector;
    private final Optional<SupermicroFans> fans;
    private final NvidiaSmi gpus;
    private final NvmeCli nvme;
    private final Smartctl smartctl;
    private final OsCollector os;
    private final NvidiaCollector nvidiaCollector;
    private final NvmeCollector nvmeCollector;
    private final AptCollector aptCollector;
    private final Map<String, Availability> availability;

    private Hardware(HardwareConfig config, CommandRunner runner, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.ipmitool = config.ipmitool();
        this.ipmiCollector = new IpmiCollector(ipmitool, IpmiCollector.Source.SENSOR, clock);
        this.gpus = new NvidiaSmi(new ToolRunner(config.nvidiaSmi(), runner));
        this.nvme = new NvmeCli(new ToolRunner(config.nvme(), runner));
        this.smartctl = new Smartctl(new ToolRunner(config.smartctl(), runner));
        this.os = new OsCollector(config.procRoot(), config.sysRoot(), clock, config.os(), runner);
        this.nvidiaCollector = new NvidiaCollector(gpus, clock, true);
        this.nvmeCollector = new NvmeCollector(nvme, clock);
        this.aptCollector = new AptCollector(new ToolRunner(config.aptGet(), runner), config.rootDir(), clock);
        Map<String, Availability> a = new LinkedHashMap<>();
        for (Collector c : all()) {
            Availability av;
            try {
                av = c.availability();
            } catch (RuntimeException e) {
                av = Availability.no(c.name() + " availability check failed: " + e);
            }
            a.put(c.name(), av);
            LOG.info("hardware: {} {}", c.name(), !av.available() ? "unavailable: " + av.reason()
                    : av.reason().equals("available") ? "available" : "available (" + av.reason() + ")");
        }
        this.availability = Collections.unmodifiableMap(a);
        Optional<SupermicroFans> f;
        try {
            f = SupermicroFans.forLocalBoard(ipmitool, FanControlSettings.defaults(), config.sysRoot().resolve("class/dmi/id"));
        } catch (IOException e) {
            LOG.info("hardware: no fan control: cannot read DMI board information under {}: {}", config.sysRoot(), e.toString());
            f = Optional.empty();
        }
        this.fans = f;
    }

    private List<Collector> all() {
        return List.of(os, nvidiaCollector, nvmeCollector, aptCollector, ipmiCollector);
    }

    /** Probes this machine with {@link HardwareConfig#defaults()}. */
    public static Hardware probe() {
        return probe(HardwareConfig.defaults());
    }

    /** Probes this machine with {@code config}: runs each tool's availability check once (each bounded by its timeout). */
    public static Hardware probe(HardwareConfig config) {
        return probe(config, ProcessCommandRunner.local(), Clock.systemUTC());
    }

    /**
     * Probes with a given command runner (e.g. one replaying captured outputs) and clock.
     */
    public static Hardware probe(HardwareConfig config, CommandRunner runner, Clock clock) {
        return new Hardware(Objects.requireNonNull(config, "config"), Objects.requireNonNull(runner, "runner"),
                Objects.requireNonNull(clock, "clock"));
    }

    /** The configuration it was probed with. */
    public HardwareConfig config() {
        return config;
    }

    /** What the probe found, by collector name ({@code os}, {@code nvidia}, {@code nvme}, {@code apt}, {@code ipmi}). */
    public Map<String, Availability> availability() {
        return availability;
    }

    /** NVIDIA GPUs; {@code read()} throws {@link io.dcmon.hardware.exec.ToolException.NotFound} where nvidia-smi is missing. */
    public NvidiaSmi gpus() {
        return gpus;
    }

    /** True when nvidia-smi answered and listed at least one GPU at probe time. */
    public boolean hasGpus() {
        return availability.get("nvidia").available();
    }

    /** NVMe drives through nvme-cli. */
    public NvmeCli nvme() {
        return nvme;
    }

    /** Drive health through smartctl. */
    public Smartctl smartctl() {
        return smartctl;
    }

    /** The os collector over the configured /proc and /sys. */
    public OsCollector os() {
        return os;
    }

    /**
     * The shared ipmitool: the IPMI sensor collector and Supermicro fan control both use this instance, so at
     * most one ipmitool call is in flight.
     */
    public Ipmitool ipmi() {
        return ipmitool;
    }

    /** Supermicro BMC fan control, present when DMI names a supported Supermicro board (X9–X13, H11–H13). */
    public Optional<SupermicroFans> supermicroFans() {
        return fans;
    }

    /** The clock samples are stamped with. */
    public Clock clock() {
        return clock;
    }

    /** The collectors found available at probe time, ready for {@link CollectorSet#of(List)}. */
    public List<Collector> collectors() {
        List<Collector> out = new ArrayList<>();
        for (Collector c : all()) {
            if (availability.get(c.name()).available()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Every collector this facade knows, available or not (the collector runner decides and reports availability). */
    public List<Collector> allCollectors() {
        return all();
    }
}
