package io.dcmon.hardware.gpu;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.Fixtures;
import io.dcmon.hardware.exec.ProcessCommandRunner;
import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.exec.ToolException;
import io.dcmon.hardware.exec.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NvidiaSmiTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static NvidiaSmi replay(String queryGpuCapture, String appsCapture) {
        NvidiaSmiReplay r = new NvidiaSmiReplay(Fixtures.text(queryGpuCapture),
                appsCapture == null ? Optional.empty() : Optional.of(Fixtures.text(appsCapture)));
        return new NvidiaSmi(new ToolRunner(Tool.of("nvidia-smi", Duration.ofSeconds(5)), r));
    }

    /** STYLE's pinned example: line 3 of h100-query-gpu-load.csv. */
    @Test
    void parsesNotSupportedAsAbsent() {
        List<GpuReading> g = NvidiaSmiCsv.parseColumns(Fixtures.text("nvidia-smi/h100-query-gpu-load.csv"), NvidiaSmiFixturesTest.h100Fields());
        GpuReading line3 = g.get(2);
        assertThat(line3.powerDrawWatts()).hasValue(532.22);
        assertThat(line3.utilizationGpuPercent()).hasValue(100);
        assertThat(line3.fanSpeedPercent()).isEmpty(); // [N/A]
        assertThat(line3.retiredPagesPending()).isEmpty(); // [N/A]
        assertThat(line3.activeClockEventReasons()).containsExactly(ClockEventReason.SW_POWER_CAP);
        assertThat(line3.memoryUsedBytes()).hasValue(1139L * 1024 * 1024);
        assertThat(line3.performanceState()).contains("P0");
    }

    @Test
    void queryArgumentAndColumnIndexComeFromOneList() {
        String arg = NvidiaSmiCsv.queryArgument(NvidiaSmiCsv.QUERY_FIELDS);
        assertThat(arg).startsWith("--query-gpu=index,uuid,name,pci.bus_id,").contains("clocks_throttle_reasons.active");
        assertThat(arg.split(",")).hasSize(NvidiaSmiCsv.QUERY_FIELDS.size());
    }

    @Test
    void oneUnsupportedFieldIsAbsentForThatGpuOnly() {
        String two = "0, GPU-a, A, 00000000:01:00.0, 40, [N/A]\n1, GPU-b, B, 00000000:02:00.0, [Not Supported], 30\n";
        List<GpuField> f = List.of(GpuField.INDEX, GpuField.UUID, GpuField.NAME, GpuField.PCI_BUS_ID, GpuField.TEMPERATURE_GPU, GpuField.FAN_SPEED);
        List<GpuReading> g = NvidiaSmiCsv.parse(two, f);
        assertThat(g.get(0).temperatureCelsius()).hasValue(40);
        assertThat(g.get(0).fanSpeedPercent()).isEmpty();
        assertThat(g.get(1).temperatureCelsius()).isEmpty();
        assertThat(g.get(1).fanSpeedPercent()).hasValue(30);
    }

    @Test
    void rejectsRowsWithTheWrongColumnCountNamingTheLine() {
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("0, GPU-a\n0, GPU-a, extra\n", List.of(GpuField.INDEX, GpuField.UUID)))
                .hasMessage("nvidia-smi --query-gpu output line 2 '0, GPU-a, extra': has 3 columns but 2 fields were queried; "
                        + "is this the output of the same --query-gpu field list?");
    }

    @Test
    void notXmlIsAClearError() {
        assertThatThrownBy(() -> NvidiaSmiXml.parse("No devices were found\n"))
                .hasMessageStartingWith("nvidia-smi -q -x output: not well-formed XML");
    }

    @Test
    void readsEveryQueriedFieldFromAnAllFieldsCapture() throws Exception {
        NvidiaSmi smi = replay("nvidia-smi/h200-driver590-query-gpu-all-fields-load.csv", null);
        List<GpuReading> g = smi.read();
        assertThat(smi.fields()).isEqualTo(NvidiaSmiCsv.QUERY_FIELDS);
        assertThat(g).hasSize(1);
        assertThat(g.get(0).name()).isEqualTo("NVIDIA H200");
        assertThat(g.get(0).temperatureCelsius()).hasValue(52);
        assertThat(g.get(0).powerDrawWatts()).hasValue(627.40);
        assertThat(g.get(0).memoryTotalBytes()).hasValue(143771L * 1024 * 1024);
        assertThat(g.get(0).migMode()).contains("Disabled");
        assertThat(smi.availability().available()).isTrue();
        assertThat(smi.availability().reason()).isEqualTo("1 GPU");
    }

    @Test
    void fieldsAnOldDriverRejectsAreDroppedOnceAndTheRestStillFlows() throws Exception {
        // this capture's query lacked retired_pages.sbe/dbe and remapped_rows.*: the replay rejects them like the driver does
        NvidiaSmi smi = replay("nvidia-smi/h100-query-gpu-with-header.csv", null);
        List<GpuReading> g = smi.read();
        assertThat(g.get(0).temperatureCelsius()).hasValue(36);
        assertThat(g.get(0).powerDrawWatts()).hasValue(70.87);
        assertThat(smi.fields()).doesNotContain(GpuField.REMAPPED_ROWS_CORRECTABLE, GpuField.RETIRED_PAGES_SBE)
                .contains(GpuField.TEMPERATURE_GPU, GpuField.RETIRED_PAGES_PENDING);
        assertThat(smi.read()).isEqualTo(g);
    }

    @Test
    void collectorTurnsReadingsIntoLabelledSamples() throws Exception {
        NvidiaCollector c = new NvidiaCollector(replay("nvidia-smi/l40s-driver595-query-gpu-all-fields-load.csv",
                "nvidia-smi/l40s-driver595-compute-apps-load.csv"), CLOCK, true);
        List<Sample> s = c.collect();
        String[] l = {"gpu", "0", "uuid", "GPU-00000000-0000-0000-0000-000000000000", "name", "NVIDIA L40S", "pci_bus_id", "00000000:01:00.0"};
        assertThat(s).contains(Sample.of(SeriesKey.of(NvidiaMetrics.TEMPERATURE, l), CLOCK.millis(), 54.0));
        assertThat(s).contains(Sample.of(SeriesKey.of(NvidiaMetrics.POWER_DRAW, l), CLOCK.millis(), 110.23));
        assertThat(s).contains(Sample.of(SeriesKey.of(NvidiaMetrics.MEMORY_TOTAL, l), CLOCK.millis(), 46068L * 1024 * 1024));
        assertThat(s).contains(Sample.of(SeriesKey.of(NvidiaMetrics.UTILIZATION, l), CLOCK.millis(), 9L));
        assertThat(s).contains(Sample.of(SeriesKey.of(NvidiaMetrics.GPU_COUNT), CLOCK.millis(), 1L));
        assertThat(s).contains(Sample.of(SeriesKey.of(NvidiaMetrics.PROCESS_MEMORY, "uuid", "GPU-00000000-0000-0000-0000-000000000000",
                "pid", "20038", "process", "ffmpeg"), CLOCK.millis(), 681L * 1024 * 1024));
        // [N/A] fields (fan, MIG on this board) are omitted, not zero
        assertThat(s).noneMatch(x -> x.metric().equals(NvidiaMetrics.FAN_SPEED) || x.metric().equals(NvidiaMetrics.MIG_ENABLED));
        assertThat(s).filteredOn(x -> x.metric().equals(NvidiaMetrics.CLOCK_EVENT_REASON)).hasSize(ClockEventReason.values().length);
    }

    private Path fakeNvidiaSmi(ErrorFixture e) throws Exception {
        Path out = dir.resolve("stdout.txt");
        Files.writeString(out, e.stdout());
        Path bin = dir.resolve("nvidia-smi");
        Files.writeString(bin, "#!/bin/sh\ncat " + out + "\nexit " + e.exitStatus() + "\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "driver580-bad-id.txt|exited with status 6; stdout: No devices were found. The driver sees no GPU: check `nvidia-smi -L`",
            "driver580-bad-format.txt|exited with status 2; stdout: Format modifier is not recognized.. This nvidia-smi does not accept dcmon's arguments",
            "driver580-bad-option.txt|exited with status 255; stdout: ERROR: Option --bogus is not recognized. Please run 'nvidia-smi -h'.. This nvidia-smi",
            "driver580-invalid-field.txt|exited with status 2; stdout: Field \"xyz\" is not a valid field to query.. This nvidia-smi does not accept",
            "driver580-no-format.txt|nvidia: nvidia-smi --query-gpu output line 1 'index': has 1 columns but 34 fields were queried"})
    void nvidiaSmiErrorOutputsGiveClearErrors(String fixture, String expected) throws Exception {
        ErrorFixture e = ErrorFixture.parse(Fixtures.text("nvidia-smi/errors/" + fixture));
        Path bin = fakeNvidiaSmi(e);
        NvidiaCollector c = new NvidiaCollector(new NvidiaSmi(new ToolRunner(Tool.of(bin.toString(), Duration.ofSeconds(10)),
                ProcessCommandRunner.local())), CLOCK, false);
        assertThatThrownBy(c::collect).isInstanceOf(CollectorException.class).hasMessageContaining(expected);
    }

    @Test
    void missingNvidiaSmiIsUnavailableNamingThePath() {
        NvidiaSmi smi = new NvidiaSmi(ToolRunner.local(Tool.of(dir.resolve("bin/nvidia-smi").toString(), Duration.ofSeconds(5))));
        assertThat(smi.availability().available()).isFalse();
        assertThat(smi.availability().reason()).isEqualTo("nvidia-smi is not installed: tried " + dir.resolve("bin/nvidia-smi")
                + "; install it or set its path in the configuration");
        assertThatThrownBy(smi::read).isInstanceOf(ToolException.NotFound.class);
    }
}
