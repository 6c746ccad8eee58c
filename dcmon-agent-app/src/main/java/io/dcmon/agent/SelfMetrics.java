package io.dcmon.agent;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The agent's own footprint as ordinary samples, so "the agent grew" is visible like any other metric. */
final class SelfMetrics {

    static final String RSS = "dcmon_agent_resident_memory_bytes";
    static final String CPU = "dcmon_agent_cpu_seconds_total";
    static final String HEAP = "dcmon_agent_heap_used_bytes";
    static final String BATCH_BYTES = "dcmon_agent_last_batch_bytes";
    static final String SPOOL_BATCHES = "dcmon_agent_spool_batches";
    static final String SPOOL_DROPPED = "dcmon_agent_spool_dropped_total";

    private SelfMetrics() {
    }

    static List<Sample> read(long nowMs, long lastBatchBytes, int spoolDepth, long spoolDropped) {
        List<Sample> out = new ArrayList<>(6);
        long rss = rssBytes();
        if (rss > 0) {
            out.add(Sample.of(SeriesKey.of(RSS), nowMs, rss));
        }
        // ProcessHandle rather than the management beans: those would load a few dozen classes for one number
        ProcessHandle.current().info().totalCpuDuration()
                .ifPresent(cpu -> out.add(Sample.of(SeriesKey.of(CPU), nowMs, cpu.toNanos() / 1e9)));
        Runtime rt = Runtime.getRuntime();
        out.add(Sample.of(SeriesKey.of(HEAP), nowMs, rt.totalMemory() - rt.freeMemory()));
        if (lastBatchBytes > 0) {
            out.add(Sample.of(SeriesKey.of(BATCH_BYTES), nowMs, lastBatchBytes));
        }
        out.add(Sample.of(SeriesKey.of(SPOOL_BATCHES), nowMs, (long) spoolDepth));
        out.add(Sample.of(SeriesKey.of(SPOOL_DROPPED), nowMs, spoolDropped));
        return out;
    }

    /** VmRSS from /proc/self/status, 0 where there is none. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring("VmRSS:".length(), line.length() - " kB".length()).strip()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
