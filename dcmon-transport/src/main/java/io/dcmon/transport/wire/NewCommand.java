package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Body of {@code POST /api/commands}: {@code {"client_id":7,"type":"fan_control","params":{"action":"set_mode","mode":"full"},
 * "expires_in_seconds":600}}. Parameters are checked by {@code io.dcmon.core.command.CommandTypes}.
 *
 * @param clientId         target client
 * @param type             fan_control, reboot or config_update
 * @param params           typed parameters (JSON object)
 * @param expiresInSeconds how long it may wait for delivery; null for the server's default
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NewCommand(long clientId, String type, JsonNode params, Long expiresInSeconds) {
}
