package io.dcmon.hardware.proc;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.Collector;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.CommandRunner;
import io.dcmon.hardware.exec.ProcessCommandRunner;
import io.dcmon.hardware.exec.ToolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static io.dcmon.hardware.proc.OsMetrics.*;

/**
 * The os collector: CPU, load, memory, filesystems, disk I/O, network, uptime and PSI from {@code /proc},
 * {@code /sys} and statvfs. Every path comes from the constructor, so the collector can read a captured
 * {@code /proc} tree or the host's {@code /proc} mounted elsewhere (e.g. {@code /host/proc} in a container).
 * Metric names are in {@link OsMetrics}. Thread-safe: each {@link #collect()} reads the files afresh; only the
 * inode counts (one {@code stat -f} process) are reused for up to five minutes while the set of mounts is unchanged.
 */
public final class OsCollector implements Collector {

    private static final Logger LOG = LoggerFactory.getLogger(OsCollector.class);
    private static final Duration STAT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long the inode counts of one {@code stat -f} call are reused. They move slowly (a filesystem runs out of
     * inodes over hours, not seconds), while each call starts a process: on a 30 s cycle that process was a large
     * part of the agent's CPU. Byte usage stays fresh every cycle (statvfs through FileStore, no process).
     */
    static final Duration INODE_MAX_AGE = Duration.ofMinutes(5);
    /** The /proc/vmstat counters reported, and their metric names. */
    private static final Map<String, String> VMSTAT = Map.of(
            "pgfault", VMSTAT_PGFAULT, "pgmajfault", VMSTAT_PGMAJFAULT, "pswpin", VMSTAT_PSWPIN,
            "pswpout", VMSTAT_PSWPOUT, "oom_kill", VMSTAT_OOM_KILL);

    private final Path procRoot;
    private final Path sysRoot;
    private final Clock clock;
    private final OsOptions options;
    private final CommandRunner runner;
    /** The last inode counts, for the mount points they were read for; replaced whole, so no lock is needed. */
    private volatile InodeCounts inodeCounts;

    /**
     * An os collector over the given roots.
     *
     * @param procRoot where {@code /proc} is, e.g. {@code Path.of("/proc")}
     * @param sysRoot  where {@code /sys} is (used to tell physical disks from virtual ones)
     * @param clock    stamps the samples
     * @param options  filters and extras; {@link OsOptions#defaults()}
     * @param runner   runs {@code stat -f} for inode counts when {@link OsOptions#inodes()} is on
     */
    public OsCollector(Path procRoot, Path sysRoot, Clock clock, OsOptions options, CommandRunner runner) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /** An os collector over the given roots with default options and real processes for {@code stat -f}. */
    public OsCollector(Path procRoot, Path sysRoot, Clock clock) {
        this(procRoot, sysRoot, clock, OsOptions.defaults(), ProcessCommandRunner.local());
    }

    /** The os collector of this machine: {@code /proc}, {@code /sys}, the system clock. */
    public static OsCollector local() {
        return new OsCollector(Path.of("/proc"), Path.of("/sys"), Clock.systemUTC());
    }

    @Override
    public String name() {
        return "os";
    }

    /**
     * Reads every source once.
     *
     * @throws CollectorException when {@code stat}, {@code meminfo} or {@code loadavg} cannot be read or parsed
     */
    public OsReading read() throws CollectorException {
        CpuStat cpu = CpuStat.parse(required("stat"));
        MemInfo mem = MemInfo.parse(required("meminfo"));
        LoadAverage load = LoadAverage.parse(required("loadavg"));
        Optional<Uptime> uptime = optional("uptime").map(Uptime::parse);
        List<DiskStat> disks = new ArrayList<>();
        Optional<String> diskstats = optional("diskstats");
        if (diskstats.isPresent()) {
            for (DiskStat d : DiskStat.parse(diskstats.get())) {
                if (isPhysicalDisk(d.device())) {
                    disks.add(d);
                }
            }
        }
        List<NetDevStat> nets = new ArrayList<>();
        Optional<String> netdev = optional("net/dev");
        if (netdev.isPresent()) {
            for (NetDevStat n : NetDevStat.parse(netdev.get())) {
                if (!options.excludeInterfaces().matcher(n.device()).matches()) {
                    nets.add(n);
                }
            }
        }
        Map<String, Pressure> psi = new LinkedHashMap<>();
        for (String resource : List.of("cpu", "memory", "io")) {
            optional("pressure/" + resource).ifPresent(t -> psi.put(resource, Pressure.parse(t)));
        }
        List<FsUsage> fs = filesystems(optional("mounts").map(Mount::parse).orElse(List.of()));
        VmStat vm = optional("vmstat").map(VmStat::parse).orElse(new VmStat(Map.of()));
        return new OsReading(cpu, mem, load, uptime, disks, nets, fs, psi, vm);
    }

