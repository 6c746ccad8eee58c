package io.dcmon.hardware.fan;

import io.dcmon.hardware.dmi.BoardInfo;
import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.ToolException;
import io.dcmon.hardware.ipmi.IpmiReadings;
import io.dcmon.hardware.ipmi.Ipmitool;
import io.dcmon.hardware.ipmi.SmcipmitoolSensorParser;
import io.dcmon.hardware.psu.PmInfo;
import io.dcmon.hardware.psu.PmInfoParser;
import io.dcmon.hardware.psu.PsuStatus;
import io.dcmon.hardware.testkit.BmcFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every file of fixture kind supermicro through the code that reads that kind of output in production:
 * pminfo tables through {@link PmInfoParser}, the SMCIPMITool sensor table through
 * {@link SmcipmitoolSensorParser}, and the captured error replies of {@code raw 0x30 0x45 0x00} through
 * {@link SupermicroFans}. Detailed pins live in PmInfoParserTest, SmcipmitoolSensorParserTest and SupermicroFansTest.
 */
class SupermicroFixtureFilesTest {

    /** Fan control whose ipmitool fails with {@code stderr}, exactly as the captured reply. */
    private static SupermicroFans failingWith(String stderr, BoardInfo board) {
        Ipmitool ipmitool = Ipmitool.builder().runner((cmd, timeout) -> {
            throw new ToolException.Failed("ipmitool exited with status 1", new CommandResult(1, "", stderr, Duration.ofMillis(20)));
        }).build();
        return new SupermicroFans(ipmitool, board, FanControlSettings.defaults());
    }

    static Stream<Arguments> supermicroFixtures() {
        return Stream.of(
                arguments("raw-0x30-0x45-0x00-error-invalid-command-rsp-0xc1-dell-board.txt", (Consumer<String>) text -> {
                    FanControlException e = catchThrowableOfType(FanControlException.class,
                            () -> failingWith(text, new BoardInfo("Dell Inc.", "0X89R8")).mode());
                    assertThat(e.reason()).isEqualTo(FanControlException.Reason.UNSUPPORTED_BOARD);
                    assertThat(e).hasMessageContaining("(rsp=0xc1 Invalid command)")
                            .hasMessageContaining("this board (Dell Inc. 0X89R8) is not a Supermicro X9–X13/H11–H13");
                }),
                arguments("raw-0x30-0x45-0x00-error-no-ipmi-device-x9dai.txt", (Consumer<String>) text -> {
                    FanControlException e = catchThrowableOfType(FanControlException.class,
                            () -> failingWith(text, new BoardInfo("Supermicro", "X9DAi")).mode());
                    assertThat(e.reason()).isEqualTo(FanControlException.Reason.NO_DEVICE);
                    assertThat(e).hasMessageContaining("on board Supermicro X9DAi (Could not open device at /dev/ipmi0")
                            .hasMessageContaining("load ipmi_devintf and ipmi_si");
                }),
                arguments("smcipmitool-ipmi-sensor-x10-dual-socket.txt", (Consumer<String>) text -> {
                    IpmiReadings r = SmcipmitoolSensorParser.parse(text);
                    assertThat(r.sensors()).hasSize(44);
                    assertThat(r.find("P2-DIMME1 Temp").orElseThrow().value()).hasValue(48.0);
                    assertThat(r.find("FANB").orElseThrow().value()).isEmpty();
                }),
                arguments("smcipmitool-pminfo-collection-pws-1k28p-sq-pws-1k23a-1r.txt", (Consumer<String>) text -> {
                    PmInfo info = PmInfoParser.parse(text);
                    assertThat(info.modules()).hasSize(6);
                    assertThat(info.modules().get(3).inputPowerWatts()).hasValue(425.0);
                    assertThat(info.modules().get(3).status()).hasValue(PsuStatus.OK);
                    assertThat(info.modules().get(1).status()).hasValue(PsuStatus.OFF);
                }),
                arguments("smcipmitool-pminfo-pws-406p-1r-single-module.txt", (Consumer<String>) text -> {
                    PmInfo info = PmInfoParser.parse(text);
                    assertThat(info.modules()).singleElement().satisfies(m -> {
                        assertThat(m.outputCurrentAmperes()).hasValue(8.37);
                        assertThat(m.fanSpeedsRpm()).containsEntry(2, 0);
                    });
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supermicroFixtures")
    void readsEveryCapturedSupermicroOutput(String file, Consumer<String> check) {
        check.accept(BmcFixtures.read("supermicro", file));
    }

    @Test
    void everySupermicroFixtureHasACase() {
        assertThat(BmcFixtures.files("supermicro"))
                .containsExactlyInAnyOrderElementsOf(supermicroFixtures().map(a -> (String) a.get()[0]).toList());
    }
}
