package io.dcmon.hardware.nvme;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.Fixtures;
import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.exec.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NvmeCollectorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** A fake nvme binary replaying the nvme-cli 2.11 captures; only nvme0n1's SMART log is readable. */
    private NvmeCli fakeNvme(boolean anyReadable) throws Exception {
        Files.copy(Fixtures.path("nvme/nvme-list-nvmecli-2.11-seagate-firecuda-530-x3.json"), dir.resolve("list.json"));
        Files.copy(Fixtures.path("nvme/nvme-smart-log-nvmecli-2.11-seagate-firecuda-530.json"), dir.resolve("smart.json"));
        Path bin = dir.resolve("nvme");
        Files.writeString(bin, "#!/bin/sh\n"
                + "if [ \"$1\" = list ]; then cat " + dir.resolve("list.json") + "; exit 0; fi\n"
                + "if [ \"$1\" = smart-log ] && [ \"$2\" = /dev/nvme0n1 ] && [ " + anyReadable + " = true ]; then cat "
                + dir.resolve("smart.json") + "; exit 0; fi\n"
                + "echo \"open $2: Permission denied\" >&2; exit 1\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new NvmeCli(ToolRunner.local(Tool.of(bin.toString(), Duration.ofSeconds(10))));
    }

    @Test
    void readableDrivesAreReportedAndUnreadableOnesSkipped() throws Exception {
        NvmeCollector c = new NvmeCollector(fakeNvme(true), CLOCK);
        assertThat(c.availability().reason()).isEqualTo("3 NVMe namespaces");
        List<Sample> s = c.collect();
        String[] l = {"device", "nvme0n1", "model", "Seagate FireCuda 530 ZP4000GM30023", "serial", "XXX02YYY"};
        assertThat(s).contains(
                Sample.of(SeriesKey.of(NvmeMetrics.TEMPERATURE, l), CLOCK.millis(), 51.0),
                Sample.of(SeriesKey.of(NvmeMetrics.PERCENTAGE_USED, l), CLOCK.millis(), 30L),
                Sample.of(SeriesKey.of(NvmeMetrics.DATA_WRITTEN, l), CLOCK.millis(), 1928683480L * 512_000L),
                Sample.of(SeriesKey.of(NvmeMetrics.CRITICAL_WARNING, l), CLOCK.millis(), 0L));
        assertThat(s).allMatch(x -> x.labels().get("device").equals("nvme0n1"));
    }

    @Test
    void noReadableDriveIsAnErrorCarryingStderrAndTheFix() throws Exception {
        NvmeCollector c = new NvmeCollector(fakeNvme(false), CLOCK);
        assertThatThrownBy(c::collect).isInstanceOf(CollectorException.class)
                .hasMessageContaining("open /dev/nvme0n1: Permission denied")
                .hasMessageContaining("needs root or CAP_SYS_ADMIN");
    }
}
