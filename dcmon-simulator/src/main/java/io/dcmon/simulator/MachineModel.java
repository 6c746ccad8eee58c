package io.dcmon.simulator;

import io.dcmon.core.command.CommandTypes;
import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated GPU server: the ~250 series a real dcmon agent ships each cycle (OS, 8 GPUs, IPMI sensors, NVMe,
 * PSU, APT, fan control, collector health), with the value shapes real collectors produce, because the storage
 * compresses by shape: integer temperatures that wander by a degree, 0.1-precision readings, fan RPM in steps of
 * the BMC's resolution, byte counters that only grow, and noisy floats. Not thread-safe: one per agent, called by
 * one thread at a time.
 */
public final class MachineModel {

    /** Number of GPUs per simulated machine. */
    public static final int GPUS = 8;

    private final SplittableRandom random;
    private final List<Series> series = new ArrayList<>();
    private final List<SeriesKey> keys = new ArrayList<>();

    /**
     * @param seed seeds the machine's randomness, so a run with the same seeds produces the same values
     */
    public MachineModel(long seed) {
        this.random = new SplittableRandom(seed);
        os();
        gpus();
        ipmi();
        nvme();
        psu();
        apt();
        fan();
        health();
    }

    /** How many samples each cycle has. */
    public int seriesCount() {
        return series.size();
    }

    /**
     * The samples of one collection cycle, all stamped {@code timestampMs}; values move on from the previous cycle.
     *
     * @param timestampMs epoch milliseconds of the cycle
     * @param elapsedSeconds seconds since the previous cycle (counters grow by rate × this)
     */
    public List<Sample> next(long timestampMs, double elapsedSeconds) {
        List<Sample> out = new ArrayList<>(series.size());
        int[] i = {0};
        advance(elapsedSeconds, new ValueSink() {
            @Override
            public void longValue(long v) {
                out.add(Sample.of(keys.get(i[0]++), timestampMs, v));
            }

            @Override
            public void doubleValue(double v) {
                out.add(Sample.of(keys.get(i[0]++), timestampMs, v));
            }
        });
        return out;
    }

    /** The series of every cycle, in the order {@link #advance} writes their values. */
    public List<SeriesKey> keys() {
        return List.copyOf(keys);
    }

    /**
     * Moves every series on by one cycle and hands the new values to {@code sink} in {@link #keys()} order,
     * without building {@link Sample}s: what the simulator's push path encodes straight into JSON.
     *
     * @param elapsedSeconds seconds since the previous cycle (counters grow by rate × this)
     */
    public void advance(double elapsedSeconds, ValueSink sink) {
        for (Series s : series) {
            s.next(elapsedSeconds, sink);
        }
    }

    /** Receives one cycle's values, one call per series in {@link #keys()} order. */
    public interface ValueSink {
        /** An integer sample value. */
        void longValue(long v);

        /** A floating-point sample value. */
        void doubleValue(double v);
    }

    /** Same as {@link #next(long, double)} with a 30 s cycle. */
    public List<Sample> next(long timestampMs) {
        return next(timestampMs, 30.0);
    }

