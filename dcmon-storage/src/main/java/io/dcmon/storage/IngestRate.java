package io.dcmon.storage;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts stored samples and gives their rate over about the last minute, for store statistics. Thread-safe;
 * {@link #add} is a {@link LongAdder} increment, cheap on the write path. Shared by the SQLite and PostgreSQL stores.
 */
public final class IngestRate {

    private static final long WINDOW_NANOS = 60_000_000_000L;
    private static final long SPACING_NANOS = 5_000_000_000L;

    private final LongAdder total = new LongAdder();
    private final ArrayDeque<long[]> marks = new ArrayDeque<>();
    private final long startNanos = System.nanoTime();

    /** Counts {@code samples} newly stored. */
    public void add(long samples) {
        total.add(samples);
    }

    /** Samples stored since this meter was created. */
    public long total() {
        return total.sum();
    }

    /** Samples per second over the last minute or so (since creation while younger than that). */
    public synchronized double perSecond() {
        long now = System.nanoTime();
        long count = total.sum();
        if (marks.isEmpty() || now - marks.peekLast()[0] >= SPACING_NANOS) {
            marks.addLast(new long[] {now, count});
        }
        while (marks.size() > 1 && now - marks.peekFirst()[0] > WINDOW_NANOS) {
            marks.removeFirst();
        }
        long[] first = marks.peekFirst();
        long fromNanos = first[0];
        long fromCount = first[1];
        if (now - fromNanos < SPACING_NANOS) {
            // no mark old enough to measure against yet: average since creation
            fromNanos = startNanos;
            fromCount = 0;
        }
        double seconds = (now - fromNanos) / 1e9;
        return seconds <= 0 ? 0 : Math.max(0, (count - fromCount) / seconds);
    }
}
