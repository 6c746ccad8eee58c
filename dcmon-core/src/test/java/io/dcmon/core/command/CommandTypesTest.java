package io.dcmon.core.command;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parameters arrive as a JSON library decodes them: maps, lists, strings, Integer/Long/BigInteger, Double. */
class CommandTypesTest {

    @Test
    void validParametersBecomeCanonicalStrings() {
        assertThat(CommandTypes.validate("fan_control", Map.of("action", "set_mode", "mode", "heavy_io")))
                .isEqualTo(Map.of("action", "set_mode", "mode", "heavy_io"));
        assertThat(CommandTypes.validate("reboot", null)).isEqualTo(Map.of("delay_seconds", "0"));
        assertThat(CommandTypes.validate("reboot", Map.of("delay_seconds", 30L))).isEqualTo(Map.of("delay_seconds", "30"));
        Map<String, String> cfg = CommandTypes.validate("config_update", Map.of("interval", 15, "collectors", List.of("os", "nvidia")));
        assertThat(cfg).containsEntry("interval", "15").containsEntry("collectors", "os,nvidia");
        assertThat(CommandTypes.collectors(cfg)).containsExactly("os", "nvidia");
    }

    @Test
    void boundariesAreInclusiveAndOneBeyondIsRefused() {
        assertThat(CommandTypes.validate("fan_control", Map.of("action", "set_duty", "zone", 1, "percent", 100))).containsEntry("percent", "100");
        assertThat(CommandTypes.validate("fan_control", Map.of("action", "set_duty", "zone", 0, "percent", 0))).containsEntry("percent", "0");
        assertThatThrownBy(() -> CommandTypes.validate("fan_control", Map.of("action", "set_duty", "zone", 0, "percent", -1)))
                .hasMessageContaining("params.percent was -1; it must be an integer from 0 to 100");
        assertThatThrownBy(() -> CommandTypes.validate("fan_control", Map.of("action", "set_duty", "zone", 0, "percent", 50.5)))
                .hasMessageContaining("params.percent was 50.5");
        assertThatThrownBy(() -> CommandTypes.validate("fan_control", Map.of("action", "set_duty", "percent", 50)))
                .hasMessageContaining("params.zone is required");
        assertThatThrownBy(() -> CommandTypes.validate("config_update", Map.of("interval", 4)))
                .hasMessageContaining("from 5 to 3600");
        assertThatThrownBy(() -> CommandTypes.validate("config_update", Map.of("collectors", List.of("os", "os"))))
                .hasMessageContaining("twice");
    }

    @Test
    void wrongShapesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> CommandTypes.validate("reboot", List.of(1))).hasMessage("params must be a JSON object");
        assertThatThrownBy(() -> CommandTypes.validate("shutdown", null)).hasMessageContaining("type 'shutdown' is not a command type");
        assertThatThrownBy(() -> CommandTypes.validate("fan_control", Map.of("action", 7)))
                .hasMessageContaining("params.action must be a string, was 7");
        assertThatThrownBy(() -> CommandTypes.validate("fan_control", Map.of("action", "set_mode", "mode", "turbo")))
                .hasMessageContaining("params.mode was 'turbo'");
        assertThatThrownBy(() -> CommandTypes.validate("fan_control", Map.of("action", "set_duty", "zone", "0", "percent", 50)))
                .hasMessageContaining("params.zone was \"0\"");
        assertThatThrownBy(() -> CommandTypes.validate("reboot", Map.of("delay_seconds", new BigInteger("99999999999999999999999"))))
                .hasMessageContaining("params.delay_seconds was 99999999999999999999999");
        assertThatThrownBy(() -> CommandTypes.validate("reboot", Map.of("delay_seconds", 10, "force", true)))
                .hasMessageContaining("params.force is not a parameter of reboot");
        assertThatThrownBy(() -> CommandTypes.validate("config_update", Map.of("collectors", "os")))
                .hasMessageContaining("params.collectors must be a list");
        assertThatThrownBy(() -> CommandTypes.validate("config_update", Map.of("collectors", List.of("OS"))))
                .hasMessageContaining("params.collectors[0] was '\"OS\"'");
        assertThatThrownBy(() -> CommandTypes.validate("config_update", Map.of("collectors", List.of("os", "gpu"))))
                .hasMessageContaining("params.collectors[1] was 'gpu'; the agent's collectors are [apt, bmc_fan, ipmi, nvidia, nvme, os, psu]");
        assertThatThrownBy(() -> CommandTypes.validate("config_update", Map.of("collectors", List.of())))
                .hasMessageContaining("params.collectors is empty");
    }
}
