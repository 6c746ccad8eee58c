package io.dcmon.hardware.proc;

import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code /proc/diskstats} (kernel Documentation/admin-guide/iostats.rst). Lines with 14
 * (pre-4.18), 18 (4.18+, discards) or 20 (5.5+, flushes) fields all parse; only the first 11 counters are
 * used. Sector counts are always in 512-byte units, whatever the device's sector size. Immutable and
 * thread-safe.
 *
 * @param major          device major number
 * @param minor          device minor number
 * @param device         kernel name, e.g. {@code nvme0n1}
 * @param reads          reads completed
 * @param readsMerged    reads merged
 * @param sectorsRead    512-byte sectors read
 * @param readTimeMs     milliseconds spent reading
 * @param writes         writes completed
 * @param writesMerged   writes merged
 * @param sectorsWritten 512-byte sectors written
 * @param writeTimeMs    milliseconds spent writing
 * @param inProgress     I/Os currently in progress
 * @param ioTimeMs       milliseconds spent doing I/O
 * @param weightedIoTimeMs weighted milliseconds spent doing I/O
 */
public record DiskStat(int major, int minor, String device, long reads, long readsMerged, long sectorsRead, long readTimeMs,
                       long writes, long writesMerged, long sectorsWritten, long writeTimeMs, long inProgress,
                       long ioTimeMs, long weightedIoTimeMs) {

    /** Compiled once: {@code String.split("\\s+")} compiles its pattern on every call, once per line here. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** Bytes per diskstats sector, fixed by the kernel ABI. */
    public static final int SECTOR_BYTES = 512;

    /** Bytes read. */
    public long readBytes() {
        return sectorsRead * SECTOR_BYTES;
    }

    /** Bytes written. */
    public long writtenBytes() {
        return sectorsWritten * SECTOR_BYTES;
    }

    /**
     * Parses the text of {@code /proc/diskstats}.
     *
     * @throws ProcParseException when a line has fewer than 14 fields or a non-numeric counter
     */
    public static List<DiskStat> parse(String text) {
        List<DiskStat> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = WHITESPACE.split(line.trim());
            if (f.length < 14) {
                throw new ProcParseException("/proc/diskstats", lineNo, line, "has " + f.length + " fields; expected at least 14");
            }
            try {
                long[] n = new long[11];
                for (int i = 0; i < 11; i++) {
                    n[i] = Long.parseLong(f[i + 3]);
                }
                out.add(new DiskStat(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2],
                        n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], n[10]));
            } catch (NumberFormatException e) {
                throw new ProcParseException("/proc/diskstats", lineNo, line, "a counter is not a number");
            }
        }
        return out;
    }
}
