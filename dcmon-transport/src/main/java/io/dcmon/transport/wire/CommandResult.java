package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Body of {@code POST /api/command-results} (and the result inside a {@link CommandView}):
 * {@code {"command_id":12,"exit_status":0,"output":"...","error":""}}. The server keeps at most
 * {@link #MAX_OUTPUT} characters of output and {@link #MAX_ERROR} of error, marking a cut with "…".
 *
 * @param commandId  the command this reports on
 * @param exitStatus 0 on success
 * @param output     captured output (untrusted text)
 * @param error      error text, empty when none
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CommandResult(long commandId, int exitStatus, String output, String error) {

    /** Longest output kept. */
    public static final int MAX_OUTPUT = 64 * 1024;
    /** Longest error kept. */
    public static final int MAX_ERROR = 8 * 1024;

    public CommandResult {
        output = output == null ? "" : output;
        error = error == null ? "" : error;
    }
}
