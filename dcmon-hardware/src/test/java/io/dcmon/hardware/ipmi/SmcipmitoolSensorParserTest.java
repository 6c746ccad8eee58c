package io.dcmon.hardware.ipmi;

import io.dcmon.hardware.testkit.BmcFixtures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SMCIPMITool sensor table (fixture kind supermicro); the other supermicro files are covered by the psu and fan tests. */
class SmcipmitoolSensorParserTest {

    @Test
    void parsesSmcipmitoolSensorTableOfX10DualSocketBoard() {
        IpmiReadings r = SmcipmitoolSensorParser.parse(BmcFixtures.read("supermicro", "smcipmitool-ipmi-sensor-x10-dual-socket.txt"));

        assertThat(r.sensors()).hasSize(44);
        assertThat(r.skippedLines()).isEqualTo(3 + 1); // banner, header, separator, final empty line
        SensorReading cpu1 = r.find("CPU1 Temp").orElseThrow();
        assertThat(cpu1.kind()).isEqualTo(SensorKind.TEMPERATURE);
        assertThat(cpu1.value()).hasValue(47.0);
        assertThat(cpu1.status()).isEqualTo(SensorStatus.OK);
        assertThat(cpu1.thresholds().lowerCritical()).hasValue(0.0);
        assertThat(cpu1.thresholds().upperCritical()).hasValue(90.0);
        assertThat(r.find("PCH Temp").orElseThrow().thresholds().lowerCritical()).hasValue(-8.0);
        assertThat(r.find("FAN3").orElseThrow().value()).hasValue(3700.0);
        assertThat(r.find("FAN3").orElseThrow().kind()).isEqualTo(SensorKind.FAN);
        assertThat(r.find("FAN5").orElseThrow().value()).isEmpty();
        assertThat(r.find("FAN5").orElseThrow().thresholds().upperCritical()).hasValue(25400.0);
        assertThat(r.find("12V").orElseThrow().value()).hasValue(12.0);
        assertThat(r.find("12V").orElseThrow().kind()).isEqualTo(SensorKind.VOLTAGE);
        assertThat(r.find("VBAT").orElseThrow().thresholds().upperCritical()).hasValue(3.78);
        assertThat(r.find("PS1 Status").orElseThrow().state()).hasValue("Presence detected");
        assertThat(r.find("Chassis Intru").orElseThrow().state()).hasValue("OK");
        assertThat(r.readable()).hasSize(44 - 4 - 2);
    }
}
