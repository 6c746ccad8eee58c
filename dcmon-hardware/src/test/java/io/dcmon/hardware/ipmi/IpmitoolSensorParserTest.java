package io.dcmon.hardware.ipmi;

import io.dcmon.hardware.testkit.BmcFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class IpmitoolSensorParserTest {

    static SensorReading sensor(IpmiReadings r, String name) {
        return r.find(name).orElseThrow(() -> new AssertionError("no sensor " + name));
    }

    static Stream<Arguments> ipmitoolFixtures() {
        return Stream.of(
                arguments("dell-poweredge-r740-sdr-elist.txt", 199, 98, (Consumer<IpmiReadings>) r -> {
                    SensorReading inlet = sensor(r, "Inlet Temp");
                    assertThat(inlet.kind()).isEqualTo(SensorKind.TEMPERATURE);
                    assertThat(inlet.value()).hasValue(23.0);
                    assertThat(inlet.status()).isEqualTo(SensorStatus.OK);
                    assertThat(sensor(r, "Current 2").value()).hasValue(0.20);
                    assertThat(sensor(r, "Current 2").kind()).isEqualTo(SensorKind.CURRENT);
                    assertThat(sensor(r, "Fan1").value()).hasValue(3480.0);
                    assertThat(sensor(r, "SEL").value()).isEmpty();
                    assertThat(sensor(r, "SEL").status()).isEqualTo(SensorStatus.NS);
                    assertThat(sensor(r, "PS Redundancy").state()).hasValue("Fully Redundant");
                    assertThat(r.sensors().stream().filter(s -> s.name().equals("Temp")).map(s -> s.value().getAsDouble()))
                            .containsExactly(34.0, 45.0);
                }),
                arguments("dell-poweredge-r740-sdr.txt", 199, 98, (Consumer<IpmiReadings>) r -> {
                    assertThat(sensor(r, "Inlet Temp").value()).hasValue(24.0);
                    assertThat(sensor(r, "Pwr Consumption").value()).hasValue(208.0);
                    assertThat(sensor(r, "Pwr Consumption").kind()).isEqualTo(SensorKind.POWER);
                    assertThat(sensor(r, "Voltage 2").value()).hasValue(220.0);
                    assertThat(sensor(r, "DIMM PG").kind()).isEqualTo(SensorKind.DISCRETE);
                    assertThat(sensor(r, "DIMM PG").value()).hasValue(0.0);
                    assertThat(sensor(r, "Power Cable").value()).isEmpty();
                }),
                arguments("huawei-rh2288-v3-sdr-elist.txt", 146, 65, (Consumer<IpmiReadings>) r -> {
                    assertThat(sensor(r, "Inlet Temp").value()).hasValue(18.0);
                    assertThat(sensor(r, "Outlet Temp").value()).hasValue(26.0);
                    assertThat(sensor(r, "Power").value()).hasValue(36.0);
                    assertThat(sensor(r, "PCH Temp").value()).isEmpty();
                    assertThat(sensor(r, "FAN1 F Speed").value()).isEmpty();
                    assertThat(sensor(r, "ACPI State").state()).hasValue("S4/S5: soft-off");
                    assertThat(sensor(r, "DIMM011").status()).isEqualTo(SensorStatus.NS);
                }),
                arguments("ibm-system-x-sdr-v1.txt", 133, 2, (Consumer<IpmiReadings>) r -> {
                    assertThat(sensor(r, "Ambient Temp").value()).hasValue(20.0);
                    assertThat(sensor(r, "Fan 1A Tach").value()).hasValue(2610.0);
                    assertThat(sensor(r, "Fan 1A Tach").kind()).isEqualTo(SensorKind.FAN);
                    assertThat(sensor(r, "Planar 12V").value()).hasValue(12.04);
                    assertThat(sensor(r, "Altitude").kind()).isEqualTo(SensorKind.OTHER);
                    assertThat(sensor(r, "Altitude").unit()).isEqualTo("feet");
                    assertThat(sensor(r, "Avg Power").value()).hasValue(210.0);
                    assertThat(sensor(r, "DASD Backplane 3").value()).isEmpty();
                }),
                arguments("supermicro-sdr-type-power-supply-ac-lost.txt", 2, 0, (Consumer<IpmiReadings>) r -> {
                    assertThat(sensor(r, "PS1 Status").state()).hasValue("Presence detected");
                    assertThat(sensor(r, "PS2 Status").state()).hasValue("Presence detected, Failure detected, Power Supply AC lost");
                    assertThat(sensor(r, "PS2 Status").kind()).isEqualTo(SensorKind.DISCRETE);
                }),
                arguments("supermicro-smfc-readme-sensor-grep-FAN.txt", 6, 1, (Consumer<IpmiReadings>) r -> {
                    SensorReading fan4 = sensor(r, "FAN4");
                    assertThat(fan4.value()).hasValue(400.0);
                    assertThat(fan4.status()).isEqualTo(SensorStatus.OK);
                    assertThat(fan4.thresholds().lowerCritical()).hasValue(100.0);
                    assertThat(fan4.thresholds().upperNonRecoverable()).hasValue(1800.0);
                    assertThat(sensor(r, "FAN3").value()).isEmpty();
                    assertThat(sensor(r, "FAN3").thresholds().isEmpty()).isTrue();
                }),
                arguments("supermicro-x10-dual-socket-sensor-list.txt", 56, 16, (Consumer<IpmiReadings>) r -> {
                    SensorReading cpu2 = sensor(r, "CPU2 Temp");
                    assertThat(cpu2.value()).hasValue(33.0);
                    assertThat(cpu2.status()).isEqualTo(SensorStatus.NR);
                    assertThat(cpu2.thresholds().upperCritical()).hasValue(30.0);
                    assertThat(sensor(r, "System Temp").thresholds().lowerNonRecoverable()).hasValue(-10.0);
                    assertThat(sensor(r, "12V").value()).hasValue(12.315);
                    assertThat(sensor(r, "FAN1").value()).hasValue(4400.0);
                    assertThat(sensor(r, "FAN4").value()).isEmpty();
                    SensorReading ps1 = sensor(r, "PS1 Status");
                    assertThat(ps1.kind()).isEqualTo(SensorKind.DISCRETE);
                    assertThat(ps1.value()).hasValue(1.0); // 0x0100: state offset 0 (presence detected)
                    assertThat(sensor(r, "HDD Status").value()).hasValue(0xff01);
                    assertThat(sensor(r, "AOC_SAS Temp").value()).hasValue(60.0);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipmitoolFixtures")
    void parsesEveryCapturedIpmitoolListing(String file, int sensors, int unreadable, Consumer<IpmiReadings> pinned) {
        IpmiReadings r = IpmitoolSensorParser.parse(BmcFixtures.read("ipmitool", file));

        assertThat(r.sensors()).hasSize(sensors);
        assertThat(r.sensors().stream().filter(s -> s.status().unreadable()).count()).isEqualTo(unreadable);
        assertThat(r.sensors()).allSatisfy(s -> {
            if (s.status().unreadable()) {
                assertThat(s.value()).as(s.name()).isEmpty();
            }
        });
        pinned.accept(r);
    }

    @Test
    void everyIpmitoolFixtureHasAPinnedCase() {
        assertThat(BmcFixtures.files("ipmitool"))
                .containsExactlyInAnyOrderElementsOf(ipmitoolFixtures().map(a -> (String) a.get()[0]).toList());
    }

    @Test
    void parsesNaAsAbsentNotZero() {
        IpmiReadings r = IpmitoolSensorParser.parse(
                "FAN5             | na         |            | na    | 300.000   | 500.000   | 700.000   | 25300.000 | 25400.000 | 25500.000 \n");
        assertThat(r.sensors()).singleElement().satisfies(s -> {
            assertThat(s.value()).isEmpty();
            assertThat(s.status()).isEqualTo(SensorStatus.NA);
            assertThat(s.readable()).isFalse();
        });
    }

    @Test
    void skipsAndCountsLinesWithoutColumns() {
        IpmiReadings r = IpmitoolSensorParser.parse("Locating sensor record...\n\nCPU Temp | 01h | ok | 3.1 | 45 degrees C\n");
        assertThat(r.sensors()).hasSize(1);
        assertThat(r.skippedLines()).isEqualTo(3);
    }

    @Test
    void rejectsForeignTableNamingTheLine() {
        assertThatThrownBy(() -> IpmitoolSensorParser.parse("CPU Temp | 01h | ok | 3.1 | 45 degrees C\nA | B\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .isInstanceOf(io.dcmon.hardware.ParseException.class)
                .hasMessageContaining("ipmitool sensor/sdr output line 2 'A | B': not a sensor row")
                .hasMessageContaining("2 columns");
    }

    @Test
    void parsesSimulatorSensorOutputWithPowerSupplies() {
        // exact stdout of ipmitool 1.8.19 `sensor` against the ipmi_sim config in test resources
        String line = "PS1 Input Power  | 620.000    | Watts      | ok    | na        | na        | na        | 1800.000  | 2000.000  | 2200.000  ";
        SensorReading s = IpmitoolSensorParser.parse(line).sensors().get(0);
        assertThat(s.kind()).isEqualTo(SensorKind.POWER);
        assertThat(s.value()).hasValue(620.0);
        assertThat(s.thresholds().asMap()).containsExactly(
                org.assertj.core.api.Assertions.entry("unc", 1800.0),
                org.assertj.core.api.Assertions.entry("ucr", 2000.0),
                org.assertj.core.api.Assertions.entry("unr", 2200.0));
        assertThat(List.of(s.thresholds().lowerCritical())).allSatisfy(t -> assertThat(t).isEmpty());
    }
}
