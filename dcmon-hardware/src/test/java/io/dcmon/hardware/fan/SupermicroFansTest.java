package io.dcmon.hardware.fan;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.hardware.CollectorException;
import io.dcmon.hardware.dmi.BoardInfo;
import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.ToolException;
import io.dcmon.hardware.ipmi.Ipmitool;
import io.dcmon.hardware.testkit.BmcFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SupermicroFansTest {

    private static final BoardInfo X11 = new BoardInfo("Supermicro", "X11SPi-TF");

    private final List<Duration> slept = new ArrayList<>();

    private SupermicroFans fans(FakeSupermicroBmc bmc, FanControlSettings settings) {
        return new SupermicroFans(Ipmitool.builder().runner(bmc).build(), Optional.of(X11), settings, d -> {
            slept.add(d);
            bmc.advance(d);
        });
    }

    @Test
    void setDutySwitchesToFullWaitsWritesAndReadsBack() throws FanControlException {
        FakeSupermicroBmc bmc = new FakeSupermicroBmc(FanMode.STANDARD);

        DutyResult r = fans(bmc, FanControlSettings.defaults()).setZoneDuty(FanZone.CPU, 60);

        assertThat(bmc.commands).containsExactly("0x30 0x45 0x00", "0x30 0x45 0x01 0x01", "0x30 0x70 0x66 0x01 0x00 0x3c",
                "0x30 0x70 0x66 0x00 0x00");
        assertThat(slept).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(1));
        assertThat(r.applied()).isTrue();
        assertThat(r.actualPercent()).isEqualTo(60);
        assertThat(r.modeSwitched()).isTrue();
        assertThat(r.previousModeCode()).isEqualTo(FanMode.STANDARD.code());
        assertThat(r.describe()).isEqualTo("zone cpu (0): requested 60%, BMC holds 60% (mode switched from standard to full)");
    }

    @Test
    void withoutWaitingTheBmcResetsTheDutyAndTheResultSaysSo() throws FanControlException {
        // Same sequence with no settle time: the BMC applies "full" after the write and puts 100 % back.
        FakeSupermicroBmc bmc = new FakeSupermicroBmc(FanMode.OPTIMAL);
        FanControlSettings noWait = new FanControlSettings(25, Duration.ZERO, FakeSupermicroBmc.APPLY_DELAY);

        DutyResult r = fans(bmc, noWait).setZoneDuty(FanZone.PERIPHERAL, 50);

        assertThat(r.applied()).isFalse();
        assertThat(r.actualPercent()).isEqualTo(100);
    }

    @Test
    void alreadyFullWritesTheDutyWithoutSwitching() throws FanControlException {
        FakeSupermicroBmc bmc = new FakeSupermicroBmc(FanMode.FULL);

        DutyResult r = fans(bmc, FanControlSettings.defaults()).setZoneDuty(FanZone.PERIPHERAL, 35);

        assertThat(bmc.commands).containsExactly("0x30 0x45 0x00", "0x30 0x70 0x66 0x01 0x01 0x23", "0x30 0x70 0x66 0x00 0x01");
        assertThat(slept).containsExactly(Duration.ofSeconds(1));
        assertThat(r.modeSwitched()).isFalse();
        assertThat(r.actualPercent()).isEqualTo(35);
    }

    @Test
    void bmcIgnoresDutyUnlessModeIsFull() throws Exception {
        FakeSupermicroBmc bmc = new FakeSupermicroBmc(FanMode.STANDARD);
        Ipmitool ipmitool = Ipmitool.builder().runner(bmc).build();
        ipmitool.run("raw", "0x30", "0x70", "0x66", "0x01", "0x00", "0x50");
        assertThat(fans(bmc, FanControlSettings.defaults()).zoneDuty(FanZone.CPU)).isEqualTo(FakeSupermicroBmc.CURVE_DUTY);
    }

    @Test
    void setModeWaitsAndReportsTheModeTheBmcHolds() throws FanControlException {
        FakeSupermicroBmc bmc = new FakeSupermicroBmc(FanMode.FULL);
        SupermicroFans fans = fans(bmc, FanControlSettings.defaults());

        assertThat(fans.setMode(FanMode.HEAVY_IO)).isEqualTo(FanMode.HEAVY_IO);

        assertThat(bmc.commands).containsExactly("0x30 0x45 0x01 0x04", "0x30 0x45 0x00");
        assertThat(slept).containsExactly(Duration.ofSeconds(5));
        assertThat(fans.status().zoneDutyPercent()).containsEntry(FanZone.CPU, FakeSupermicroBmc.CURVE_DUTY);
    }

    @Test
    void refusesDutyBelowTheMinimumWithoutTouchingTheBmc() {
        FakeSupermicroBmc bmc = new FakeSupermicroBmc(FanMode.STANDARD);

        FanControlException e = catchThrowableOfType(FanControlException.class,
                () -> fans(bmc, FanControlSettings.defaults()).setZoneDuty(FanZone.CPU, 10));

        assertThat(e.reason()).isEqualTo(FanControlException.Reason.REFUSED);
        assertThat(e).hasMessageStartingWith("duty 10% for zone cpu is below the minimum of 25%");
        assertThat(bmc.commands).isEmpty();
    }

    @Test
    void minimumDutyIsConfigurable() throws FanControlException {
        FakeSupermicroBmc bmc = new FakeSupermicroBmc(FanMode.FULL);
        assertThat(fans(bmc, FanControlSettings.defaults().withMinimumDutyPercent(10)).setZoneDuty(FanZone.CPU, 10).actualPercent())
                .isEqualTo(10);
        assertThatThrownBy(() -> FanControlSettings.defaults().withMinimumDutyPercent(101))
                .hasMessage("minimumDutyPercent was 101 but it must be from 0 to 100");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 101, 255})
    void rejectsPercentOutsideZeroToHundred(int percent) {
        FakeSupermicroBmc bmc = new FakeSupermicroBmc(FanMode.FULL);
        assertThatThrownBy(() -> fans(bmc, FanControlSettings.defaults()).setZoneDuty(FanZone.CPU, percent))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duty for zone cpu was " + percent + "% but it must be from 0 to 100");
        assertThat(bmc.commands).isEmpty();
    }

    @Test
    void parsesCliWordsCaseInsensitively() {
        assertThat(FanMode.parse("heavyio")).isEqualTo(FanMode.HEAVY_IO);
        assertThat(FanMode.parse("HeavyIO")).isEqualTo(FanMode.HEAVY_IO);
        assertThat(FanMode.parse("heavy_io")).isEqualTo(FanMode.HEAVY_IO);
        assertThat(FanMode.parse("FULL")).isEqualTo(FanMode.FULL);
        assertThat(FanMode.parse(" Standard ")).isEqualTo(FanMode.STANDARD);
        assertThat(FanMode.parse("optimal")).isEqualTo(FanMode.OPTIMAL);
        assertThatThrownBy(() -> FanMode.parse("turbo"))
                .hasMessage("fan mode was 'turbo' but it must be one of standard, full, optimal, heavyio");
        assertThat(FanZone.parse("0")).isEqualTo(FanZone.CPU);
        assertThat(FanZone.parse("Peripheral")).isEqualTo(FanZone.PERIPHERAL);
        assertThatThrownBy(() -> FanZone.parse("2")).hasMessageContaining("fan zone was '2' but it must be 0 (cpu");
        assertThat(FanMode.fromCode(3)).isEmpty();
    }

    @Test
    void statusReadsModeAndBothZones() throws FanControlException {
        FakeSupermicroBmc bmc = new FakeSupermicroBmc(FanMode.FULL);
        FanStatus s = fans(bmc, FanControlSettings.defaults()).status();
        assertThat(s.mode()).hasValue(FanMode.FULL);
        assertThat(s.zoneDutyPercent()).containsExactly(Map.entry(FanZone.CPU, 100), Map.entry(FanZone.PERIPHERAL, 100));
        assertThat(s.describe()).isEqualTo(String.format("mode: full (1)%nzone cpu (0): 100%%%nzone peripheral (1): 100%%"));
    }

    @Test
    void bmcFanCollectorEmitsModeAndDuties() throws CollectorException {
        FakeSupermicroBmc bmc = new FakeSupermicroBmc(FanMode.OPTIMAL);
        BmcFanCollector c = new BmcFanCollector(fans(bmc, FanControlSettings.defaults()),
                Clock.fixed(Instant.ofEpochMilli(5000), ZoneOffset.UTC));

        Map<SeriesKey, Number> m = c.collect().stream().collect(Collectors.toMap(Sample::series, Sample::value));

        assertThat(c.name()).isEqualTo("bmc_fan");
        assertThat(m).containsExactlyInAnyOrderEntriesOf(Map.of(
                SeriesKey.of("bmc_fan_mode"), 2L,
                SeriesKey.of("bmc_fan_zone_duty_percent", "zone", "cpu"), 40L,
                SeriesKey.of("bmc_fan_zone_duty_percent", "zone", "peripheral"), 40L));
    }

    private static SupermicroFans replyingWith(String stderr, Optional<BoardInfo> board) {
        Ipmitool failing = Ipmitool.builder().runner((cmd, timeout) -> {
            throw new ToolException.Failed(String.join(" ", cmd) + " exited with status 1",
                    new CommandResult(1, "", stderr, Duration.ofMillis(20)));
        }).build();
        return new SupermicroFans(failing, board, FanControlSettings.defaults(), d -> { });
    }

    @Test
    void rejectsDellBoardWithRsp0xc1() {
        String reply = BmcFixtures.read("supermicro", "raw-0x30-0x45-0x00-error-invalid-command-rsp-0xc1-dell-board.txt");
        SupermicroFans fans = replyingWith(reply, Optional.of(new BoardInfo("Dell Inc.", "0X89R8")));

        FanControlException e = catchThrowableOfType(FanControlException.class, fans::mode);

        assertThat(e.reason()).isEqualTo(FanControlException.Reason.UNSUPPORTED_BOARD);
        assertThat(e).hasMessage("ipmitool raw 0x30 0x45 0x00 failed (rsp=0xc1 Invalid command): this board (Dell Inc. 0X89R8)"
                + " is not a Supermicro X9–X13/H11–H13; fan control is unavailable");
    }

    @Test
    void rejectsUnknownBoardWithRsp0xc1() {
        String reply = BmcFixtures.read("supermicro", "raw-0x30-0x45-0x00-error-invalid-command-rsp-0xc1-dell-board.txt");
        assertThatThrownBy(() -> replyingWith(reply, Optional.empty()).setZoneDuty(FanZone.CPU, 50))
                .isInstanceOf(FanControlException.class)
                .hasMessage("ipmitool raw 0x30 0x45 0x00 failed (rsp=0xc1 Invalid command): this board is not a Supermicro"
                        + " X9–X13/H11–H13 (or its BMC lacks Supermicro's fan commands); fan control is unavailable");
    }

    @Test
    void reportsMissingIpmiDeviceOnX9daiBoard() {
        String reply = BmcFixtures.read("supermicro", "raw-0x30-0x45-0x00-error-no-ipmi-device-x9dai.txt");
        SupermicroFans fans = replyingWith(reply, Optional.of(new BoardInfo("Supermicro", "X9DAi")));

        FanControlException e = catchThrowableOfType(FanControlException.class, fans::status);

        assertThat(e.reason()).isEqualTo(FanControlException.Reason.NO_DEVICE);
        assertThat(e).hasMessage("ipmitool raw 0x30 0x45 0x00 failed on board Supermicro X9DAi (Could not open device at"
                + " /dev/ipmi0 or /dev/ipmi/0 or /dev/ipmidev/0: No such file or directory): could not open /dev/ipmi0: load"
                + " ipmi_devintf and ipmi_si (modprobe ipmi_devintf ipmi_si), or run the agent with access to the device;"
                + " a board without a BMC has no fan control");
    }

    @Test
    void reportsInsufficientPrivilege() {
        SupermicroFans fans = replyingWith("Unable to send RAW command (channel=0x0 netfn=0x30 lun=0x0 cmd=0x45 rsp=0xd4):"
                + " Insufficient privilege level\n", Optional.of(X11));
        FanControlException e = catchThrowableOfType(FanControlException.class, fans::mode);
        assertThat(e.reason()).isEqualTo(FanControlException.Reason.PERMISSION);
        assertThat(e).hasMessageContaining("(rsp=0xd4 Insufficient privilege level) on board Supermicro X11SPi-TF")
                .hasMessageContaining("ADMINISTRATOR");
    }

    @Test
    void missingIpmitoolIsAToolError() {
        Ipmitool missing = Ipmitool.builder().binary("/nonexistent/ipmitool").build();
        FanControlException e = catchThrowableOfType(FanControlException.class, () -> new SupermicroFans(missing).mode());
        assertThat(e.reason()).isEqualTo(FanControlException.Reason.TOOL);
        assertThat(e).hasMessageStartingWith("ipmitool raw 0x30 0x45 0x00 could not run: ipmitool is not installed");
    }

    @Test
    void everySupermicroErrorFixtureIsCovered() {
        assertThat(BmcFixtures.files("supermicro")).filteredOn(f -> f.startsWith("raw-")).containsExactly(
                "raw-0x30-0x45-0x00-error-invalid-command-rsp-0xc1-dell-board.txt",
                "raw-0x30-0x45-0x00-error-no-ipmi-device-x9dai.txt");
    }

    @Test
    void fanControlOnlyForSupportedLocalBoards(@TempDir Path dmi) throws IOException {
        Files.writeString(dmi.resolve("board_vendor"), "Dell Inc.\n");
        Files.writeString(dmi.resolve("board_name"), "0X89R8\n");
        assertThat(SupermicroFans.forLocalBoard(Ipmitool.local(), FanControlSettings.defaults(), dmi)).isEmpty();

        Files.writeString(dmi.resolve("board_vendor"), "Supermicro\n");
        Files.writeString(dmi.resolve("board_name"), "X11SPi-TF\n");
        assertThat(SupermicroFans.forLocalBoard(Ipmitool.local(), FanControlSettings.defaults(), dmi))
                .hasValueSatisfying(f -> assertThat(f.board()).hasValue(X11));
    }
}
