package io.dcmon.hardware.gpu;

import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.Availability;
import io.dcmon.hardware.Collector;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.ParseException;
import io.dcmon.hardware.exec.ToolException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static io.dcmon.hardware.gpu.NvidiaMetrics.*;

/**
 * The nvidia collector: per-GPU samples from {@link NvidiaSmi#read()} and per-process GPU memory from
 * {@link NvidiaSmi#processes()}. A field one GPU does not support is left out for that GPU only. Names in
 * {@link NvidiaMetrics}. Thread-safe.
 */
public final class NvidiaCollector implements Collector {

    private final NvidiaSmi smi;
    private final Clock clock;
    private final boolean processes;

    /**
     * @param smi       the nvidia-smi to run
     * @param clock     stamps the samples
     * @param processes also report per-process GPU memory (one more nvidia-smi call per cycle)
     */
    public NvidiaCollector(NvidiaSmi smi, Clock clock, boolean processes) {
        this.smi = Objects.requireNonNull(smi, "smi");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.processes = processes;
    }

    /** nvidia-smi from PATH, the system clock, per-process memory on. */
    public static NvidiaCollector local() {
        return new NvidiaCollector(NvidiaSmi.local(), Clock.systemUTC(), true);
    }

    @Override
    public String name() {
        return "nvidia";
    }

    @Override
    public Availability availability() {
        return smi.availability();
    }

    @Override
    public List<Sample> collect() throws CollectorException {
        List<GpuReading> gpus;
        List<GpuProcess> procs = List.of();
        try {
            gpus = smi.read();
            if (processes) {
                procs = smi.processes();
            }
        } catch (ToolException e) {
            throw e;
        } catch (ParseException e) {
            throw new CollectorException("nvidia: " + e.getMessage(), e);
        }
        return toSamples(gpus, procs, clock.millis());
    }

    /** Turns readings into samples, all stamped {@code ts}. */
    public static List<Sample> toSamples(List<GpuReading> gpus, List<GpuProcess> procs, long ts) {
        List<Sample> out = new ArrayList<>(gpus.size() * 40 + procs.size());
        out.add(Sample.of(SeriesKey.of(GPU_COUNT), ts, (long) gpus.size()));
        for (GpuReading g : gpus) {
            Labels l = Labels.of("gpu", Integer.toString(g.index()), "uuid", g.uuid(), "name", g.name(), "pci_bus_id", g.pciBusId());
            dbl(out, TEMPERATURE, l, ts, g.temperatureCelsius());
            dbl(out, MEMORY_TEMPERATURE, l, ts, g.memoryTemperatureCelsius());
            lng(out, UTILIZATION, l, ts, round(g.utilizationGpuPercent()));
            lng(out, MEMORY_UTILIZATION, l, ts, round(g.utilizationMemoryPercent()));
            lng(out, MEMORY_TOTAL, l, ts, g.memoryTotalBytes());
            lng(out, MEMORY_USED, l, ts, g.memoryUsedBytes());
            lng(out, MEMORY_FREE, l, ts, g.memoryFreeBytes());
            dbl(out, POWER_DRAW, l, ts, g.powerDrawWatts());
            dbl(out, POWER_LIMIT, l, ts, g.powerLimitWatts());
            lng(out, FAN_SPEED, l, ts, round(g.fanSpeedPercent()));
            lng(out, CLOCK, l.with("clock", "sm"), ts, mhzToHz(g.smClockMhz()));
            lng(out, CLOCK, l.with("clock", "memory"), ts, mhzToHz(g.memoryClockMhz()));
            lng(out, CLOCK, l.with("clock", "graphics"), ts, mhzToHz(g.graphicsClockMhz()));
            g.performanceState().filter(p -> p.matches("P\\d+"))
                    .ifPresent(p -> out.add(Sample.of(new SeriesKey(PSTATE, l), ts, Long.parseLong(p.substring(1)))));
            g.pcieLinkGeneration().ifPresent(v -> out.add(Sample.of(new SeriesKey(PCIE_GENERATION, l), ts, (long) v)));
            g.pcieLinkWidth().ifPresent(v -> out.add(Sample.of(new SeriesKey(PCIE_WIDTH, l), ts, (long) v)));
            g.clockEventReasons().ifPresent(mask -> {
                for (ClockEventReason r : ClockEventReason.values()) {
                    out.add(Sample.of(new SeriesKey(CLOCK_EVENT_REASON, l.with("reason", r.label())), ts, (mask & r.bit()) != 0 ? 1L : 0L));
                }
            });
            lng(out, ECC_ERRORS, l.with("type", "corrected"), ts, g.eccCorrectedVolatile());
            lng(out, ECC_ERRORS, l.with("type", "uncorrected"), ts, g.eccUncorrectedVolatile());
            lng(out, RETIRED_PAGES, l.with("cause", "single_bit"), ts, g.retiredPagesSingleBit());
            lng(out, RETIRED_PAGES, l.with("cause", "double_bit"), ts, g.retiredPagesDoubleBit());
            g.retiredPagesPending().ifPresent(v -> out.add(Sample.of(new SeriesKey(RETIRED_PAGES_PENDING, l), ts, v ? 1L : 0L)));
            lng(out, REMAPPED_ROWS, l.with("type", "correctable"), ts, g.remappedRowsCorrectable());
            lng(out, REMAPPED_ROWS, l.with("type", "uncorrectable"), ts, g.remappedRowsUncorrectable());
            g.remappedRowsPending().ifPresent(v -> out.add(Sample.of(new SeriesKey(REMAPPED_ROWS_PENDING, l), ts, v ? 1L : 0L)));
            g.remappedRowsFailure().ifPresent(v -> out.add(Sample.of(new SeriesKey(REMAPPED_ROWS_FAILURE, l), ts, v ? 1L : 0L)));
            g.migMode().filter(m -> m.equals("Enabled") || m.equals("Disabled"))
                    .ifPresent(m -> out.add(Sample.of(new SeriesKey(MIG_ENABLED, l), ts, m.equals("Enabled") ? 1L : 0L)));
        }
        for (GpuProcess p : procs) {
            if (p.usedMemoryBytes().isPresent()) {
                String process = p.processName().length() > 64 ? p.processName().substring(p.processName().length() - 64) : p.processName();
                out.add(Sample.of(SeriesKey.of(PROCESS_MEMORY, "uuid", p.gpuUuid(), "pid", Long.toString(p.pid()), "process", process),
                        ts, p.usedMemoryBytes().getAsLong()));
            }
        }
        return out;
    }

    private static OptionalLong round(OptionalDouble d) {
        return d.isPresent() ? OptionalLong.of(Math.round(d.getAsDouble())) : OptionalLong.empty();
    }

    private static OptionalLong mhzToHz(OptionalLong mhz) {
        return mhz.isPresent() ? OptionalLong.of(mhz.getAsLong() * 1_000_000L) : OptionalLong.empty();
    }

    private static void dbl(List<Sample> out, String metric, Labels l, long ts, OptionalDouble v) {
        if (v.isPresent()) {
            out.add(Sample.of(new SeriesKey(metric, l), ts, v.getAsDouble()));
        }
    }

    private static void lng(List<Sample> out, String metric, Labels l, long ts, OptionalLong v) {
        if (v.isPresent()) {
            out.add(Sample.of(new SeriesKey(metric, l), ts, v.getAsLong()));
        }
    }
}
