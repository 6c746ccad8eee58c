package io.dcmon.hardware.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one configured {@link Tool} with at most one call in flight. A slow BMC or a hung driver then costs
 * one blocked call, not a growing queue of them: a caller arriving while the previous call still runs gets
 * {@link ToolException.Busy} at once. Share one instance between every user of the same binary (the ipmi
 * collector and fan control both go through the same ipmitool runner). Thread-safe.
 */
public final class ToolRunner {

    private final Tool tool;
    private final CommandRunner runner;
    /** Start time (nanoTime) of the call in flight, or 0 when idle. */
    private final AtomicLong inFlightSince = new AtomicLong();

    /** A guarded runner for {@code tool} that starts processes through {@code runner}. */
    public ToolRunner(Tool tool, CommandRunner runner) {
        this.tool = Objects.requireNonNull(tool, "tool");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /** A guarded runner for {@code tool} that starts real processes. */
    public static ToolRunner local(Tool tool) {
        return new ToolRunner(tool, ProcessCommandRunner.local());
    }

    /** The tool this runner calls. */
    public Tool tool() {
        return tool;
    }

    /** Runs the tool with {@code args} after its base arguments; see {@link #run(List)}. */
    public CommandResult run(String... args) throws ToolException {
        return run(List.of(args));
    }

    /**
     * Runs the tool with {@code args} after its base arguments, bounded by the tool's timeout.
     *
     * @throws ToolException.Busy     when the previous call of this tool has not finished yet
     * @throws ToolException.NotFound when the binary is missing
     * @throws ToolException.Failed   when it exits non-zero
     * @throws ToolException.TimedOut when it was killed at the timeout
     */
    public CommandResult run(List<String> args) throws ToolException {
        long now = System.nanoTime();
        long stamp = now == 0 ? 1 : now;
        if (!inFlightSince.compareAndSet(0, stamp)) {
            long since = inFlightSince.get();
            String age = since == 0 ? "" : " (running for " + ProcessCommandRunner.format(
                    Duration.ofMillis(Math.max(0, (now - since) / 1_000_000))) + ")";
            throw new ToolException.Busy(tool.name() + ": previous call still running" + age
                    + "; this call was skipped so calls do not pile up. If this repeats, the tool hangs: check the device or raise its timeout ("
                    + ProcessCommandRunner.format(tool.timeout()) + ")");
        }
        try {
            return runner.run(tool.command(args), tool.timeout());
        } finally {
            inFlightSince.set(0);
        }
    }

    /** True while a call is running. */
    public boolean busy() {
        return inFlightSince.get() != 0;
    }

    /**
     * Where the binary is, without running it: empty when it is neither on {@code PATH} nor at the given
     * path. Used to decide availability once at start.
     */
    public Optional<Path> locate() {
        return ProcessCommandRunner.locate(tool.binary());
    }
}
