package io.dcmon.hardware.proc;

import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * One interface of {@code /proc/net/dev}. Immutable and thread-safe.
 *
 * @param device    interface name (may contain ':' for aliases, e.g. {@code ibr10:30})
 * @param rxBytes   bytes received
 * @param rxPackets packets received
 * @param rxErrors  receive errors
 * @param rxDropped receive drops
 * @param txBytes   bytes sent
 * @param txPackets packets sent
 * @param txErrors  transmit errors
 * @param txDropped transmit drops
 */
public record NetDevStat(String device, long rxBytes, long rxPackets, long rxErrors, long rxDropped,
                         long txBytes, long txPackets, long txErrors, long txDropped) {

    /** Compiled once: {@code String.split("\\s+")} compiles its pattern on every call, once per line here. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /**
     * Parses the text of {@code /proc/net/dev}: two header lines, then {@code name: 16 counters}.
     *
     * @throws ProcParseException when an interface line lacks its 16 counters
     */
    public static List<NetDevStat> parse(String text) {
        List<NetDevStat> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank() || line.contains("|")) {
                continue; // the two header lines
            }
            // Counters never contain ':', names may (aliases): the last colon ends the name.
            int colon = line.lastIndexOf(':');
            if (colon <= 0) {
                throw new ProcParseException("/proc/net/dev", lineNo, line, "expected 'name: counters'");
            }
            String name = line.substring(0, colon).trim();
            String[] f = WHITESPACE.split(line.substring(colon + 1).trim());
            if (f.length < 16) {
                throw new ProcParseException("/proc/net/dev", lineNo, line, "has " + f.length + " counters; expected 16");
            }
            try {
                out.add(new NetDevStat(name, Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11])));
            } catch (NumberFormatException e) {
                throw new ProcParseException("/proc/net/dev", lineNo, line, "a counter is not a number");
            }
        }
        return out;
    }
}
