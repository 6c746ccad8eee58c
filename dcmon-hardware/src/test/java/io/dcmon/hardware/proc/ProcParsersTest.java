package io.dcmon.hardware.proc;

import io.dcmon.hardware.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcParsersTest {

    /** One expectation per proc fixture file: the parser that reads it and values read off the file. */
    static final Map<String, Consumer<String>> EXPECTED = Map.ofEntries(
            Map.entry("proc/h100-host/cpuinfo", t -> {
                CpuInfo c = CpuInfo.parse(t);
                assertThat(c.logicalCpus()).isEqualTo(16);
                assertThat(c.modelName()).contains("Intel(R) Xeon(R) Processor");
            }),
            Map.entry("proc/h100-host/df-B1-T.txt", t -> {
                // df's only real filesystem is the one the mount filter keeps from the same host's /proc/mounts
                List<Mount> kept = Mount.parse(Fixtures.text("proc/h100-host/mounts")).stream()
                        .filter(m -> !OsOptions.DEFAULT_PSEUDO_FILESYSTEMS.contains(m.fsType()) && !m.fsType().startsWith("cgroup"))
                        .toList();
                assertThat(kept).extracting(Mount::mountPoint).containsExactly("/");
                assertThat(t).contains("/dev/vda                ext4  270553174016");
            }),
            Map.entry("proc/h100-host/diskstats", t -> {
                List<DiskStat> d = DiskStat.parse(t);
                assertThat(d).hasSize(11);
                DiskStat vda = d.stream().filter(x -> x.device().equals("vda")).findFirst().orElseThrow();
                assertThat(vda.reads()).isEqualTo(6413);
                assertThat(vda.readBytes()).isEqualTo(3430786L * 512);
                assertThat(vda.writes()).isEqualTo(223);
                assertThat(vda.ioTimeMs()).isEqualTo(3188);
            }),
            Map.entry("proc/h100-host/loadavg", t -> {
                LoadAverage l = LoadAverage.parse(t);
                assertThat(l.load1()).isEqualTo(0.39);
                assertThat(l.load15()).isEqualTo(0.03);
                assertThat(l.schedulingTotal()).isEqualTo(205);
            }),
            Map.entry("proc/h100-host/meminfo", t -> {
                MemInfo m = MemInfo.parse(t);
                assertThat(m.totalBytes()).isEqualTo(131981020L * 1024);
                assertThat(m.availableBytes()).isEqualTo(131477504L * 1024);
                assertThat(m.get("HugePages_Total")).hasValue(0);
            }),
            Map.entry("proc/h100-host/mounts", t -> {
                List<Mount> m = Mount.parse(t);
                assertThat(m).hasSize(11);
                assertThat(m.get(5)).isEqualTo(new Mount("/dev/vda", "/", "ext4", "rw,relatime,discard,resv_strict,resuid=65534,resgid=65534"));
            }),
            Map.entry("proc/h100-host/net_dev", t -> {
                List<NetDevStat> n = NetDevStat.parse(t);
                assertThat(n).extracting(NetDevStat::device).containsExactly("lo", "ifb0", "ifb1", "eth0");
                assertThat(n.get(3).rxBytes()).isEqualTo(625);
                assertThat(n.get(3).txPackets()).isEqualTo(18);
            }),
            Map.entry("proc/h100-host/partitions", t -> {
                // the disks the physical-disk rule keeps from diskstats are the ones the kernel lists as whole disks
                Set<String> whole = t.lines().skip(2).map(l -> l.trim().split("\\s+")[3]).collect(Collectors.toSet());
                Set<String> kept = new HashSet<>();
                for (DiskStat d : DiskStat.parse(Fixtures.text("proc/h100-host/diskstats"))) {
                    if (!OsOptions.DEFAULT_EXCLUDE_DISKS.matcher(d.device()).matches()) {
                        kept.add(d.device());
                    }
                }
                assertThat(kept).isEqualTo(whole).containsExactlyInAnyOrder("vda", "vdb");
            }),
            Map.entry("proc/h100-host/pressure_cpu", t -> {
                Pressure p = Pressure.parse(t);
                assertThat(p.some().avg60()).isEqualTo(0.31);
                assertThat(p.some().totalMicros()).isEqualTo(768836);
                assertThat(p.full()).isPresent();
            }),
            Map.entry("proc/h100-host/pressure_io", t ->
                    assertThat(Pressure.parse(t).full().orElseThrow().totalSeconds()).isEqualTo(2.331849)),
            Map.entry("proc/h100-host/pressure_memory", t ->
                    assertThat(Pressure.parse(t).some().totalMicros()).isZero()),
            Map.entry("proc/h100-host/stat", t -> {
                CpuStat s = CpuStat.parse(t);
                assertThat(s.cpuCount()).isEqualTo(16);
                assertThat(s.total().ticks(CpuStat.Mode.USER)).isEqualTo(1947);
                assertThat(s.total().ticks(CpuStat.Mode.STEAL)).isEqualTo(2);
                assertThat(s.total().seconds(CpuStat.Mode.IDLE)).isEqualTo(854.33);
                assertThat(s.perCpu().get(15).ticks(CpuStat.Mode.USER)).isEqualTo(1613);
                assertThat(s.bootTimeSeconds()).isEqualTo(1795801928L);
                assertThat(s.contextSwitches()).isEqualTo(30413);
                assertThat(s.forks()).isEqualTo(524);
                assertThat(s.skippedLines()).isEqualTo(2); // intr, softirq
            }),
            Map.entry("proc/h100-host/uptime", t -> assertThat(Uptime.parse(t).uptimeSeconds()).isEqualTo(56.04)),
            Map.entry("proc/h100-host/version", t -> assertThat(t).startsWith("Linux version 6.18.44-fc-v657-gpu ")),
            Map.entry("proc/h100-host/vmstat", t -> {
                VmStat v = VmStat.parse(t);
                assertThat(v.get("pgfault")).hasValue(336759);
                assertThat(v.get("pgmajfault")).hasValue(2240);
                assertThat(v.get("oom_kill")).hasValue(0);
            }),
            Map.entry("proc/node-exporter-fixture/diskstats", t -> {
                List<DiskStat> d = DiskStat.parse(t);
                assertThat(d).hasSize(51);
                List<String> physical = d.stream().map(DiskStat::device)
                        .filter(n -> !OsOptions.DEFAULT_EXCLUDE_DISKS.matcher(n).matches()).toList();
                assertThat(physical).containsExactly("sda", "mmcblk0", "vda", "nvme0n1", "sdb", "sdc");
                DiskStat sdc = d.stream().filter(x -> x.device().equals("sdc")).findFirst().orElseThrow();
                assertThat(sdc.reads()).isEqualTo(126552); // the 20-field (5.5+) row
                assertThat(sdc.weightedIoTimeMs()).isEqualTo(17070);
            }),
            Map.entry("proc/node-exporter-fixture/loadavg", t -> assertThat(LoadAverage.parse(t).load5()).isEqualTo(0.37)),
            Map.entry("proc/node-exporter-fixture/meminfo", t -> {
                MemInfo m = MemInfo.parse(t);
                assertThat(m.totalBytes()).isEqualTo(3742148L * 1024);
                assertThat(m.get("MemAvailable")).isEmpty();
                // fallback: MemFree + Buffers + Cached
                assertThat(m.availableBytes()).isEqualTo((225472L + 22040 + 930888) * 1024);
            }),
            Map.entry("proc/node-exporter-fixture/net_dev", t -> {
                List<NetDevStat> n = NetDevStat.parse(t);
                assertThat(n).extracting(NetDevStat::device).contains("ibr10:30", "💩0", "flannel.1");
                NetDevStat eth0 = n.stream().filter(x -> x.device().equals("eth0")).findFirst().orElseThrow();
                assertThat(eth0.rxBytes()).isEqualTo(68210035552L);
                assertThat(eth0.txBytes()).isEqualTo(9315587528L);
                List<String> kept = n.stream().map(NetDevStat::device)
                        .filter(x -> !OsOptions.DEFAULT_EXCLUDE_INTERFACES.matcher(x).matches()).toList();
                assertThat(kept).containsExactly("eth0", "wlan0", "ibr10:30", "💩0");
            }),
            Map.entry("proc/node-exporter-fixture/stat", t -> {
                CpuStat s = CpuStat.parse(t);
                assertThat(s.cpuCount()).isEqualTo(8);
                assertThat(s.total().ticks(CpuStat.Mode.USER)).isEqualTo(301854);
                assertThat(s.bootTimeSeconds()).isEqualTo(1418183276L);
            }));

    static Stream<Arguments> procFixtures() {
        return Fixtures.all("proc").stream().map(f -> Arguments.of(f));
    }

    @ParameterizedTest
    @MethodSource("procFixtures")
    void everyProcFixtureParsesToTheValuesInTheFile(String file) {
        assertThat(EXPECTED).as("expectations for %s (add them when adding a fixture)", file).containsKey(file);
        EXPECTED.get(file).accept(Fixtures.text(file));
    }

    @Test
    void memAvailableFallsBackToFreePlusBuffersPlusCachedOnOldKernels() {
        MemInfo m = MemInfo.parse("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 10 kB\nCached: 1 kB\n");
        assertThat(m.availableBytes()).isEqualTo(111 * 1024);
        assertThat(m.usedBytes()).isEqualTo(889 * 1024);
    }

    @Test
    void mountPointEscapesAreDecoded() {
        assertThat(Mount.parse("/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0").get(0).mountPoint()).isEqualTo("/mnt/my disk");
    }

    @Test
    void structurallyWrongInputNamesTheLine() {
        assertThatThrownBy(() -> CpuStat.parse("cpu  1 2 x 4 5\n"))
                .isInstanceOf(ProcParseException.class).hasMessageContaining("/proc/stat line 1 'cpu  1 2 x 4 5'");
        assertThatThrownBy(() -> MemInfo.parse("Hello world\n"))
                .hasMessageContaining("/proc/meminfo line 1 'Hello world': expected 'Key: value [kB]'");
        assertThatThrownBy(() -> DiskStat.parse("8 0 sda 1 2\n")).hasMessageContaining("has 5 fields; expected at least 14");
        assertThatThrownBy(() -> CpuStat.parse("intr 1 2 3\n")).hasMessageContaining("no aggregate 'cpu' line");
    }
}