    @Override
    public List<Sample> collect() throws CollectorException {
        OsReading r;
        try {
            r = read();
        } catch (ProcParseException e) {
            throw new CollectorException("os: " + e.getMessage() + "; is " + procRoot + " a Linux /proc?", e);
        }
        return toSamples(r, clock.millis(), options.perCpu());
    }

    /** Turns a reading into samples, all stamped {@code timestampMs}. */
    public static List<Sample> toSamples(OsReading r, long timestampMs, boolean perCpu) {
        List<Sample> out = new ArrayList<>(256);
        long ts = timestampMs;
        List<CpuStat.CpuTimes> cpus = new ArrayList<>();
        cpus.add(r.cpu().total());
        if (perCpu) {
            cpus.addAll(r.cpu().perCpu());
        }
        for (CpuStat.CpuTimes t : cpus) {
            for (CpuStat.Mode m : CpuStat.Mode.values()) {
                out.add(Sample.of(SeriesKey.of(CPU_SECONDS, "cpu", t.cpu(), "mode", m.label()), ts, t.seconds(m)));
            }
        }
        out.add(Sample.of(SeriesKey.of(CPU_COUNT), ts, (long) r.cpu().cpuCount()));
        out.add(Sample.of(SeriesKey.of(CONTEXT_SWITCHES), ts, r.cpu().contextSwitches()));
        out.add(Sample.of(SeriesKey.of(FORKS), ts, r.cpu().forks()));
        out.add(Sample.of(SeriesKey.of(PROCS_RUNNING), ts, r.cpu().procsRunning()));
        out.add(Sample.of(SeriesKey.of(PROCS_BLOCKED), ts, r.cpu().procsBlocked()));
        if (r.cpu().bootTimeSeconds() > 0) {
            out.add(Sample.of(SeriesKey.of(BOOT_TIME), ts, r.cpu().bootTimeSeconds()));
        }
        r.uptime().ifPresent(u -> out.add(Sample.of(SeriesKey.of(UPTIME), ts, u.uptimeSeconds())));
        out.add(Sample.of(SeriesKey.of(LOAD1), ts, r.load().load1()));
        out.add(Sample.of(SeriesKey.of(LOAD5), ts, r.load().load5()));
        out.add(Sample.of(SeriesKey.of(LOAD15), ts, r.load().load15()));

        MemInfo m = r.memory();
        out.add(Sample.of(SeriesKey.of(MEMORY_TOTAL), ts, m.totalBytes()));
        out.add(Sample.of(SeriesKey.of(MEMORY_AVAILABLE), ts, m.availableBytes()));
        out.add(Sample.of(SeriesKey.of(MEMORY_USED), ts, m.usedBytes()));
        m.get("MemFree").ifPresent(v -> out.add(Sample.of(SeriesKey.of(MEMORY_FREE), ts, v)));
        m.get("Buffers").ifPresent(v -> out.add(Sample.of(SeriesKey.of(MEMORY_BUFFERS), ts, v)));
        m.get("Cached").ifPresent(v -> out.add(Sample.of(SeriesKey.of(MEMORY_CACHED), ts, v)));
        OptionalLong swapTotal = m.get("SwapTotal");
        OptionalLong swapFree = m.get("SwapFree");
        if (swapTotal.isPresent() && swapFree.isPresent()) {
            out.add(Sample.of(SeriesKey.of(SWAP_TOTAL), ts, swapTotal.getAsLong()));
            out.add(Sample.of(SeriesKey.of(SWAP_FREE), ts, swapFree.getAsLong()));
            out.add(Sample.of(SeriesKey.of(SWAP_USED), ts, Math.max(0, swapTotal.getAsLong() - swapFree.getAsLong())));
        }

        for (FsUsage f : r.filesystems()) {
            String[] l = {"device", f.mount().device(), "mountpoint", f.mount().mountPoint(), "fstype", f.mount().fsType()};
            out.add(Sample.of(SeriesKey.of(FS_SIZE, l), ts, f.sizeBytes()));
            out.add(Sample.of(SeriesKey.of(FS_FREE, l), ts, f.freeBytes()));
            out.add(Sample.of(SeriesKey.of(FS_AVAIL, l), ts, f.availBytes()));
            f.files().ifPresent(v -> out.add(Sample.of(SeriesKey.of(FS_FILES, l), ts, v)));
            f.filesFree().ifPresent(v -> out.add(Sample.of(SeriesKey.of(FS_FILES_FREE, l), ts, v)));
        }
        for (DiskStat d : r.disks()) {
            String[] l = {"device", d.device()};
            out.add(Sample.of(SeriesKey.of(DISK_READS, l), ts, d.reads()));
            out.add(Sample.of(SeriesKey.of(DISK_WRITES, l), ts, d.writes()));
            out.add(Sample.of(SeriesKey.of(DISK_READ_BYTES, l), ts, d.readBytes()));
            out.add(Sample.of(SeriesKey.of(DISK_WRITTEN_BYTES, l), ts, d.writtenBytes()));
            out.add(Sample.of(SeriesKey.of(DISK_READ_TIME, l), ts, d.readTimeMs() / 1000.0));
            out.add(Sample.of(SeriesKey.of(DISK_WRITE_TIME, l), ts, d.writeTimeMs() / 1000.0));
            out.add(Sample.of(SeriesKey.of(DISK_IO_TIME, l), ts, d.ioTimeMs() / 1000.0));
            out.add(Sample.of(SeriesKey.of(DISK_IO_NOW, l), ts, d.inProgress()));
        }
        for (NetDevStat n : r.interfaces()) {
            String[] l = {"device", n.device()};
            out.add(Sample.of(SeriesKey.of(NET_RX_BYTES, l), ts, n.rxBytes()));
            out.add(Sample.of(SeriesKey.of(NET_RX_PACKETS, l), ts, n.rxPackets()));
            out.add(Sample.of(SeriesKey.of(NET_RX_ERRS, l), ts, n.rxErrors()));
            out.add(Sample.of(SeriesKey.of(NET_RX_DROP, l), ts, n.rxDropped()));
            out.add(Sample.of(SeriesKey.of(NET_TX_BYTES, l), ts, n.txBytes()));
            out.add(Sample.of(SeriesKey.of(NET_TX_PACKETS, l), ts, n.txPackets()));
            out.add(Sample.of(SeriesKey.of(NET_TX_ERRS, l), ts, n.txErrors()));
            out.add(Sample.of(SeriesKey.of(NET_TX_DROP, l), ts, n.txDropped()));
        }
        for (Map.Entry<String, String> e : VMSTAT.entrySet()) {
            r.vmstat().get(e.getKey()).ifPresent(v -> out.add(Sample.of(SeriesKey.of(e.getValue()), ts, v)));
        }
        for (Map.Entry<String, Pressure> e : r.pressure().entrySet()) {
            addPressure(out, ts, e.getKey(), "some", e.getValue().some());
            e.getValue().full().ifPresent(f -> addPressure(out, ts, e.getKey(), "full", f));
        }
        return out;
    }

