package io.dcmon.hardware.proc;

import java.util.regex.Pattern;

/**
 * {@code /proc/loadavg}. Immutable and thread-safe.
 *
 * @param load1           1-minute load average
 * @param load5           5-minute load average
 * @param load15          15-minute load average
 * @param runnable        currently runnable scheduling entities
 * @param schedulingTotal existing scheduling entities (threads)
 */
public record LoadAverage(double load1, double load5, double load15, long runnable, long schedulingTotal) {

    /** Compiled once: {@code String.split("\\s+")} compiles its pattern on every call, once per line here. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /**
     * Parses {@code "0.39 0.10 0.03 1/205 517"}.
     *
     * @throws ProcParseException when the line does not have that shape
     */
    public static LoadAverage parse(String text) {
        String line = text.strip();
        String[] f = WHITESPACE.split(line);
        try {
            int slash = f[3].indexOf('/');
            return new LoadAverage(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Long.parseLong(f[3].substring(0, slash)), Long.parseLong(f[3].substring(slash + 1)));
        } catch (RuntimeException e) {
            throw new ProcParseException("/proc/loadavg", 1, line, "expected 'l1 l5 l15 running/total lastpid'");
        }
    }
}