    private void os() {
        gauge("node_load1", Labels.empty(), 8.0, 2.0, 0.01, 0, 64);
        gauge("node_load5", Labels.empty(), 8.0, 0.8, 0.01, 0, 64);
        gauge("node_load15", Labels.empty(), 8.0, 0.3, 0.01, 0, 64);
        String[] modes = {"user", "system", "idle", "iowait", "irq", "softirq", "steal", "nice"};
        double[] rates = {40, 8, 80, 1.5, 0.2, 0.8, 0, 0.1};
        for (int i = 0; i < modes.length; i++) {
            floatCounter("node_cpu_seconds_total", Labels.of("mode", modes[i]), rates[i], 0.01);
        }
        long total = 512L << 30;
        constant("node_memory_total_bytes", Labels.empty(), total);
        intGauge("node_memory_available_bytes", Labels.empty(), total / 2, 64L << 20, 4096, 0, total);
        intGauge("node_memory_free_bytes", Labels.empty(), total / 8, 32L << 20, 4096, 0, total);
        intGauge("node_memory_cached_bytes", Labels.empty(), total / 3, 16L << 20, 4096, 0, total);
        intGauge("node_memory_buffers_bytes", Labels.empty(), 2L << 30, 1L << 20, 4096, 0, total);
        constant("node_memory_swap_total_bytes", Labels.empty(), 8L << 30);
        intGauge("node_memory_swap_free_bytes", Labels.empty(), 8L << 30, 4096, 4096, 0, 8L << 30);
        for (String dev : new String[] {"eno1", "ibp1s0"}) {
            Labels l = Labels.of("device", dev);
            counter("node_network_receive_bytes_total", l, 40_000_000);
            counter("node_network_transmit_bytes_total", l, 25_000_000);
            counter("node_network_receive_packets_total", l, 30_000);
            counter("node_network_transmit_packets_total", l, 20_000);
            counter("node_network_receive_errs_total", l, 0.001);
            counter("node_network_transmit_errs_total", l, 0.0);
            counter("node_network_receive_drop_total", l, 0.01);
            counter("node_network_transmit_drop_total", l, 0.0);
        }
        for (String dev : new String[] {"nvme0n1", "nvme1n1"}) {
            Labels l = Labels.of("device", dev);
            counter("node_disk_read_bytes_total", l, 80_000_000);
            counter("node_disk_written_bytes_total", l, 30_000_000);
            counter("node_disk_reads_completed_total", l, 900);
            counter("node_disk_writes_completed_total", l, 400);
            floatCounter("node_disk_io_time_seconds_total", l, 0.3, 0.001);
        }
        for (String mount : new String[] {"/", "/data"}) {
            Labels l = Labels.of("mountpoint", mount);
            long size = mount.equals("/") ? 500L << 30 : 7L << 40;
            constant("node_filesystem_size_bytes", l, size);
            intGauge("node_filesystem_avail_bytes", l, size / 2, 8L << 20, 4096, 0, size);
            intGauge("node_filesystem_free_bytes", l, size / 2 + (4L << 30), 8L << 20, 4096, 0, size);
        }
        constant("node_boot_time_seconds", Labels.empty(), 1_790_000_000L + random.nextInt(1_000_000));
        intGauge("node_procs_running", Labels.empty(), 12, 4, 1, 1, 200);
        intGauge("node_procs_blocked", Labels.empty(), 0, 1, 1, 0, 20);
        counter("node_context_switches_total", Labels.empty(), 90_000);
        floatCounter("node_uptime_seconds", Labels.empty(), 1.0, 0.01);
        counter("node_forks_total", Labels.empty(), 40);
    }

    private void gpus() {
        for (int g = 0; g < GPUS; g++) {
            Labels l = Labels.of("gpu", Integer.toString(g), "uuid", "GPU-" + Long.toHexString(random.nextLong()).substring(0, 8));
            boolean busy = random.nextInt(4) != 0;
            intGauge("nvidia_gpu_temperature_celsius", l, busy ? 62 : 34, 1, 1, 25, 92);
            intGauge("nvidia_gpu_memory_temperature_celsius", l, busy ? 70 : 38, 1, 1, 25, 95);
            intGauge("nvidia_gpu_utilization_percent", l, busy ? 90 : 0, busy ? 6 : 0, 1, 0, 100);
            intGauge("nvidia_gpu_memory_utilization_percent", l, busy ? 45 : 0, busy ? 5 : 0, 1, 0, 100);
            long mem = 81_559L << 20;
            constant("nvidia_gpu_memory_total_bytes", l, mem);
            intGauge("nvidia_gpu_memory_used_bytes", l, busy ? mem * 3 / 4 : 4L << 20, busy ? 64L << 20 : 0, 1L << 20, 0, mem);
            intGauge("nvidia_gpu_memory_free_bytes", l, busy ? mem / 4 : mem - (4L << 20), busy ? 64L << 20 : 0, 1L << 20, 0, mem);
            gauge("nvidia_gpu_power_draw_watts", l, busy ? 540 : 68, busy ? 25 : 1.5, 0.01, 20, 700);
            constant("nvidia_gpu_power_limit_watts", l, 700.0);
            intGauge("nvidia_gpu_fan_speed_percent", l, busy ? 60 : 30, 2, 1, 0, 100);
            intGauge("nvidia_gpu_clock_hertz", l.with("clock", "sm"), busy ? 1_980_000_000L : 345_000_000L,
                    busy ? 15_000_000L : 0, 15_000_000L, 0, 2_100_000_000L);
            intGauge("nvidia_gpu_clock_hertz", l.with("clock", "memory"), 2_619_000_000L, 0, 1, 0, 3_000_000_000L);
            constant("nvidia_gpu_pcie_link_generation", l, 5L);
            constant("nvidia_gpu_pcie_link_width", l, 16L);
            counter("nvidia_gpu_ecc_errors_total", l.with("type", "corrected"), 0.0005);
        }
        constant("nvidia_gpu_count", Labels.empty(), (long) GPUS);
    }

