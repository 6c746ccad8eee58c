package io.dcmon.simulator;

import java.util.Arrays;

/**
 * Recorded durations, kept exactly (up to {@link #CAP} values, then every further value replaces a random
 * earlier one, so the percentiles stay representative). Thread-safe.
 */
final class Latencies {

    /** Values kept at most (8 MB of longs). */
    static final int CAP = 1 << 20;

    private long[] values = new long[1024];
    private int size;
    private long count;
    private long max;
    private final java.util.SplittableRandom random = new java.util.SplittableRandom(1);

    synchronized void add(long nanos) {
        count++;
        max = Math.max(max, nanos);
        if (size < CAP) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = nanos;
        } else {
            long slot = random.nextLong(count);
            if (slot < CAP) {
                values[(int) slot] = nanos;
            }
        }
    }

    synchronized long count() {
        return count;
    }

    /** The {@code p}-th percentile (0 < p ≤ 100) in milliseconds, or NaN when nothing was recorded. */
    synchronized double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, rank))] / 1e6;
    }

    synchronized double maxMs() {
        return size == 0 ? Double.NaN : max / 1e6;
    }
}
