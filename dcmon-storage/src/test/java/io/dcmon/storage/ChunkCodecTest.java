package io.dcmon.storage;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Property-style round trips of {@link ChunkCodec}: random series of every shape decode to exactly what went in. */
class ChunkCodecTest {

    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL,
            Double.longBitsToDouble(0x7ff8000000000123L)};
    private static final long[] EXTREME = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1};

    private static long[] timestamps(Random rnd, int n) {
        long[] ts = new long[n];
        long t = rnd.nextInt(4) == 0 ? rnd.nextLong() : 1_700_000_000_000L + rnd.nextInt(1_000_000);
        long step = rnd.nextInt(3) == 0 ? rnd.nextInt(100_000) : 30_000;
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(12)) {
                case 0 -> { } // duplicate timestamp: t stays
                case 1 -> t -= rnd.nextInt(100_000); // out of order
                case 2 -> t += rnd.nextLong(); // wild jump (wraps)
                case 3 -> t += step + rnd.nextInt(11) - 5; // jitter
                default -> t += step;
            }
            ts[i] = t;
        }
        return ts;
    }

    @RepeatedTest(150)
    void randomIntegerSeriesRoundTripExactly(RepetitionInfo info) {
        Random rnd = new Random(info.getCurrentRepetition());
        int n = rnd.nextInt(300);
        long[] ts = timestamps(rnd, n);
        long[] v = new long[n];
        long x = rnd.nextInt(100);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(8)) {
                case 0 -> x = EXTREME[rnd.nextInt(EXTREME.length)];
                case 1 -> x = rnd.nextLong();
                case 2 -> x += rnd.nextInt(2_000_000); // counter
                case 3 -> x -= rnd.nextInt(3);
                default -> x += rnd.nextInt(3) - 1; // temperature-like
            }
            v[i] = x;
        }
        ChunkCodec.Decoded d = ChunkCodec.decode(ChunkCodec.encodeLongs(ts, v, n));
        assertThat(d.ts()).containsExactly(ts);
        assertThat(d.longs()).containsExactly(v);
        assertThat(d.doubles()).isNull();
    }

    @RepeatedTest(150)
    void randomDoubleSeriesRoundTripBitForBit(RepetitionInfo info) {
        Random rnd = new Random(10_000 + info.getCurrentRepetition());
        int n = rnd.nextInt(300);
        long[] ts = timestamps(rnd, n);
        double[] v = new double[n];
        int shape = rnd.nextInt(4);
        double x = rnd.nextInt(100);
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(50) == 0) {
                v[i] = SPECIAL[rnd.nextInt(SPECIAL.length)];
                continue;
            }
            switch (shape) {
                case 0 -> x = Math.round((x + rnd.nextGaussian()) * 10) / 10.0;     // 0.1-precision reading
                case 1 -> x = x + rnd.nextGaussian();                               // noisy float
                case 2 -> x = Double.longBitsToDouble(rnd.nextLong());              // arbitrary bits
                default -> x = Math.round(x + rnd.nextInt(3) - 1);                  // integral doubles
            }
            v[i] = x;
        }
        ChunkCodec.Decoded d = ChunkCodec.decode(ChunkCodec.encodeDoubles(ts, v, n));
        assertThat(d.ts()).containsExactly(ts);
        assertThat(d.longs()).isNull();
        assertThat(d.doubles()).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(Double.doubleToRawLongBits(d.doubles()[i])).as("value %d", i).isEqualTo(Double.doubleToRawLongBits(v[i]));
        }
    }

    @Test
    void emptyAndSingleSampleChunksRoundTrip() {
        assertThat(ChunkCodec.decode(ChunkCodec.encodeLongs(new long[0], new long[0], 0)).size()).isZero();
        ChunkCodec.Decoded one = ChunkCodec.decode(ChunkCodec.encodeDoubles(new long[] {5}, new double[] {Double.NaN}, 1));
        assertThat(one.ts()).containsExactly(5);
        assertThat(one.doubles()[0]).isNaN();
    }

    @Test
    void steadyCadenceWithSteadyValueCostsAboutTwoBitsPerSample() {
        int n = 240;
        long[] ts = new long[n];
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = 1_700_000_000_000L + i * 30_000L;
            v[i] = 45;
        }
        // one bit for the timestamp, one for the value, plus a small header
        assertThat(ChunkCodec.encodeLongs(ts, v, n).length).isLessThan(n * 2 / 8 + 32);
    }

    @Test
    void tenthsAreStoredAsScaledIntegers() {
        int n = 240;
        long[] ts = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = 1_700_000_000_000L + i * 30_000L;
            v[i] = 12.0 + (i % 7) / 10.0;
        }
        byte[] data = ChunkCodec.encodeDoubles(ts, v, n);
        assertThat(data[0]).isIn((byte) ChunkCodec.REAL_SCALED_DELTA, (byte) ChunkCodec.REAL_SCALED_DOD);
        assertThat(ChunkCodec.decode(data).doubles()).containsExactly(v);
    }
}