    private void ipmi() {
        String[] temps = {"CPU1 Temp", "CPU2 Temp", "PCH Temp", "System Temp", "Peripheral Temp", "Inlet Temp",
            "VRMCpu1 Temp", "VRMCpu2 Temp", "DIMMA1 Temp", "DIMMB1 Temp"};
        for (String t : temps) {
            intGauge("ipmi_temperature_celsius", Labels.of("sensor", t), 30 + random.nextInt(25), 1, 1, 10, 95);
        }
        for (int f = 1; f <= 8; f++) {
            // Supermicro BMCs report fan speed in steps of 140 RPM
            intGauge("ipmi_fan_speed_rpm", Labels.of("sensor", "FAN" + f), 5040, 140, 140, 0, 16_800);
        }
        String[] volts = {"12V", "5VCC", "3.3VCC", "VBAT", "Vcpu1", "Vcpu2", "VDimmABC", "VDimmDEF", "5VSB", "3.3VSB"};
        double[] nominal = {12.0, 5.0, 3.3, 3.1, 1.8, 1.8, 1.2, 1.2, 5.0, 3.3};
        for (int i = 0; i < volts.length; i++) {
            gauge("ipmi_voltage_volts", Labels.of("sensor", volts[i]), nominal[i], 0.03, 0.1, 0, 15);
        }
        intGauge("ipmi_sensor_state", Labels.of("sensor", "Chassis Intru"), 0, 0, 1, 0, 1);
        intGauge("ipmi_sensor_state", Labels.of("sensor", "PS1 Status"), 1, 0, 1, 0, 1);
    }

    private void nvme() {
        for (String dev : new String[] {"nvme0", "nvme1"}) {
            Labels l = Labels.of("device", dev);
            intGauge("nvme_temperature_celsius", l, 41, 1, 1, 20, 85);
            constant("nvme_percentage_used_percent", l, 3L);
            constant("nvme_available_spare_percent", l, 100L);
            counter("nvme_data_read_bytes_total", l, 60_000_000);
            counter("nvme_data_written_bytes_total", l, 20_000_000);
            counter("nvme_power_on_hours_total", l, 1.0 / 3600);
            constant("nvme_media_errors_total", l, 0L);
            constant("nvme_unsafe_shutdowns_total", l, 7L);
        }
    }

    private void psu() {
        for (String psu : new String[] {"1", "2"}) {
            Labels l = Labels.of("psu", psu);
            intGauge("psu_input_power_watts", l, 1900, 40, 1, 0, 3200);
            intGauge("psu_output_power_watts", l, 1780, 38, 1, 0, 3000);
            gauge("psu_input_voltage_volts", l, 230.0, 0.6, 0.1, 180, 260);
            constant("psu_status", l, 1L);
        }
    }

