package io.dcmon.hardware.proc;

import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The parts of {@code /proc/stat} dcmon reports. CPU times are in clock ticks ({@code USER_HZ}, 100 on
 * every Linux architecture dcmon runs on; see {@link #TICKS_PER_SECOND}). Immutable and thread-safe.
 *
 * @param total           the aggregate {@code cpu} line
 * @param perCpu          one entry per {@code cpuN} line, in file order
 * @param contextSwitches {@code ctxt}
 * @param forks           {@code processes}: forks since boot
 * @param bootTimeSeconds {@code btime}: boot time, Unix seconds
 * @param procsRunning    {@code procs_running}
 * @param procsBlocked    {@code procs_blocked}
 * @param skippedLines    lines this parser did not use (intr, softirq, unknown keys)
 */
public record CpuStat(CpuTimes total, List<CpuTimes> perCpu, long contextSwitches, long forks, long bootTimeSeconds,
                      long procsRunning, long procsBlocked, int skippedLines) {

    /** Compiled once: {@code String.split("\\s+")} compiles its pattern on every call, once per line here. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** {@code USER_HZ}: the kernel exports CPU times in 1/100 s on all mainstream architectures. */
    public static final int TICKS_PER_SECOND = 100;

    public CpuStat {
        Objects.requireNonNull(total, "total");
        perCpu = List.copyOf(perCpu);
    }

    /** The columns of a {@code cpu} line, in kernel order: the format as a type. */
    public enum Mode {
        USER, NICE, SYSTEM, IDLE, IOWAIT, IRQ, SOFTIRQ, STEAL;

        /** The label value, e.g. {@code "iowait"}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Ticks spent per mode by one CPU (or all, for the aggregate line). Guest time is already included in
     * user/nice by the kernel, so it is not listed separately.
     *
     * @param cpu   {@code "all"} for the aggregate line, else the CPU number
     * @param ticks ticks per {@link Mode}, indexed by {@code Mode.ordinal()}; columns an old kernel lacks are 0
     */
    public record CpuTimes(String cpu, long[] ticks) {
        public CpuTimes {
            Objects.requireNonNull(cpu, "cpu");
            if (ticks.length != Mode.values().length) {
                throw new IllegalArgumentException("ticks has " + ticks.length + " entries; expected " + Mode.values().length);
            }
            ticks = ticks.clone();
        }

        /** Ticks in {@code mode}. */
        public long ticks(Mode mode) {
            return ticks[mode.ordinal()];
        }

        /** Seconds in {@code mode}. */
        public double seconds(Mode mode) {
            return ticks[mode.ordinal()] / (double) TICKS_PER_SECOND;
        }

        @Override
        public long[] ticks() {
            return ticks.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CpuTimes c && c.cpu.equals(cpu) && java.util.Arrays.equals(c.ticks, ticks);
        }

        @Override
        public int hashCode() {
            return cpu.hashCode() * 31 + java.util.Arrays.hashCode(ticks);
        }

        @Override
        public String toString() {
            return "CpuTimes[" + cpu + " " + java.util.Arrays.toString(ticks) + "]";
        }
    }

    /** Number of CPUs listed (online CPUs). */
    public int cpuCount() {
        return perCpu.size();
    }

    /**
     * Parses the text of {@code /proc/stat}.
     *
     * @throws ProcParseException when there is no aggregate {@code cpu} line or a cpu line is not numeric
     */
    public static CpuStat parse(String text) {
        CpuTimes total = null;
        List<CpuTimes> per = new ArrayList<>();
        long ctxt = 0;
        long forks = 0;
        long btime = 0;
        long running = 0;
        long blocked = 0;
        int skipped = 0;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String trimmed = line.trim();
            int sp = trimmed.indexOf(' ');
            String key = sp < 0 ? trimmed : trimmed.substring(0, sp);
            if (key.equals("intr") || key.equals("softirq")) {
                skipped++; // hundreds of per-interrupt counters dcmon does not report: not worth splitting
                continue;
            }
            String[] f = WHITESPACE.split(trimmed);
            try {
                if (key.equals("cpu")) {
                    total = times("all", f);
                } else if (key.startsWith("cpu") && key.length() > 3 && Character.isDigit(key.charAt(3))) {
                    per.add(times(key.substring(3), f));
                } else if (f.length >= 2 && key.equals("ctxt")) {
                    ctxt = Long.parseLong(f[1]);
                } else if (f.length >= 2 && key.equals("processes")) {
                    forks = Long.parseLong(f[1]);
                } else if (f.length >= 2 && key.equals("btime")) {
                    btime = Long.parseLong(f[1]);
                } else if (f.length >= 2 && key.equals("procs_running")) {
                    running = Long.parseLong(f[1]);
                } else if (f.length >= 2 && key.equals("procs_blocked")) {
                    blocked = Long.parseLong(f[1]);
                } else {
                    skipped++;
                }
            } catch (NumberFormatException e) {
                throw new ProcParseException("/proc/stat", lineNo, line, "expected numbers after '" + key + "'");
            }
        }
        if (total == null) {
            throw new ProcParseException("/proc/stat", 1, text.lines().findFirst().orElse(""),
                    "no aggregate 'cpu' line; is this /proc/stat?");
        }
        return new CpuStat(total, per, ctxt, forks, btime, running, blocked, skipped);
    }

    private static CpuTimes times(String cpu, String[] f) {
        long[] ticks = new long[Mode.values().length];
        for (int i = 0; i < ticks.length && i + 1 < f.length; i++) {
            ticks[i] = Long.parseLong(f[i + 1]);
        }
        if (f.length < 5) {
            throw new NumberFormatException("too few columns");
        }
        return new CpuTimes(cpu, ticks);
    }
}
