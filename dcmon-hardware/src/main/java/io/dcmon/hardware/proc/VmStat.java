package io.dcmon.hardware.proc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code /proc/vmstat}: kernel VM counters by name. Immutable and thread-safe.
 *
 * @param counters every {@code name value} line, in file order
 */
public record VmStat(Map<String, Long> counters) {

    public VmStat {
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /** The counter {@code name}, e.g. {@code "oom_kill"}. */
    public OptionalLong get(String name) {
        Long v = counters.get(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /**
     * Parses the text of {@code /proc/vmstat}; lines that are not {@code name number} are skipped.
     */
    public static VmStat parse(String text) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                try {
                    m.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1).trim()));
                } catch (NumberFormatException e) {
                    // not a counter line; skipped
                }
            }
        }
        return new VmStat(m);
    }
}
