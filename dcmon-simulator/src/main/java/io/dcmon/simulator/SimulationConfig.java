package io.dcmon.simulator;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What to simulate.
 *
 * @param agents       simulated agents, 1 to 20 000
 * @param interval     push interval of each agent; below the real 30 s it compresses time (same load as
 *                     {@code agents × 30 s / interval} real agents)
 * @param duration     how long agents push, after registration; 1 s to 24 h
 * @param warmup       first part of the run left out of latency and throughput figures (JIT, caches); less than duration
 * @param concurrency  pushes in flight at most (worker threads); 1 to 1024
 * @param pollers      agents that also long-poll for commands (one thread each); 0 to 256, at most {@code agents}
 * @param commandEvery how often the admin queues a command for a polling agent; ZERO queues none
 * @param seed         seeds the values, so runs are repeatable
 * @param keyCache     file of RSA keys kept between runs (generating 2048-bit keys is the slowest part of a
 *                     large fleet's start), or null to generate fresh keys each run
 * @param compactAtEnd compress every stored sample into chunks after the run and report that size too (in-process
 *                     server only; the real server compacts samples older than two hours in the background)
 * @param primeTimeout longest time every agent's first push (which creates its series) may take in all
 * @param seriesCacheSize in-process server: series ids the storage caches (0 = the storage default, what the
 *                     server ships with)
 * @param gzipLevel    zlib level the simulator compresses batches with, 1 (fastest) to 9; the agent uses 6 (the
 *                     JDK default): level 1 halves the simulator's gzip CPU for ~17 % more bytes, and the server
 *                     inflates the same JSON either way
 */
public record SimulationConfig(int agents, Duration interval, Duration duration, Duration warmup, int concurrency,
                               int pollers, Duration commandEvery, long seed, Path keyCache, boolean compactAtEnd,
                               Duration primeTimeout, long seriesCacheSize, int gzipLevel) {

    /** Largest fleet one simulator runs. */
    public static final int MAX_AGENTS = 20_000;

    public SimulationConfig {
        if (agents < 1 || agents > MAX_AGENTS) {
            throw new IllegalArgumentException("agents was " + agents + " but it must be from 1 to " + MAX_AGENTS);
        }
        if (interval == null || interval.toMillis() < 100 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("interval was " + interval + " but it must be from 100 ms to 1 h (agents use 30 s)");
        }
        if (duration == null || duration.toMillis() < 1000 || duration.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("duration was " + duration + " but it must be from 1 s to 24 h");
        }
        if (warmup == null || warmup.isNegative() || warmup.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("warmup was " + warmup + " but it must be zero or more and shorter than the duration "
                    + duration);
        }
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("concurrency was " + concurrency + " but it must be from 1 to 1024");
        }
        if (pollers < 0 || pollers > 256 || pollers > agents) {
            throw new IllegalArgumentException("pollers was " + pollers + " but it must be from 0 to min(256, agents = " + agents + ")");
        }
        if (primeTimeout == null || primeTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("prime timeout was " + primeTimeout + " but it must be at least 1 s");
        }
        if (seriesCacheSize != 0 && seriesCacheSize < 16) {
            throw new IllegalArgumentException("series cache size was " + seriesCacheSize + " but it must be 0 (default) or at least 16");
        }
        if (gzipLevel < 1 || gzipLevel > 9) {
            throw new IllegalArgumentException("gzip level was " + gzipLevel + " but it must be from 1 (fastest) to 9 (smallest)");
        }
        if (commandEvery == null || commandEvery.isNegative() || (!commandEvery.isZero() && commandEvery.toMillis() < 100)) {
            throw new IllegalArgumentException("command interval was " + commandEvery + " but it must be ZERO (no commands) or at least 100 ms");
        }
    }

    /** Seconds of real time one interval stands for: the agents' real interval is 30 s. */
    public double compression() {
        return 30_000.0 / interval.toMillis();
    }
}
