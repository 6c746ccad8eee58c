package io.dcmon.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads a process's memory and CPU time from Linux {@code /proc}; empty where /proc is missing or unreadable. */
final class ProcFs {

    /** Clock ticks per second of {@code /proc/<pid>/stat} times; 100 on every Linux architecture dcmon runs on. */
    static final long CLOCK_TICKS = 100;

    private ProcFs() {
    }

    /** {@code VmRSS} of the process, bytes. */
    static OptionalLong rss(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** {@code RssAnon} of the process: resident memory that is not a mapped file (heap, stacks, malloc), bytes. */
    static OptionalLong rssAnon(long pid) {
        return statusField(pid, "RssAnon:");
    }

    /** {@code VmHWM} (peak resident set) of the process, bytes. */
    static OptionalLong peakRss(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** utime + stime of the process (all its threads), nanoseconds. */
    static OptionalLong cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // the command name (field 2) may contain spaces and parentheses: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the whole line
            return OptionalLong.of(ticks * (1_000_000_000L / CLOCK_TICKS));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * CPU time every core of the machine spent busy since boot (all {@code /proc/stat} "cpu" fields except idle
     * and iowait), nanoseconds: the difference over a window, divided by the window, is how many cores the whole
     * machine kept busy, other users included.
     */
    static OptionalLong machineBusyNanos() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
            String[] f = first.trim().split("\\s+");
            if (!f[0].equals("cpu")) {
                return OptionalLong.empty();
            }
            long busy = 0;
            // user nice system idle iowait irq softirq steal (guest time is already inside user)
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return OptionalLong.of(busy * (1_000_000_000L / CLOCK_TICKS));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * CPU time of each thread group of a process, nanoseconds: threads are grouped by their name
     * ({@code /proc/<pid>/task/<tid>/comm}) with digits and trailing separators removed, so {@code sim-http-3} and
     * {@code sim-http-7} add up under {@code sim-http}. Empty where /proc cannot be read.
     */
    static java.util.Map<String, Long> threadGroupCpuNanos(long pid) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).trim()
                            .replaceAll("[0-9]+", "").replaceAll("[-# ]+$", "");
                    String stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    long ns = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (1_000_000_000L / CLOCK_TICKS);
                    out.merge(name.isEmpty() ? "?" : name, ns, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read: its time is lost, which a report of groups can bear
                }
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Map.of();
        }
        return out;
    }

    /** The 1-, 5- and 15-minute load averages from {@code /proc/loadavg}, e.g. {@code "2.10 1.80 1.52"}, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static OptionalLong statusField(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith(name)) {
                    String[] f = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(f[0]) * 1024); // always reported in kB
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Size of {@code file} plus its {@code -wal} sibling, or empty when the file does not exist. */
    static OptionalLong sqliteBytes(Path file) {
        try {
            if (!Files.exists(file)) {
                return OptionalLong.empty();
            }
            long size = Files.size(file);
            Path wal = file.resolveSibling(file.getFileName() + "-wal");
            if (Files.exists(wal)) {
                size += Files.size(wal);
            }
            return OptionalLong.of(size);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
