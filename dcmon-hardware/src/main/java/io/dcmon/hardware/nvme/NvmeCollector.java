package io.dcmon.hardware.nvme;

import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.Availability;
import io.dcmon.hardware.Collector;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.ParseException;
import io.dcmon.hardware.exec.ToolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static io.dcmon.hardware.nvme.NvmeMetrics.*;

/**
 * The nvme collector: {@code nvme list}, then {@code nvme smart-log} per drive. A drive whose log cannot be
 * read is skipped (logged at DEBUG); the collector fails only when no drive could be read. Names in
 * {@link NvmeMetrics}. Thread-safe.
 */
public final class NvmeCollector implements Collector {

    private static final Logger LOG = LoggerFactory.getLogger(NvmeCollector.class);

    private final NvmeCli nvme;
    private final Clock clock;

    /** A collector over {@code nvme}, stamping samples with {@code clock}. */
    public NvmeCollector(NvmeCli nvme, Clock clock) {
        this.nvme = Objects.requireNonNull(nvme, "nvme");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** nvme-cli from PATH and the system clock. */
    public static NvmeCollector local() {
        return new NvmeCollector(NvmeCli.local(), Clock.systemUTC());
    }

    @Override
    public String name() {
        return "nvme";
    }

    @Override
    public Availability availability() {
        try {
            int n = nvme.list().size();
            return n == 0 ? Availability.no("nvme list shows no NVMe drive") : Availability.yes(n + " NVMe namespace" + (n == 1 ? "" : "s"));
        } catch (ToolException | ParseException e) {
            return Availability.no(e.getMessage());
        }
    }

    @Override
    public List<Sample> collect() throws CollectorException {
        List<NvmeDevice> devices;
        try {
            devices = nvme.list();
        } catch (ParseException e) {
            throw new CollectorException("nvme: " + e.getMessage(), e);
        }
        Map<NvmeDevice, NvmeHealth> health = new LinkedHashMap<>();
        String firstError = null;
        for (NvmeDevice d : devices) {
            try {
                health.put(d, nvme.smartLog(d.devicePath()));
            } catch (ToolException | ParseException e) {
                LOG.debug("nvme: skipping {}: {}", d.devicePath(), e.getMessage());
                firstError = firstError == null ? d.devicePath() + ": " + e.getMessage() : firstError;
            }
        }
        if (health.isEmpty() && firstError != null) {
            throw new CollectorException("nvme: no drive's SMART log could be read (" + firstError
                    + "); the agent needs root or CAP_SYS_ADMIN for nvme smart-log");
        }
        List<Sample> out = new ArrayList<>();
        long ts = clock.millis();
        health.forEach((d, h) -> out.addAll(toSamples(d, h, ts)));
        return out;
    }

    /** Samples for one drive: labels device, model and serial (from {@code nvme list} or smartctl). */
    public static List<Sample> toSamples(NvmeDevice device, NvmeHealth h, long ts) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("device", device.name());
        device.model().or(h::model).ifPresent(m -> l.put("model", m));
        device.serial().or(h::serial).ifPresent(s -> l.put("serial", s));
        Labels labels = Labels.of(l);
        List<Sample> out = new ArrayList<>(12);
        OptionalDouble t = h.temperatureCelsius();
        if (t.isPresent()) {
            out.add(Sample.of(new SeriesKey(TEMPERATURE, labels), ts, t.getAsDouble()));
        }
        add(out, PERCENTAGE_USED, labels, ts, h.percentageUsed());
        add(out, AVAILABLE_SPARE, labels, ts, h.availableSparePercent());
        add(out, AVAILABLE_SPARE_THRESHOLD, labels, ts, h.availableSpareThresholdPercent());
        add(out, CRITICAL_WARNING, labels, ts, h.criticalWarning());
        add(out, MEDIA_ERRORS, labels, ts, h.mediaErrors());
        add(out, ERROR_LOG_ENTRIES, labels, ts, h.errorLogEntries());
        add(out, POWER_ON_HOURS, labels, ts, h.powerOnHours());
        add(out, POWER_CYCLES, labels, ts, h.powerCycles());
        add(out, UNSAFE_SHUTDOWNS, labels, ts, h.unsafeShutdowns());
        add(out, DATA_READ, labels, ts, h.dataReadBytes());
        add(out, DATA_WRITTEN, labels, ts, h.dataWrittenBytes());
        return out;
    }

    private static void add(List<Sample> out, String metric, Labels l, long ts, OptionalLong v) {
        if (v.isPresent()) {
            out.add(Sample.of(new SeriesKey(metric, l), ts, v.getAsLong()));
        }
    }
}