    private void apt() {
        intGauge("apt_upgrades_pending", Labels.empty(), 12, 0, 1, 0, 500);
        intGauge("apt_security_upgrades_pending", Labels.empty(), 2, 0, 1, 0, 500);
        constant("node_reboot_required", Labels.empty(), 0L);
    }

    private void fan() {
        for (String zone : new String[] {"0", "1"}) {
            intGauge("bmc_fan_zone_duty_percent", Labels.of("zone", zone), 50, 0, 1, 0, 100);
        }
        constant("bmc_fan_mode", Labels.empty(), 2L);
    }

    private void health() {
        for (String c : CommandTypes.COLLECTORS) {
            Labels l = Labels.of("collector", c);
            constant("dcmon_collector_up", l, 1L);
            gauge("dcmon_collector_duration_seconds", l, 0.05, 0.01, 0.0001, 0.001, 5);
        }
        intGauge("dcmon_agent_resident_memory_bytes", Labels.empty(), 52L << 20, 256L << 10, 4096, 0, 1L << 30);
        floatCounter("dcmon_agent_cpu_seconds_total", Labels.empty(), 0.0004, 0.001);
        intGauge("dcmon_agent_last_batch_bytes", Labels.empty(), 3800, 40, 1, 0, 1 << 20);
    }

    // ---- series shapes ------------------------------------------------------------------------------------------

    private interface Series {
        void next(double elapsed, ValueSink sink);
    }

    private void add(String metric, Labels labels, Series s) {
        keys.add(new SeriesKey(metric, labels));
        series.add(s);
    }

    private void constant(String metric, Labels labels, long value) {
        add(metric, labels, (e, sink) -> sink.longValue(value));
    }

    private void constant(String metric, Labels labels, double value) {
        add(metric, labels, (e, sink) -> sink.doubleValue(value));
    }

    /** An integer that wanders around {@code mean} in multiples of {@code step}, kept in [min, max]. */
    private void intGauge(String metric, Labels labels, long mean, long jitter, long step, long min, long max) {
        long[] value = {mean};
        add(metric, labels, (e, sink) -> {
            if (jitter > 0 && random.nextInt(3) != 0) {
                long delta = (long) (random.nextGaussian() * jitter);
                long pull = (mean - value[0]) / 4;
                long v = value[0] + (delta + pull) / step * step;
                value[0] = Math.max(min, Math.min(max, v));
            }
            sink.longValue(value[0]);
        });
    }

    /** A float that wanders around {@code mean}, rounded to {@code precision}, kept in [min, max]. */
    private void gauge(String metric, Labels labels, double mean, double jitter, double precision, double min, double max) {
        double[] value = {mean};
        add(metric, labels, (e, sink) -> {
            double v = value[0] + random.nextGaussian() * jitter + (mean - value[0]) * 0.2;
            value[0] = Math.max(min, Math.min(max, v));
            sink.doubleValue(Math.round(value[0] / precision) * precision);
        });
    }

    /** An integer counter growing by about {@code ratePerSecond}; rates below 1 grow rarely, by 1. */
    private void counter(String metric, Labels labels, double ratePerSecond) {
        long[] value = {ratePerSecond >= 1 ? (long) (ratePerSecond * 86_400 * (1 + random.nextInt(30))) : random.nextInt(5)};
        add(metric, labels, (e, sink) -> {
            double expected = ratePerSecond * e;
            long inc = expected >= 1 ? (long) Math.max(0, expected * (0.7 + 0.6 * random.nextDouble()))
                    : (random.nextDouble() < expected ? 1 : 0);
            value[0] += inc;
            sink.longValue(value[0]);
        });
    }

    /** A float counter (seconds) growing by about {@code ratePerSecond}, rounded to {@code precision}. */
    private void floatCounter(String metric, Labels labels, double ratePerSecond, double precision) {
        double[] value = {ratePerSecond * 86_400 * (1 + random.nextInt(30))};
        add(metric, labels, (e, sink) -> {
            value[0] += ratePerSecond * e * (0.8 + 0.4 * random.nextDouble());
            sink.doubleValue(Math.round(value[0] / precision) * precision);
        });
    }
}
