package io.dcmon.hardware.exec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to call one external tool, configured once: the binary (a name looked up on {@code PATH} or an
 * absolute path), arguments that go before every call's own (e.g. {@code -I lanplus -H bmc -U admin -f pwfile}
 * for ipmitool over LAN) and the timeout of each call. Immutable and thread-safe.
 *
 * @param binary   the executable, e.g. {@code nvidia-smi} or {@code /opt/nvidia/bin/nvidia-smi}
 * @param baseArgs arguments placed before each call's arguments
 * @param timeout  how long one call may take before its process tree is killed
 */
public record Tool(String binary, List<String> baseArgs, Duration timeout) {

    /** Longest timeout accepted: a tool that needs more is hung, not slow. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    public Tool {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(baseArgs, "baseArgs");
        Objects.requireNonNull(timeout, "timeout");
        if (binary.isBlank()) {
            throw new IllegalArgumentException("binary was blank; give a command name on PATH or an absolute path");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout was '" + timeout + "' but it must be positive and at most " + MAX_TIMEOUT);
        }
        for (String a : baseArgs) {
            Objects.requireNonNull(a, "baseArgs element");
        }
        baseArgs = List.copyOf(baseArgs);
    }

    /** A tool with no base arguments. */
    public static Tool of(String binary, Duration timeout) {
        return new Tool(binary, List.of(), timeout);
    }

    /** The short name for messages and logs: the last path element of the binary. */
    public String name() {
        return ProcessCommandRunner.toolName(binary);
    }

    /** The full argv for one call: binary, base arguments, then {@code args}. */
    public List<String> command(List<String> args) {
        List<String> argv = new ArrayList<>(1 + baseArgs.size() + args.size());
        argv.add(binary);
        argv.addAll(baseArgs);
        argv.addAll(args);
        return argv;
    }

    /** A copy with another binary path. */
    public Tool withBinary(String newBinary) {
        return new Tool(newBinary, baseArgs, timeout);
    }

    /** A copy with another timeout. */
    public Tool withTimeout(Duration newTimeout) {
        return new Tool(binary, baseArgs, newTimeout);
    }
}
