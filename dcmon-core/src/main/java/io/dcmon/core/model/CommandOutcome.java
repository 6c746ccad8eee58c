package io.dcmon.core.model;

/**
 * What an agent reported after running a command.
 *
 * @param exitStatus 0 on success
 * @param output     captured output (untrusted text), possibly truncated
 * @param error      error text, empty when none
 */
public record CommandOutcome(int exitStatus, String output, String error) {
    public CommandOutcome {
        output = output == null ? "" : output;
        error = error == null ? "" : error;
    }

    /** True when the command succeeded. */
    public boolean succeeded() {
        return exitStatus == 0;
    }
}
