package io.dcmon.storage;

import io.dcmon.core.port.Aggregation;
/**
 * One time bucket of a downsampled series: the partial aggregate SQL computed over the hot rows, combined
 * with the points decoded from chunks. NaN is ignored by MIN/MAX/AVG (as SQL ignores the NULL that
 * stands for NaN) and counted by COUNT.
 */
final class Bucket {

    private Number best;             // MIN, MAX, LAST
    private long lastTs = Long.MIN_VALUE;
    private double sum;              // AVG
    private long count;              // AVG (non-NaN values), COUNT (all)

    /** Adds what the bucket SQL returned: (aux, value) as documented in {@link SeriesQueries}. */
    void addSql(Aggregation agg, long aux, Object value) {
        Number v = value == null ? null : normalize((Number) value);
        switch (agg) {
            case MIN, MAX -> {
                if (v != null) {
                    offer(agg, v);
                }
            }
            case AVG -> {
                count += aux;
                sum += v == null ? 0 : v.doubleValue();
            }
            case COUNT -> count += v == null ? 0 : v.longValue();
            case LAST -> {
                if (aux >= lastTs) {
                    lastTs = aux;
                    best = v == null ? Double.NaN : v;
                }
            }
        }
    }

    /** Adds one decoded point. */
    void add(Aggregation agg, long ts, Number v) {
        boolean nan = v instanceof Double d && d.isNaN();
        switch (agg) {
            case MIN, MAX -> {
                if (!nan) {
                    offer(agg, v);
                }
            }
            case AVG -> {
                if (!nan) {
                    sum += v.doubleValue();
                    count++;
                }
            }
            case COUNT -> count++;
            case LAST -> {
                if (ts >= lastTs) {
                    lastTs = ts;
                    best = v;
                }
            }
        }
    }

    private void offer(Aggregation agg, Number v) {
        if (best == null) {
            best = v;
            return;
        }
        int c = compare(v, best);
        if (agg == Aggregation.MIN ? c < 0 : c > 0) {
            best = v;
        }
    }

    private static int compare(Number a, Number b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        return Double.compare(a.doubleValue(), b.doubleValue());
    }

    private static Number normalize(Number n) {
        return n instanceof Integer || n instanceof Long ? (Number) n.longValue() : (Number) n.doubleValue();
    }

    Number result(Aggregation agg) {
        return switch (agg) {
            case MIN, MAX, LAST -> best == null ? Double.NaN : best;
            case AVG -> count == 0 ? Double.NaN : sum / count;
            case COUNT -> count;
        };
    }
}
