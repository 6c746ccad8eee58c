package io.dcmon.transport.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcmon.transport.wire.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandTypesTest {

    static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    @Test
    void validParametersBecomeCanonicalStrings() throws Exception {
        assertThat(CommandTypes.validate("fan_control", json("{\"action\":\"set_mode\",\"mode\":\"heavy_io\"}")))
                .isEqualTo(Map.of("action", "set_mode", "mode", "heavy_io"));
        assertThat(CommandTypes.validate("reboot", null)).isEqualTo(Map.of("delay_seconds", "0"));
        Map<String, String> cfg = CommandTypes.validate("config_update", json("{\"interval\":15,\"collectors\":[\"os\",\"gpu\"]}"));
        assertThat(cfg).containsEntry("interval", "15").containsEntry("collectors", "os,gpu");
        assertThat(CommandTypes.collectors(cfg)).containsExactly("os", "gpu");
    }

    @Test
    void boundariesAreInclusiveAndOneBeyondIsRefused() throws Exception {
        assertThat(CommandTypes.validate("fan_control", json("{\"action\":\"set_duty\",\"zone\":1,\"percent\":100}"))).containsEntry("percent", "100");
        assertThat(CommandTypes.validate("fan_control", json("{\"action\":\"set_duty\",\"zone\":0,\"percent\":0}"))).containsEntry("percent", "0");
        assertThatThrownBy(() -> CommandTypes.validate("fan_control", json("{\"action\":\"set_duty\",\"zone\":0,\"percent\":-1}")))
                .hasMessageContaining("params.percent was -1; it must be an integer from 0 to 100");
        assertThatThrownBy(() -> CommandTypes.validate("fan_control", json("{\"action\":\"set_duty\",\"zone\":0,\"percent\":50.5}")))
                .hasMessageContaining("params.percent was 50.5");
        assertThatThrownBy(() -> CommandTypes.validate("fan_control", json("{\"action\":\"set_duty\",\"percent\":50}")))
                .hasMessageContaining("params.zone is required");
        assertThatThrownBy(() -> CommandTypes.validate("config_update", json("{\"interval\":4}")))
                .hasMessageContaining("from 5 to 3600");
        assertThatThrownBy(() -> CommandTypes.validate("config_update", json("{\"collectors\":[\"os\",\"os\"]}")))
                .hasMessageContaining("twice");
    }
}
