package io.dcmon.hardware.proc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code /proc/meminfo} as bytes. Values the kernel prints in kB are multiplied by 1024 (the kernel's
 * "kB" is KiB); unit-less lines (HugePages_Total, …) are kept as counts. Immutable and thread-safe.
 *
 * @param values every line, key to value (bytes where the line had a kB unit), in file order
 */
public record MemInfo(Map<String, Long> values) {

    public MemInfo {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The value of {@code key} (e.g. {@code "MemTotal"}), in bytes for kB lines. */
    public OptionalLong get(String key) {
        Long v = values.get(key);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** MemTotal in bytes. */
    public long totalBytes() {
        return values.getOrDefault("MemTotal", 0L);
    }

    /**
     * MemAvailable in bytes; on kernels before 3.14, which lack that line, MemFree + Buffers + Cached (the
     * estimate {@code free} used before the kernel offered one).
     */
    public long availableBytes() {
        Long avail = values.get("MemAvailable");
        if (avail != null) {
            return avail;
        }
        return values.getOrDefault("MemFree", 0L) + values.getOrDefault("Buffers", 0L) + values.getOrDefault("Cached", 0L);
    }

    /** Total minus available: memory that cannot be reclaimed without swapping. */
    public long usedBytes() {
        return Math.max(0, totalBytes() - availableBytes());
    }

    /**
     * Parses the text of {@code /proc/meminfo}.
     *
     * @throws ProcParseException when a line has no {@code key:} or a non-numeric value, or MemTotal is missing
     */
    public static MemInfo parse(String text) {
        Map<String, Long> m = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProcParseException("/proc/meminfo", lineNo, line, "expected 'Key: value [kB]'");
            }
            String key = line.substring(0, colon).trim();
            String rest = line.substring(colon + 1).trim();
            int sp = rest.indexOf(' ');
            long v;
            try {
                v = Long.parseLong(sp < 0 ? rest : rest.substring(0, sp));
            } catch (NumberFormatException e) {
                throw new ProcParseException("/proc/meminfo", lineNo, line, "value is not a number");
            }
            if (sp > 0 && rest.substring(sp + 1).trim().equalsIgnoreCase("kB")) {
                v = Math.multiplyExact(v, 1024L);
            }
            m.put(key, v);
        }
        if (!m.containsKey("MemTotal")) {
            throw new ProcParseException("/proc/meminfo", 1, text.lines().findFirst().orElse(""), "no MemTotal line; is this /proc/meminfo?");
        }
        return new MemInfo(m);
    }
}
