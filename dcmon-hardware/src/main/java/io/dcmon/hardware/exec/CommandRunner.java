package io.dcmon.hardware.exec;

import java.time.Duration;
import java.util.List;

/**
 * Runs external tools (nvidia-smi, ipmitool, nvme, …). The one place that starts processes, so every
 * tool gets the same treatment: {@code LC_ALL=C}, a timeout that kills the whole process tree, capped
 * captured output, and typed failures. Tests substitute a runner that replays captured outputs.
 */
public interface CommandRunner {

    /**
     * Runs {@code command} (argv, not a shell line) and waits at most {@code timeout}.
     *
     * @return the result of a process that exited with status 0
     * @throws ToolException.NotFound    when the binary does not exist or is not executable
     * @throws ToolException.Failed      when it exited non-zero (stderr in the message)
     * @throws ToolException.TimedOut    when it was killed at the timeout
     */
    CommandResult run(List<String> command, Duration timeout) throws ToolException;
}
