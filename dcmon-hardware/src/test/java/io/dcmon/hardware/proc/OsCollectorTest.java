package io.dcmon.hardware.proc;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.Fixtures;
import io.dcmon.hardware.exec.CommandRunner;
import io.dcmon.hardware.exec.ProcessCommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OsCollectorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Lays the flat h100-host capture out as a /proc tree (net_dev -> net/dev, pressure_io -> pressure/io). */
    private Path h100Proc() throws Exception {
        Path proc = dir.resolve("proc");
        Files.createDirectories(proc.resolve("net"));
        Files.createDirectories(proc.resolve("pressure"));
        for (String f : Fixtures.all("proc/h100-host")) {
            String name = f.substring(f.lastIndexOf('/') + 1);
            String target = name.equals("net_dev") ? "net/dev" : name.startsWith("pressure_") ? "pressure/" + name.substring(9) : name;
            Files.copy(Fixtures.path(f), proc.resolve(target));
        }
        return proc;
    }

    static Optional<Sample> find(List<Sample> samples, String metric, String... labels) {
        SeriesKey key = SeriesKey.of(metric, labels);
        return samples.stream().filter(s -> s.series().equals(key)).findFirst();
    }

    @Test
    void h100HostCaptureGivesTheValuesInItsFiles() throws Exception {
        OsCollector c = new OsCollector(h100Proc(), dir.resolve("no-sys"), CLOCK);
        List<Sample> s = c.collect();
        assertThat(s).allSatisfy(x -> assertThat(x.timestampMs()).isEqualTo(CLOCK.millis()));
        assertThat(find(s, OsMetrics.MEMORY_TOTAL).orElseThrow().value()).isEqualTo(131981020L * 1024);
        assertThat(find(s, OsMetrics.MEMORY_AVAILABLE).orElseThrow().value()).isEqualTo(131477504L * 1024);
        assertThat(find(s, OsMetrics.MEMORY_USED).orElseThrow().value()).isEqualTo((131981020L - 131477504L) * 1024);
        assertThat(find(s, OsMetrics.SWAP_TOTAL).orElseThrow().value()).isEqualTo(0L);
        assertThat(find(s, OsMetrics.CPU_COUNT).orElseThrow().value()).isEqualTo(16L);
        assertThat(find(s, OsMetrics.CPU_SECONDS, "cpu", "all", "mode", "user").orElseThrow().value()).isEqualTo(19.47);
        assertThat(find(s, OsMetrics.CPU_SECONDS, "cpu", "all", "mode", "iowait").orElseThrow().value()).isEqualTo(3.12);
        assertThat(find(s, OsMetrics.CPU_SECONDS, "cpu", "0", "mode", "user")).as("per-CPU off by default").isEmpty();
        assertThat(find(s, OsMetrics.LOAD1).orElseThrow().value()).isEqualTo(0.39);
        assertThat(find(s, OsMetrics.BOOT_TIME).orElseThrow().value()).isEqualTo(1795801928L);
        assertThat(find(s, OsMetrics.UPTIME).orElseThrow().value()).isEqualTo(56.04);
        // disks: vda and vdb are whole disks; loop and zram are not reported
        assertThat(find(s, OsMetrics.DISK_READS, "device", "vda").orElseThrow().value()).isEqualTo(6413L);
        assertThat(find(s, OsMetrics.DISK_READ_BYTES, "device", "vdb").orElseThrow().value()).isEqualTo(249904L * 512);
        assertThat(find(s, OsMetrics.DISK_READ_TIME, "device", "vda").orElseThrow().value()).isEqualTo(5.912);
        assertThat(s).noneMatch(x -> "loop0".equals(x.labels().get("device")) || "zram0".equals(x.labels().get("device")));
        // network: eth0 only (lo and ifb* are virtual)
        assertThat(find(s, OsMetrics.NET_RX_BYTES, "device", "eth0").orElseThrow().value()).isEqualTo(625L);
        assertThat(find(s, OsMetrics.NET_TX_BYTES, "device", "eth0").orElseThrow().value()).isEqualTo(1473L);
        assertThat(s).noneMatch(x -> x.metric().startsWith("node_network") && !"eth0".equals(x.labels().get("device")));
        // PSI
        assertThat(find(s, OsMetrics.PRESSURE_STALLED, "resource", "io", "kind", "some").orElseThrow().value()).isEqualTo(2.334279);
        assertThat(find(s, OsMetrics.PRESSURE_AVG60, "resource", "cpu", "kind", "some").orElseThrow().value()).isEqualTo(0.31);
        assertThat(find(s, OsMetrics.VMSTAT_PGMAJFAULT).orElseThrow().value()).isEqualTo(2240L);
        // filesystems: only "/" (ext4) survives the pseudo-filesystem filter; its usage is this machine's "/"
        assertThat(s.stream().filter(x -> x.metric().equals(OsMetrics.FS_SIZE)).map(x -> x.labels().get("mountpoint")))
                .containsExactly("/");
        Sample size = find(s, OsMetrics.FS_SIZE, "device", "/dev/vda", "mountpoint", "/", "fstype", "ext4").orElseThrow();
        Sample avail = find(s, OsMetrics.FS_AVAIL, "device", "/dev/vda", "mountpoint", "/", "fstype", "ext4").orElseThrow();
        assertThat(size.value().longValue()).isPositive().isGreaterThanOrEqualTo(avail.value().longValue());
        assertThat(find(s, OsMetrics.FS_FILES, "device", "/dev/vda", "mountpoint", "/", "fstype", "ext4")).isPresent();
        assertThat(s).allSatisfy(x -> {
            if (x.metric().endsWith("_bytes") || x.metric().endsWith("_count")) {
                assertThat(x.isIntegral()).as(x.metric()).isTrue();
            }
        });
    }

    @Test
    void perCpuAndInterfaceRuleAreConfigurable() throws Exception {
        OsOptions opts = OsOptions.defaults().withPerCpu(true).withExcludeInterfaces(Pattern.compile("lo")).withInodes(false);
        List<Sample> s = new OsCollector(h100Proc(), dir.resolve("no-sys"), CLOCK, opts, ProcessCommandRunner.local()).collect();
        assertThat(find(s, OsMetrics.CPU_SECONDS, "cpu", "15", "mode", "user").orElseThrow().value()).isEqualTo(16.13);
        assertThat(find(s, OsMetrics.NET_RX_BYTES, "device", "ifb0")).isPresent();
        assertThat(find(s, OsMetrics.NET_RX_BYTES, "device", "lo")).isEmpty();
        assertThat(s).noneMatch(x -> x.metric().equals(OsMetrics.FS_FILES));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void inodeCountsAreReadOncePerFiveMinutesUnlessTheMountsChange() throws Exception {
        Path proc = h100Proc();
        Instant t0 = CLOCK.instant();
        AtomicReference<Instant> now = new AtomicReference<>(t0);
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        // the real stat, counted: each call is one process the agent starts
        AtomicInteger statCalls = new AtomicInteger();
        CommandRunner counting = (command, timeout) -> {
            statCalls.incrementAndGet();
            return ProcessCommandRunner.local().run(command, timeout);
        };
        OsCollector c = new OsCollector(proc, dir.resolve("no-sys"), clock, OsOptions.defaults(), counting);
        String[] root = {"device", "/dev/vda", "mountpoint", "/", "fstype", "ext4"};

        assertThat(find(c.collect(), OsMetrics.FS_FILES, root)).isPresent();
        now.set(t0.plus(OsCollector.INODE_MAX_AGE).minusSeconds(1));
        List<Sample> reused = c.collect();
        assertThat(statCalls).as("inode counts younger than five minutes are reused").hasValue(1);
        assertThat(find(reused, OsMetrics.FS_FILES, root)).as("still reported from the reused read").isPresent();
        assertThat(find(reused, OsMetrics.FS_AVAIL, root).orElseThrow().timestampMs()).isEqualTo(now.get().toEpochMilli());

        now.set(t0.plus(OsCollector.INODE_MAX_AGE));
        c.collect();
        assertThat(statCalls).as("five minutes old: read again").hasValue(2);

        Files.writeString(proc.resolve("mounts"), "/dev/vdb " + dir + " ext4 rw 0 0\n", StandardOpenOption.APPEND);
        List<Sample> grown = c.collect();
        assertThat(statCalls).as("a new mount point: read again at once").hasValue(3);
        assertThat(find(grown, OsMetrics.FS_FILES, "device", "/dev/vdb", "mountpoint", dir.toString(), "fstype", "ext4"))
                .isPresent();
    }

    @Test
    void missingProcIsACollectorErrorThatSaysWhatToDo() {
        OsCollector c = new OsCollector(dir.resolve("nothing"), dir, CLOCK);
        assertThatThrownBy(c::collect).hasMessageContaining("cannot read " + dir.resolve("nothing").resolve("stat"))
                .hasMessageContaining("set procRoot");
    }

    @Test
    void statInodeOutputIsParsedPerMountPoint() {
        Map<String, long[]> m = OsCollector.parseStatInodes("16777216 16371311 /\n0 0 /mnt/my disk\ngarbage\n");
        assertThat(m.get("/")).containsExactly(16777216L, 16371311L);
        assertThat(m.get("/mnt/my disk")).containsExactly(0L, 0L);
        assertThat(m).hasSize(2);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void liveMemoryTotalEqualsProcMeminfoInBytes() throws Exception {
        List<Sample> s = OsCollector.local().collect();
        Matcher m = Pattern.compile("(?m)^MemTotal:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/meminfo")));
        assertThat(m.find()).isTrue();
        assertThat(find(s, OsMetrics.MEMORY_TOTAL).orElseThrow().value()).isEqualTo(Long.parseLong(m.group(1)) * 1024);
        assertThat(find(s, OsMetrics.CPU_COUNT).orElseThrow().value().longValue()).isPositive();
        assertThat(s).anyMatch(x -> x.metric().equals(OsMetrics.FS_SIZE) && "/".equals(x.labels().get("mountpoint")));
        assertThat(s).noneMatch(x -> x.metric().startsWith("node_filesystem") && "proc".equals(x.labels().get("fstype")));
    }
}
