package io.dcmon.transport.server;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;

import java.util.ArrayList;
import java.util.List;

/**
 * An hour of realistic samples for one machine, one per minute, with the metric names and labels the agent's
 * collectors use (dcmon-hardware's *Metrics classes), so the fleet table and the charts have known values.
 */
final class FleetData {

    static final long GIB = 1024L * 1024 * 1024;

    /**
     * What differs between the test machines.
     *
     * @param cpuTemp      the "CPU1 Temp" IPMI sensor, °C
     * @param gpus         number of GPUs (0: no nvidia metrics at all)
     * @param nvidiaFailing the nvidia collector reports up=0
     */
    record Machine(double cpuTemp, int gpus, boolean nvidiaFailing) {
    }

    private FleetData() {
    }

    /** Samples from {@code nowMs - 59 min} to {@code nowMs}, one minute apart. */
    static List<Sample> hour(Machine m, long nowMs) {
        List<Sample> out = new ArrayList<>();
        for (int k = 0; k < 60; k++) {
            out.addAll(at(m, nowMs - (59 - k) * 60_000L, k));
        }
        return out;
    }

    /** One collection cycle at {@code t}, the {@code k}-th minute of the series (counters grow with it). */
    static List<Sample> at(Machine m, long t, int k) {
        List<Sample> out = new ArrayList<>();
        out.add(Sample.of(SeriesKey.of("node_uptime_seconds"), t, 3 * 86_400.0 + k * 60));
        out.add(Sample.of(SeriesKey.of("node_load1"), t, 2.5));
        out.add(Sample.of(SeriesKey.of("node_cpu_count"), t, 8L));
        out.add(Sample.of(SeriesKey.of("node_cpu_seconds_total", "cpu", "all", "mode", "user"), t, 1000.0 + k * 120));
        out.add(Sample.of(SeriesKey.of("node_cpu_seconds_total", "cpu", "all", "mode", "idle"), t, 5000.0 + k * 360));
        out.add(Sample.of(SeriesKey.of("node_memory_total_bytes"), t, 64 * GIB));
        out.add(Sample.of(SeriesKey.of("node_memory_available_bytes"), t, 16 * GIB));
        out.add(Sample.of(SeriesKey.of("node_memory_used_bytes"), t, 48 * GIB));
        out.add(Sample.of(SeriesKey.of("node_filesystem_size_bytes", "device", "/dev/sda1", "fstype", "ext4", "mountpoint", "/"), t, 100_000_000_000L));
        out.add(Sample.of(SeriesKey.of("node_filesystem_avail_bytes", "device", "/dev/sda1", "fstype", "ext4", "mountpoint", "/"), t, 40_000_000_000L));
        out.add(Sample.of(SeriesKey.of("node_filesystem_size_bytes", "device", "/dev/sdb1", "fstype", "ext4", "mountpoint", "/data"), t, 100_000_000_000L));
        out.add(Sample.of(SeriesKey.of("node_filesystem_avail_bytes", "device", "/dev/sdb1", "fstype", "ext4", "mountpoint", "/data"), t, 1_000_000_000L));
        out.add(Sample.of(SeriesKey.of("node_disk_read_bytes_total", "device", "sda"), t, 1_000_000L + k * 60L * 1_048_576));
        out.add(Sample.of(SeriesKey.of("node_network_receive_bytes_total", "device", "eth0"), t, 5_000_000L + k * 120L * 1_048_576));
        out.add(Sample.of(SeriesKey.of("ipmi_temperature_celsius", "sensor", "CPU1 Temp"), t, m.cpuTemp()));
        out.add(Sample.of(SeriesKey.of("ipmi_temperature_celsius", "sensor", "CPU2 Temp"), t, m.cpuTemp() - 5));
        out.add(Sample.of(SeriesKey.of("ipmi_temperature_celsius", "sensor", "System Temp"), t, 41.0));
        out.add(Sample.of(SeriesKey.of("ipmi_fan_speed_rpm", "sensor", "FAN1"), t, 3000L + k));
        out.add(Sample.of(SeriesKey.of("apt_upgrades_pending"), t, 12L));
        out.add(Sample.of(SeriesKey.of("apt_security_upgrades_pending"), t, 3L));
        out.add(Sample.of(SeriesKey.of("node_reboot_required"), t, 1L));
        out.add(Sample.of(SeriesKey.of("bmc_fan_mode"), t, 1L));
        out.add(Sample.of(SeriesKey.of("dcmon_collector_up", "collector", "os"), t, 1L));
        out.add(Sample.of(SeriesKey.of("dcmon_collector_available", "collector", "os"), t, 1L));
        if (m.gpus() > 0 || m.nvidiaFailing()) {
            out.add(Sample.of(SeriesKey.of("dcmon_collector_up", "collector", "nvidia"), t, m.nvidiaFailing() ? 0L : 1L));
            out.add(Sample.of(SeriesKey.of("dcmon_collector_available", "collector", "nvidia"), t, 1L));
        }
        if (m.gpus() > 0) {
            out.add(Sample.of(SeriesKey.of("nvidia_gpu_count"), t, (long) m.gpus()));
        }
        for (int g = 0; g < m.gpus(); g++) {
            String gpu = Integer.toString(g);
            out.add(Sample.of(SeriesKey.of("nvidia_gpu_temperature_celsius", "gpu", gpu), t, 60.0 + 10 * g));
            out.add(Sample.of(SeriesKey.of("nvidia_gpu_utilization_percent", "gpu", gpu), t, 90L + g));
            out.add(Sample.of(SeriesKey.of("nvidia_gpu_power_draw_watts", "gpu", gpu), t, 300.5 + 50 * g));
        }
        return out;
    }
}
