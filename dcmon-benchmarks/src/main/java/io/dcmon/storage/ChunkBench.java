package io.dcmon.storage;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Chunk encode and decode of one series' 2-hour window (240 samples at 30 s, timestamps jittered by a few ms as
 * real pushes are), for the value shapes the storage compresses differently: integer temperatures that wander
 * by a degree, byte counters, 0.1-precision voltages and noisy floats. The baseline in the same run is
 * {@code rawCopy}: the same points as plain 16-byte (ts, value) pairs, what an uncompressed row costs to write.
 * {@code ChunkCodec} is package-private in dcmon-storage; this class sits in the same package (the jars are on
 * the class path, not modules) to call it without widening its API. Bounded: 1 fork, 3 × 1 s warm-up, 5 × 1 s.
 * The compressed size of each shape is printed once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChunkBench {

    /** Samples in one chunk: two hours at the agents' 30 s interval. */
    static final int N = 240;

    @Param({"int_temperature", "int_counter", "real_voltage", "real_noisy"})
    public String shape;

    private long[] ts;
    private long[] longs;
    private double[] doubles;
    private byte[] encoded;
    private ByteBuffer raw;

    @Setup
    public void prepare() {
        SplittableRandom r = new SplittableRandom(7);
        ts = new long[N];
        long t = 1_800_000_000_000L;
        for (int i = 0; i < N; i++) {
            ts[i] = t + i * 30_000L + r.nextInt(-5, 6);
        }
        switch (shape) {
            case "int_temperature" -> {
                longs = new long[N];
                long v = 62;
                for (int i = 0; i < N; i++) {
                    v = Math.max(25, Math.min(92, v + r.nextInt(-1, 2)));
                    longs[i] = v;
                }
            }
            case "int_counter" -> {
                longs = new long[N];
                long v = 3_456_789_012_345L;
                for (int i = 0; i < N; i++) {
                    v += (long) (40_000_000L * 30 * (0.7 + 0.6 * r.nextDouble()));
                    longs[i] = v;
                }
            }
            case "real_voltage" -> {
                doubles = new double[N];
                double v = 12.0;
                for (int i = 0; i < N; i++) {
                    v = Math.round((12.0 + r.nextGaussian() * 0.05) * 10) / 10.0;
                    doubles[i] = v;
                }
            }
            case "real_noisy" -> {
                doubles = new double[N];
                for (int i = 0; i < N; i++) {
                    doubles[i] = 540 + r.nextGaussian() * 25;
                }
            }
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        encoded = encode();
        raw = ByteBuffer.allocate(N * 16);
        System.out.printf(java.util.Locale.ROOT, "%n%s: %d samples -> %d bytes (%.2f bytes/sample; raw pairs 16)%n",
                shape, N, encoded.length, encoded.length / (double) N);
    }

    private byte[] encode() {
        return longs != null ? ChunkCodec.encodeLongs(ts, longs, N) : ChunkCodec.encodeDoubles(ts, doubles, N);
    }

    /** Compress the window into one chunk (what compaction does per series and window). */
    @Benchmark
    public byte[] encodeChunk() {
        return encode();
    }

    /** Decompress it (what a query over compacted data does per chunk). */
    @Benchmark
    public Object decodeChunk() {
        return ChunkCodec.decode(encoded);
    }

    /** Baseline: copy the same points as raw 16-byte pairs. */
    @Benchmark
    public ByteBuffer rawCopy() {
        raw.clear();
        for (int i = 0; i < N; i++) {
            raw.putLong(ts[i]);
            if (longs != null) {
                raw.putLong(longs[i]);
            } else {
                raw.putDouble(doubles[i]);
            }
        }
        return raw;
    }
}
