package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A list of commands: the answer to a long-poll (empty when it timed out) and to the admin listing.
 *
 * @param commands oldest first for a poll, newest first for a listing
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CommandsResponse(List<CommandView> commands) {
    public CommandsResponse {
        commands = commands == null ? List.of() : List.copyOf(commands);
    }
}
