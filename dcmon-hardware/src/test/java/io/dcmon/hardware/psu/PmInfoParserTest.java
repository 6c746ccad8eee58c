package io.dcmon.hardware.psu;

import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.exec.ToolRunner;
import io.dcmon.hardware.testkit.BmcFixtures;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PmInfoParserTest {

    @Test
    void parsesCollectionOfPws1k28pAndPws1k23aModules() {
        PmInfo info = PmInfoParser.parse(BmcFixtures.read("supermicro", "smcipmitool-pminfo-collection-pws-1k28p-sq-pws-1k23a-1r.txt"));

        assertThat(info.modules()).extracting(PsuModule::slaveAddress).containsExactly("78h", "7Fh", "78h", "88h", "8Ah", "9Ah");
        assertThat(info.modules()).extracting(PsuModule::module).containsExactly(1, 2, 1, 1, 2, 2);
        // the stray "PWS Revision" line between blocks, plus Item/---- headers of 6 blocks
        assertThat(info.skippedLines()).isEqualTo(1 + 6 * 2);

        PsuModule ok = info.modules().get(0);
        assertThat(ok.status()).hasValue(PsuStatus.OK);
        assertThat(ok.statusByte()).isEmpty();
        assertThat(ok.inputVoltageVolts()).hasValue(229.75);
        assertThat(ok.inputCurrentAmperes()).hasValue(1.52);
        assertThat(ok.outputVoltageVolts()).hasValue(12.25);
        assertThat(ok.outputCurrentAmperes()).hasValue(26.03);
        assertThat(ok.inputPowerWatts()).hasValue(337.0);
        assertThat(ok.outputPowerWatts()).hasValue(319.0);
        assertThat(ok.temperaturesCelsius()).containsExactly(Map.entry(1, 35.0), Map.entry(2, 45.0));
        assertThat(ok.fanSpeedsRpm()).containsExactly(Map.entry(1, 1392), Map.entry(2, 1072));
        assertThat(ok.model()).hasValue("PWS-1K28P-SQ");
        assertThat(ok.serial()).hasValue("P1K28CH09ST0093");
        assertThat(ok.revision()).hasValue("1.4");

        PsuModule off = info.modules().get(1);
        assertThat(off.statusByte()).hasValue(0x40);
        assertThat(off.status()).hasValue(PsuStatus.OFF);
        assertThat(off.outputPowerWatts()).hasValue(0.0); // zero is a value
        assertThat(off.inputPowerWatts()).hasValue(5.0);

        assertThat(info.modules().get(2).statusByte()).hasValue(0x50);
        assertThat(info.modules().get(2).status()).hasValue(PsuStatus.FAULT); // IOUT_OC_FAULT

        PsuModule dc = info.modules().get(4);
        assertThat(dc.dcInput()).isTrue();
        assertThat(dc.statusByte()).hasValue(0x48);
        assertThat(dc.status()).hasValue(PsuStatus.FAULT); // VIN_UV_FAULT
        assertThat(dc.inputPowerWatts()).hasValue(0.0);
        assertThat(dc.fanSpeedsRpm()).containsExactly(Map.entry(1, 0), Map.entry(2, 0));
        assertThat(dc.model()).hasValue("PWS-1K23A-1R");

        PsuModule na = info.modules().get(5);
        assertThat(na.statusByte()).hasValue(0);
        assertThat(na.status()).hasValue(PsuStatus.OK);
        assertThat(na.temperaturesCelsius()).containsExactly(Map.entry(1, 36.0)); // Temperature 2 is N/A
        assertThat(na.serial()).isEmpty();
        assertThat(na.dcInput()).isFalse();
    }

    @Test
    void parsesSinglePws406pModuleWithZeroRpmFan() {
        PmInfo info = PmInfoParser.parse(BmcFixtures.read("supermicro", "smcipmitool-pminfo-pws-406p-1r-single-module.txt"));

        assertThat(info.modules()).singleElement().satisfies(m -> {
            assertThat(m.slaveAddress()).isEqualTo("78h");
            assertThat(m.statusText()).isEqualTo("[STATUS OK](00h)");
            assertThat(m.status()).hasValue(PsuStatus.OK);
            assertThat(m.inputVoltageVolts()).hasValue(120.5);
            assertThat(m.inputPowerWatts()).hasValue(118.0);
            assertThat(m.outputPowerWatts()).hasValue(101.0);
            assertThat(m.fanSpeedsRpm()).containsExactly(Map.entry(1, 6304), Map.entry(2, 0));
            assertThat(m.temperaturesCelsius()).containsExactly(Map.entry(1, 39.0), Map.entry(2, 43.0));
            assertThat(m.model()).hasValue("PWS-406P-1R");
            assertThat(m.revision()).hasValue("REV1.3");
        });
    }

    @Test
    void statusMapOrdersWorstFirst() {
        assertThat(PsuStatus.ofStatusByte(0x00)).isEqualTo(PsuStatus.OK);
        assertThat(PsuStatus.ofStatusByte(0x01)).isEqualTo(PsuStatus.WARNING);
        assertThat(PsuStatus.ofStatusByte(0x80)).isEqualTo(PsuStatus.WARNING);
        assertThat(PsuStatus.ofStatusByte(0x40)).isEqualTo(PsuStatus.OFF);
        assertThat(PsuStatus.ofStatusByte(0x44)).isEqualTo(PsuStatus.FAULT);
        assertThat(PsuStatus.of("N/A", java.util.OptionalInt.empty())).isEmpty();
    }

    @Test
    void collectorEmitsZeroPowerAsSampleAndSkipsRepeatedModules() throws CollectorException {
        List<List<String>> ran = new ArrayList<>();
        String out = BmcFixtures.read("supermicro", "smcipmitool-pminfo-collection-pws-1k28p-sq-pws-1k23a-1r.txt");
        ToolRunner runner = new ToolRunner(Tool.of("ipmicfg", Duration.ofSeconds(30)), (cmd, timeout) -> {
            ran.add(cmd);
            return new CommandResult(0, out, "", Duration.ofMillis(900));
        });
        PsuCollector c = new PsuCollector(runner, List.of("-pminfo"), Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));

        List<Sample> samples = c.collect();
        Map<SeriesKey, Number> m = samples.stream().collect(Collectors.toMap(Sample::series, Sample::value));

        assertThat(ran).containsExactly(List.of("ipmicfg", "-pminfo"));
        assertThat(c.name()).isEqualTo("psu");
        Labels off = Labels.of("psu", "2", "address", "7Fh");
        assertThat(m.get(new SeriesKey("psu_output_power_watts", off))).isEqualTo(0.0);
        assertThat(m.get(new SeriesKey("psu_status", off))).isEqualTo(2L);
        assertThat(m.get(new SeriesKey("psu_status_byte", off))).isEqualTo(0x40L);
        Labels first = Labels.of("psu", "1", "address", "78h");
        assertThat(m.get(new SeriesKey("psu_input_power_watts", first))).isEqualTo(337.0); // the first 78h block wins
        assertThat(m.get(new SeriesKey("psu_fan_speed_rpm", first.with("fan", "1")))).isEqualTo(1392L);
        assertThat(m.get(new SeriesKey("psu_temperature_celsius", first.with("sensor", "2")))).isEqualTo(45.0);
        assertThat(m.get(new SeriesKey("psu_info", first.with("input", "ac").with("model", "PWS-1K28P-SQ")
                .with("serial", "P1K28CH09ST0093").with("revision", "1.4")))).isEqualTo(1L);
        assertThat(m.get(new SeriesKey("psu_status", Labels.of("psu", "2", "address", "8Ah")))).isEqualTo(3L);
        assertThat(m.keySet()).noneMatch(k -> k.metric().equals("psu_temperature_celsius")
                && "9Ah".equals(k.labels().get("address")) && "2".equals(k.labels().get("sensor")));
    }

    @Test
    void collectorFailsWhenNoModuleIsListed() {
        ToolRunner runner = new ToolRunner(Tool.of("ipmicfg", Duration.ofSeconds(30)),
                (cmd, timeout) -> new CommandResult(0, "Not supported\n", "", Duration.ZERO));
        assertThatThrownBy(() -> new PsuCollector(runner, List.of("-pminfo")).collect())
                .isInstanceOf(CollectorException.class).hasMessageContaining("ipmicfg -pminfo listed no power supply modules");
    }
}
