package io.dcmon.core.port;

/**
 * How the samples of one time bucket become one point in a downsampled query. MIN, MAX and LAST keep the
 * stored type (Long stays Long); AVG is always a Double; COUNT is a Long. NaN samples are ignored by
 * MIN/MAX/AVG (a bucket of only NaN gives NaN).
 */
public enum Aggregation {
    /** Smallest value in the bucket. */
    MIN,
    /** Largest value in the bucket. */
    MAX,
    /** Arithmetic mean of the bucket. */
    AVG,
    /** The value with the latest timestamp in the bucket. */
    LAST,
    /** How many samples the bucket holds. */
    COUNT
}
