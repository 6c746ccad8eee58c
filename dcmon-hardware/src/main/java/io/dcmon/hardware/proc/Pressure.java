package io.dcmon.hardware.proc;

import java.util.regex.Pattern;
import java.util.Optional;

/**
 * One file of {@code /proc/pressure/} (PSI, kernel 4.20+). Immutable and thread-safe.
 *
 * @param some share of time at least one task stalled
 * @param full share of time all non-idle tasks stalled; absent for {@code cpu} on kernels that omit it
 */
public record Pressure(Line some, Optional<Line> full) {

    /** Compiled once: {@code String.split("\\s+")} compiles its pattern on every call, once per line here. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /**
     * One PSI line.
     *
     * @param avg10       percent stalled over 10 s
     * @param avg60       percent stalled over 60 s
     * @param avg300      percent stalled over 300 s
     * @param totalMicros total stall time, microseconds
     */
    public record Line(double avg10, double avg60, double avg300, long totalMicros) {
        /** Total stall time in seconds. */
        public double totalSeconds() {
            return totalMicros / 1_000_000.0;
        }
    }

    /**
     * Parses {@code "some avg10=0.06 avg60=0.31 avg300=0.12 total=768836"} and the optional {@code full} line.
     *
     * @throws ProcParseException when the {@code some} line is missing or malformed
     */
    public static Pressure parse(String text) {
        Line some = null;
        Line full = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = WHITESPACE.split(line.trim());
            if (f.length < 5) {
                throw new ProcParseException("/proc/pressure", lineNo, line, "expected 'some|full avg10= avg60= avg300= total='");
            }
            try {
                Line l = new Line(value(f[1], "avg10"), value(f[2], "avg60"), value(f[3], "avg300"),
                        (long) value(f[4], "total"));
                if (f[0].equals("some")) {
                    some = l;
                } else if (f[0].equals("full")) {
                    full = l;
                }
            } catch (IllegalArgumentException e) {
                throw new ProcParseException("/proc/pressure", lineNo, line, e.getMessage());
            }
        }
        if (some == null) {
            throw new ProcParseException("/proc/pressure", 1, text.strip(), "no 'some' line");
        }
        return new Pressure(some, Optional.ofNullable(full));
    }

    private static double value(String field, String key) {
        if (!field.startsWith(key + "=")) {
            throw new IllegalArgumentException("expected '" + key + "=' but found '" + field + "'");
        }
        return Double.parseDouble(field.substring(key.length() + 1));
    }
}
