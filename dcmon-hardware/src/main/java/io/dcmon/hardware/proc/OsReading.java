package io.dcmon.hardware.proc;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One read of the operating system's counters. Lists are already filtered (real filesystems, physical
 * disks, non-virtual interfaces). Immutable and thread-safe.
 *
 * @param cpu         {@code /proc/stat}
 * @param memory      {@code /proc/meminfo}
 * @param load        {@code /proc/loadavg}
 * @param uptime      {@code /proc/uptime}, when readable
 * @param disks       physical block devices from {@code /proc/diskstats}
 * @param interfaces  interfaces from {@code /proc/net/dev} not excluded by the options
 * @param filesystems real mounts with their usage
 * @param pressure    PSI by resource ({@code cpu}, {@code memory}, {@code io}); empty without PSI
 * @param vmstat      {@code /proc/vmstat} counters (empty when unreadable)
 */
public record OsReading(CpuStat cpu, MemInfo memory, LoadAverage load, Optional<Uptime> uptime, List<DiskStat> disks,
                        List<NetDevStat> interfaces, List<FsUsage> filesystems, Map<String, Pressure> pressure, VmStat vmstat) {
    public OsReading {
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(uptime, "uptime");
        disks = List.copyOf(disks);
        interfaces = List.copyOf(interfaces);
        filesystems = List.copyOf(filesystems);
        pressure = Map.copyOf(pressure);
        Objects.requireNonNull(vmstat, "vmstat");
    }
}
