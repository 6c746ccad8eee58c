package io.dcmon.hardware.proc;

import java.util.regex.Pattern;

/**
 * {@code /proc/uptime}. Immutable and thread-safe.
 *
 * @param uptimeSeconds  seconds since boot
 * @param idleSeconds    idle time summed over all CPUs
 */
public record Uptime(double uptimeSeconds, double idleSeconds) {

    /** Compiled once: {@code String.split("\\s+")} compiles its pattern on every call, once per line here. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /**
     * Parses {@code "56.04 854.48"}.
     *
     * @throws ProcParseException when the text is not two numbers
     */
    public static Uptime parse(String text) {
        String line = text.strip();
        String[] f = WHITESPACE.split(line);
        try {
            return new Uptime(Double.parseDouble(f[0]), Double.parseDouble(f[1]));
        } catch (RuntimeException e) {
            throw new ProcParseException("/proc/uptime", 1, line, "expected 'uptime idle' in seconds");
        }
    }
}