    private static void addPressure(List<Sample> out, long ts, String resource, String kind, Pressure.Line line) {
        out.add(Sample.of(SeriesKey.of(PRESSURE_STALLED, "resource", resource, "kind", kind), ts, line.totalSeconds()));
        out.add(Sample.of(SeriesKey.of(PRESSURE_AVG60, "resource", resource, "kind", kind), ts, line.avg60()));
    }

    /** Real mounts (pseudo filesystems dropped, the last mount of a mount point wins) with their usage. */
    private List<FsUsage> filesystems(List<Mount> mounts) {
        Map<String, Mount> byPoint = new LinkedHashMap<>();
        for (Mount m : mounts) {
            if (!options.pseudoFilesystems().contains(m.fsType()) && !m.fsType().startsWith("cgroup")) {
                byPoint.remove(m.mountPoint());
                byPoint.put(m.mountPoint(), m);
            }
        }
        Map<String, long[]> inodes = options.inodes() && !byPoint.isEmpty() ? inodes(byPoint.keySet()) : Map.of();
        List<FsUsage> out = new ArrayList<>();
        for (Mount m : byPoint.values()) {
            try {
                FileStore store = Files.getFileStore(Path.of(m.mountPoint()));
                long[] in = inodes.get(m.mountPoint());
                out.add(new FsUsage(m, store.getTotalSpace(), store.getUnallocatedSpace(), store.getUsableSpace(),
                        in == null ? OptionalLong.empty() : OptionalLong.of(in[0]),
                        in == null ? OptionalLong.empty() : OptionalLong.of(in[1])));
            } catch (IOException | RuntimeException e) {
                // unreadable mounts (permissions, a vanished mount) are skipped, not fatal
                LOG.debug("os: skipping filesystem {}: {}", m.mountPoint(), e.toString());
            }
        }
        return out;
    }

