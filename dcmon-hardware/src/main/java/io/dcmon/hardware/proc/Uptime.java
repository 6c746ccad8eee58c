package io.dcmon.hardware.proc;

/**
 * {@code /proc/uptime}. Immutable and thread-safe.
 *
 * @param uptimeSeconds  seconds since boot
 * @param idleSeconds    idle time summed over all CPUs
 */
public record Uptime(double uptimeSeconds, double idleSeconds) {

    /**
     * Parses {@code "56.04 854.48"}.
     *
     * @throws ProcParseException when the text is not two numbers
     */
    public static Uptime parse(String text) {
        String line = text.strip();
        String[] f = line.split("\\s+");
        try {
            return new Uptime(Double.parseDouble(f[0]), Double.parseDouble(f[1]));
        } catch (RuntimeException e) {
            throw new ProcParseException("/proc/uptime", 1, line, "expected 'uptime idle' in seconds");
        }
    }
}
