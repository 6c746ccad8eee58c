package io.dcmon.hardware.ipmi;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.dmi.BoardInfo;
import io.dcmon.hardware.exec.ProcessCommandRunner;
import io.dcmon.hardware.exec.ToolException;
import io.dcmon.hardware.fan.FanControlException;
import io.dcmon.hardware.fan.FanControlSettings;
import io.dcmon.hardware.fan.FanZone;
import io.dcmon.hardware.fan.SupermicroFans;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Real ipmitool over lanplus against OpenIPMI's ipmi_sim (a Supermicro X11-like BMC on 127.0.0.1, see
 * src/test/resources/ipmi-sim/README.md), through the real process runner. Skips when ipmi_sim or ipmitool
 * is missing, except with CI=true, where the CI script installs them and a missing tool is a failure.
 */
class IpmitoolAgainstIpmiSimTest {

    private static final List<String> SIMULATED_SENSORS = List.of("CPU Temp", "PCH Temp", "System Temp", "Peripheral Temp",
            "FAN1", "FAN2", "FAN3", "FAN4", "FAN5", "FAN6", "FANA", "12V", "5VCC", "3.3VCC", "VBAT", "PS1 Status", "PS2 Status",
            "PS1 Input Power", "PS2 Input Power", "PS1 Temp", "PS2 Temp");

    private static IpmiSim sim;
    private static Ipmitool ipmitool;

    @BeforeAll
    static void startSimulator() throws Exception {
        if (!IpmiSim.installed()) {
            String why = "ipmi_sim, sdrcomp and ipmitool are needed for this test: apt-get install -y openipmi ipmitool";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (CI=true: the CI script must install them)");
            }
            abort(why + "; skipped outside CI");
        }
        sim = IpmiSim.startOnFreePort(simDir());
        ipmitool = lan("ADMIN");
    }

    @AfterAll
    static void stopSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    private static Ipmitool lan(String password) {
        return Ipmitool.lan("127.0.0.1").port(sim.port()).user("ADMIN").password(password).cipherSuite(3)
                .lanTimeoutSeconds(1).retries(1).timeout(Duration.ofSeconds(15)).runner(ProcessCommandRunner.local()).build();
    }

    private static Path simDir() throws URISyntaxException {
        return Path.of(IpmitoolAgainstIpmiSimTest.class.getResource("/ipmi-sim/start.sh").toURI()).getParent();
    }

    private static Map<SeriesKey, Number> collect(IpmiCollector c) throws CollectorException {
        return c.collect().stream().collect(Collectors.toMap(Sample::series, Sample::value));
    }

    @Test
    void collectsTheSimulatedSensorSetThroughRealIpmitool() throws CollectorException {
        IpmiCollector collector = new IpmiCollector(ipmitool, IpmiCollector.Source.SENSOR, Clock.systemUTC());

        IpmiReadings readings = collector.read();
        Map<SeriesKey, Number> m = collect(collector);

        assertThat(readings.sensors()).extracting(SensorReading::name).containsExactlyElementsOf(SIMULATED_SENSORS);
        assertThat(readings.find("FAN5").orElseThrow().value()).isEmpty();
        assertThat(m.get(SeriesKey.of("ipmi_temperature_celsius", "sensor", "CPU Temp"))).isEqualTo(45.0);
        assertThat(m.get(SeriesKey.of("ipmi_fan_speed_rpm", "sensor", "FANA"))).isEqualTo(2800L);
        assertThat(m.get(SeriesKey.of("ipmi_voltage_volts", "sensor", "12V"))).isEqualTo(12.032);
        assertThat(m.get(SeriesKey.of("ipmi_power_watts", "sensor", "PS1 Input Power"))).isEqualTo(620.0);
        assertThat(m.get(SeriesKey.of("ipmi_power_threshold_watts", "sensor", "PS1 Input Power", "threshold", "ucr"))).isEqualTo(2000.0);
        assertThat(m.get(SeriesKey.of("ipmi_sensor_state", "sensor", "PS2 Status"))).isEqualTo(1L);
        assertThat(m.get(SeriesKey.of("ipmi_sensor_status", "sensor", "System Temp"))).isEqualTo(0L);
        assertThat(m.keySet()).noneMatch(k -> "FAN5".equals(k.labels().get("sensor")) || "FAN6".equals(k.labels().get("sensor")));
    }

    @Test
    void seesAFanReadingChangedAtRunTimeInTheNextCollection() throws Exception {
        IpmiCollector collector = new IpmiCollector(ipmitool);
        SeriesKey fan1 = SeriesKey.of("ipmi_fan_speed_rpm", "sensor", "FAN1");
        SeriesKey fan1Status = SeriesKey.of("ipmi_sensor_status", "sensor", "FAN1");
        assertThat(collect(collector)).containsEntry(fan1, 3400L).containsEntry(fan1Status, 0L);

        sim.setRaw(0x41, 4); // FAN1 = 400 RPM: below lcr 500
        try {
            assertThat(collect(collector)).containsEntry(fan1, 400L).containsEntry(fan1Status, 2L);
        } finally {
            sim.setRaw(0x41, 34);
        }
        assertThat(collect(collector)).containsEntry(fan1, 3400L);
    }

    @Test
    void readsSdrElistToo() throws CollectorException {
        IpmiReadings r = new IpmiCollector(ipmitool, IpmiCollector.Source.SDR_ELIST, Clock.systemUTC()).read();

        assertThat(r.sensors()).extracting(SensorReading::name).containsExactlyElementsOf(SIMULATED_SENSORS);
        assertThat(r.find("FAN6").orElseThrow().status()).isEqualTo(SensorStatus.NS);
        assertThat(r.find("PS1 Status").orElseThrow().state()).hasValue("Presence detected");
        assertThat(r.find("12V").orElseThrow().value()).hasValue(12.03);
    }

    @Test
    void oemFanCommandAnsweredWith0xc1GivesAClearError() {
        SupermicroFans fans = new SupermicroFans(ipmitool, new BoardInfo("Supermicro", "X11SPi-TF"), FanControlSettings.defaults());

        FanControlException e = catchThrowableOfType(FanControlException.class, () -> fans.setZoneDuty(FanZone.CPU, 50));

        assertThat(e.reason()).isEqualTo(FanControlException.Reason.UNSUPPORTED_BOARD);
        assertThat(e).hasMessage("ipmitool raw 0x30 0x45 0x00 to BMC 127.0.0.1 over lanplus failed (rsp=0xc1 Invalid command):"
                + " the BMC of Supermicro X11SPi-TF does not implement Supermicro's fan commands; fan control is unavailable"
                + " (update the BMC firmware, or set the fan mode in the BMC web interface)");
    }

    @Test
    void wrongPasswordFailsWithoutShowingIt() {
        Ipmitool wrong = lan("not-the-Password-42");

        ToolException.Failed e = catchThrowableOfType(ToolException.Failed.class, () -> wrong.run("mc", "info"));

        assertThat(e).hasMessageContaining("-P <masked>").hasMessageContaining("Unable to establish IPMI v2 / RMCP+ session")
                .hasMessageNotContaining("not-the-Password-42");
        assertThat(e.result().exitCode()).isEqualTo(1);
    }
}
