package io.dcmon.storage;

import io.dcmon.core.port.Aggregation;

/**
 * One time bucket of a downsampled series: the partial aggregate SQL computed over the hot rows, combined
 * with the points decoded from chunks. NaN is ignored by MIN/MAX/AVG (as SQL ignores the NULL that
 * stands for NaN) and counted by COUNT. Chunk points arrive as primitives (a week of them is ~20 000 per
 * series), so the best value is kept unboxed: a long while every value so far was a long, else a double.
 */
final class Bucket {

    private boolean has;            // MIN, MAX, LAST: a value was offered
    private boolean bestIsLong;
    private long bestLong;
    private double bestDouble;
    private long lastTs = Long.MIN_VALUE;
    private double sum;             // AVG
    private long count;             // AVG (non-NaN values), COUNT (all)

    /** Adds what the bucket SQL returned: (aux, value) as documented in {@link SeriesQueries}. */
    void addSql(Aggregation agg, long aux, Object value) {
        Number v = (Number) value;
        switch (agg) {
            case MIN, MAX -> {
                if (v != null) {
                    add(agg, aux, v);
                }
            }
            case AVG -> {
                count += aux;
                sum += v == null ? 0 : v.doubleValue();
            }
            case COUNT -> count += v == null ? 0 : v.longValue();
            case LAST -> {
                if (v == null) {
                    addDouble(agg, aux, Double.NaN); // NULL stands for NaN
                } else {
                    add(agg, aux, v);
                }
            }
        }
    }

    /** Adds one point. */
    void add(Aggregation agg, long ts, Number v) {
        if (v instanceof Long || v instanceof Integer) {
            addLong(agg, ts, v.longValue());
        } else {
            addDouble(agg, ts, v.doubleValue());
        }
    }

    /** Adds one integer point. */
    void addLong(Aggregation agg, long ts, long v) {
        switch (agg) {
            case MIN, MAX -> {
                if (!has || (bestIsLong ? better(agg, Long.compare(v, bestLong)) : better(agg, Double.compare(v, bestDouble)))) {
                    setLong(v);
                }
            }
            case AVG -> {
                sum += v;
                count++;
            }
            case COUNT -> count++;
            case LAST -> {
                if (ts >= lastTs) {
                    lastTs = ts;
                    setLong(v);
                }
            }
        }
    }

    /** Adds one floating-point point. */
    void addDouble(Aggregation agg, long ts, double v) {
        boolean nan = Double.isNaN(v);
        switch (agg) {
            case MIN, MAX -> {
                if (!nan && (!has || better(agg, Double.compare(v, bestIsLong ? bestLong : bestDouble)))) {
                    setDouble(v);
                }
            }
            case AVG -> {
                if (!nan) {
                    sum += v;
                    count++;
                }
            }
            case COUNT -> count++;
            case LAST -> {
                if (ts >= lastTs) {
                    lastTs = ts;
                    setDouble(v);
                }
            }
        }
    }

    private static boolean better(Aggregation agg, int cmp) {
        return agg == Aggregation.MIN ? cmp < 0 : cmp > 0;
    }

    private void setLong(long v) {
        has = true;
        bestIsLong = true;
        bestLong = v;
    }

    private void setDouble(double v) {
        has = true;
        bestIsLong = false;
        bestDouble = v;
    }

    Number result(Aggregation agg) {
        return switch (agg) {
            case MIN, MAX, LAST -> !has ? (Number) Double.NaN : bestIsLong ? (Number) bestLong : (Number) bestDouble;
            case AVG -> count == 0 ? Double.NaN : sum / count;
            case COUNT -> count;
        };
    }
}