    /**
     * Inode counts by mount point: the last ones read when they are younger than {@link #INODE_MAX_AGE} and were
     * read for the same mount points (a mount that comes or goes reads them again), else a fresh {@code stat -f}.
     * A failed read is remembered too, so a machine without a working {@code stat} does not retry every cycle.
     */
    private Map<String, long[]> inodes(Set<String> mountPoints) {
        long now = clock.millis();
        InodeCounts last = inodeCounts;
        if (last != null && last.mountPoints().equals(mountPoints)
                && now >= last.readAtMillis() && now - last.readAtMillis() < INODE_MAX_AGE.toMillis()) {
            return last.byMountPoint();
        }
        Map<String, long[]> fresh = statInodes(mountPoints);
        inodeCounts = new InodeCounts(Set.copyOf(mountPoints), now, fresh);
        return fresh;
    }

    /** Inode counts read at {@code readAtMillis} (the collector's clock) for {@code mountPoints}. */
    private record InodeCounts(Set<String> mountPoints, long readAtMillis, Map<String, long[]> byMountPoint) {
    }

    /**
     * Inode totals and free counts by mount point through one {@code stat -f} call for all mounts: the JDK's
     * FileStore offers no inode counts and statvfs needs native code. Mounts stat cannot read are left out.
     */
    private Map<String, long[]> statInodes(Iterable<String> mountPoints) {
        List<String> cmd = new ArrayList<>(List.of("stat", "-f", "-c", "%c %d %n", "--"));
        mountPoints.forEach(cmd::add);
        String stdout;
        try {
            stdout = runner.run(cmd, STAT_TIMEOUT).stdout();
        } catch (ToolException.Failed e) {
            stdout = e.result().stdout(); // some mounts failed; the others are still in stdout
        } catch (ToolException e) {
            LOG.debug("os: inode counts unavailable: {}", e.getMessage());
            return Map.of();
        }
        return parseStatInodes(stdout);
    }

    /** Parses lines {@code "<total> <free> <mountpoint>"} of {@code stat -f -c '%c %d %n'}. */
    static Map<String, long[]> parseStatInodes(String stdout) {
        Map<String, long[]> out = new HashMap<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.split(" ", 3);
            if (f.length == 3) {
                try {
                    out.put(f[2], new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
                } catch (NumberFormatException e) {
                    // a line we do not understand leaves that mount without inode counts
                }
            }
        }
        return out;
    }

    private boolean isPhysicalDisk(String device) {
        if (options.excludeDisks().matcher(device).matches()) {
            return false;
        }
        Path block = sysRoot.resolve("block");
        if (!Files.isDirectory(block)) {
            return true; // no /sys to ask: the name rule alone decides
        }
        Path link = block.resolve(device.replace('/', '!'));
        if (!Files.exists(link)) {
            return false; // partitions are not listed in /sys/block
        }
        try {
            return !link.toRealPath().toString().contains("/devices/virtual/");
        } catch (IOException e) {
            return false;
        }
    }

    private String required(String file) throws CollectorException {
        Path p = procRoot.resolve(file);
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CollectorException("os: cannot read " + p + " (" + e + "); the os collector needs a Linux /proc: "
                    + "set procRoot to where it is mounted", e);
        }
    }

    private Optional<String> optional(String file) {
        Path p = procRoot.resolve(file);
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // PSI files exist but refuse reads when psi=0 is on the kernel command line
            LOG.debug("os: {} unreadable: {}", p, e.toString());
            return Optional.empty();
        }
    }
}
