package io.dcmon.hardware.ipmi;

import io.dcmon.core.model.Labels;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.CommandRunner;
import io.dcmon.hardware.testkit.BmcFixtures;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpmiCollectorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    static IpmiCollector replaying(String stdout, List<List<String>> ran, IpmiCollector.Source source) {
        CommandRunner runner = (cmd, timeout) -> {
            ran.add(cmd);
            return new CommandResult(0, stdout, "", Duration.ofMillis(70));
        };
        return new IpmiCollector(Ipmitool.builder().runner(runner).build(), source, CLOCK);
    }

    static Map<SeriesKey, Number> byKey(List<Sample> samples) {
        return samples.stream().collect(Collectors.toMap(Sample::series, Sample::value));
    }

    @Test
    void emitsReadingsStatusAndThresholdsFromSupermicroSensorList() throws CollectorException {
        List<List<String>> ran = new ArrayList<>();
        IpmiCollector c = replaying(BmcFixtures.read("ipmitool", "supermicro-x10-dual-socket-sensor-list.txt"), ran,
                IpmiCollector.Source.SENSOR);

        List<Sample> samples = c.collect();
        Map<SeriesKey, Number> m = byKey(samples); // toMap also proves there are no duplicate series

        assertThat(ran).containsExactly(List.of("ipmitool", "sensor"));
        assertThat(c.name()).isEqualTo("ipmi");
        assertThat(samples).allSatisfy(s -> assertThat(s.timestampMs()).isEqualTo(1_700_000_000_000L));
        assertThat(m.get(SeriesKey.of("ipmi_temperature_celsius", "sensor", "CPU1 Temp"))).isEqualTo(29.0);
        assertThat(m.get(SeriesKey.of("ipmi_sensor_status", "sensor", "CPU2 Temp"))).isEqualTo(3L);
        assertThat(m.get(SeriesKey.of("ipmi_temperature_threshold_celsius", "sensor", "CPU2 Temp", "threshold", "ucr"))).isEqualTo(30.0);
        assertThat(m.get(SeriesKey.of("ipmi_fan_speed_rpm", "sensor", "FAN1"))).isEqualTo(4400L);
        assertThat(m.get(SeriesKey.of("ipmi_fan_speed_threshold_rpm", "sensor", "FAN1", "threshold", "lcr"))).isEqualTo(500L);
        assertThat(m.get(SeriesKey.of("ipmi_voltage_volts", "sensor", "12V"))).isEqualTo(12.315);
        assertThat(m.get(SeriesKey.of("ipmi_sensor_state", "sensor", "PS1 Status"))).isEqualTo(1L);
        // FAN4 reads "na": no reading, no status, no thresholds. Absent, never 0.
        assertThat(samples).noneMatch(s -> "FAN4".equals(s.labels().get("sensor")));
        assertThat(samples).noneMatch(s -> "P1-DIMMA2 Temp".equals(s.labels().get("sensor")));
    }

    @Test
    void tellsDuplicateSensorNamesApartAndKeepsOtherUnits() throws CollectorException {
        IpmiCollector c = replaying(BmcFixtures.read("ipmitool", "dell-poweredge-r740-sdr-elist.txt"), new ArrayList<>(),
                IpmiCollector.Source.SDR_ELIST);

        Map<SeriesKey, Number> m = byKey(c.collect());

        assertThat(m.get(SeriesKey.of("ipmi_temperature_celsius", "sensor", "Temp"))).isEqualTo(34.0);
        assertThat(m.get(SeriesKey.of("ipmi_temperature_celsius", "sensor", "Temp#2"))).isEqualTo(45.0);
        assertThat(m.get(SeriesKey.of("ipmi_power_watts", "sensor", "Pwr Consumption"))).isEqualTo(208.0);
        assertThat(m.get(SeriesKey.of("ipmi_current_amperes", "sensor", "Current 2"))).isEqualTo(0.2);
        assertThat(m.get(new SeriesKey("ipmi_sensor_value", Labels.of("sensor", "CPU Usage", "unit", "percent")))).isEqualTo(1.0);
        // a discrete sensor with only state text still reports its health
        assertThat(m.get(SeriesKey.of("ipmi_sensor_status", "sensor", "PS Redundancy"))).isEqualTo(0L);
        assertThat(m.keySet()).noneMatch(k -> k.labels().get("sensor").equals("SEL"));
    }

    @Test
    void failsWithTheCommandWhenTheOutputIsNotASensorListing() {
        IpmiCollector c = replaying("a | b\n", new ArrayList<>(), IpmiCollector.Source.SENSOR);
        assertThatThrownBy(c::collect).isInstanceOf(CollectorException.class)
                .hasMessageContaining("ipmitool sensor printed something that is not a sensor listing: ipmitool sensor/sdr output line 1 'a | b'");
    }

    @Test
    void emptyListingIsAnErrorNotAnEmptyCollection() {
        IpmiCollector c = replaying("", new ArrayList<>(), IpmiCollector.Source.SENSOR);
        assertThatThrownBy(c::collect).isInstanceOf(CollectorException.class).hasMessageContaining("listed no sensors");
    }

    @Test
    void everySensorKindHasAPrometheusNameWithUnit() {
        Map<SensorKind, String> names = java.util.Arrays.stream(SensorKind.values())
                .collect(Collectors.toMap(Function.identity(), SensorKind::metric));
        assertThat(names).containsEntry(SensorKind.TEMPERATURE, "ipmi_temperature_celsius")
                .containsEntry(SensorKind.FAN, "ipmi_fan_speed_rpm")
                .containsEntry(SensorKind.VOLTAGE, "ipmi_voltage_volts")
                .containsEntry(SensorKind.POWER, "ipmi_power_watts")
                .containsEntry(SensorKind.CURRENT, "ipmi_current_amperes");
    }
}
