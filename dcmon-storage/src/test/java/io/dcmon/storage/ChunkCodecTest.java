package io.dcmon.storage;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Property-style round trips of {@link ChunkCodec}: random series of every shape decode to exactly what went in;
 * chunks of the first format still decode; the monitoring shapes cost what the codec's design says.
 */
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
        assertThat(data[0]).isEqualTo((byte) ChunkCodec.REAL_SCALED);
        assertThat(ChunkCodec.decode(data).doubles()).containsExactly(v);
    }

    @RepeatedTest(100)
    void streamsOfEveryKindRoundTrip(RepetitionInfo info) {
        // the integer stream picks order, centre, divisor, Rice parameter and zero runs per chunk: feed it
        // inputs that make each choice win, and ones that break them (extremes, resets, gaps)
        Random rnd = new Random(20_000 + info.getCurrentRepetition());
        int n = rnd.nextInt(400);
        long[] ts = new long[n];
        long[] v = new long[n];
        long t = 1_700_000_000_000L;
        long x = rnd.nextInt(5000);
        int shape = info.getCurrentRepetition() % 6;
        for (int i = 0; i < n; i++) {
            t = switch (shape) {
                case 0 -> t + 30_000;                                        // exact cadence
                case 1 -> 1_700_000_000_000L + i * 30_000L + rnd.nextInt(7) - 3; // jitter around a grid
                case 2 -> t + (rnd.nextInt(20) == 0 ? 90_000 : 30_000);     // gaps
                default -> t + rnd.nextInt(60_000) - 10_000;                // anything, backwards too
            };
            ts[i] = t;
            x = switch (shape) {
                case 0 -> x + 120L * (rnd.nextInt(40) == 0 ? rnd.nextInt(3) - 1 : 0);      // fan steps, long runs
                case 1 -> x + 1_000_000 + rnd.nextInt(4_000_000);                          // counter
                case 2 -> rnd.nextInt(30) == 0 ? rnd.nextInt(10) : x + rnd.nextInt(1000);  // counter with resets
                case 3 -> rnd.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;             // wrap-around residuals
                case 4 -> x * 3 + rnd.nextLong();                                          // noise, overflowing
                default -> x;                                                              // constant
            };
            v[i] = x;
        }
        ChunkCodec.Decoded d = ChunkCodec.decode(ChunkCodec.encodeLongs(ts, v, n));
        assertThat(d.ts()).containsExactly(ts);
        assertThat(d.longs()).containsExactly(v);
    }

    @Test
    void extremeTimestampsAndValuesRoundTrip() {
        long[] ts = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, Long.MIN_VALUE, Long.MIN_VALUE, 5, Long.MAX_VALUE};
        long[] v = {Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, 0, Long.MAX_VALUE, -1, 1, Long.MIN_VALUE};
        for (int n = 0; n <= ts.length; n++) {
            ChunkCodec.Decoded d = ChunkCodec.decode(ChunkCodec.encodeLongs(ts, v, n));
            assertThat(d.ts()).containsExactly(Arrays.copyOf(ts, n));
            assertThat(d.longs()).containsExactly(Arrays.copyOf(v, n));
        }
        double[] special = {-0.0, 0.0, Double.NaN, Double.longBitsToDouble(0xfff0000000000001L), Double.NEGATIVE_INFINITY,
                -0.0, Double.MIN_VALUE, 1e308};
        ChunkCodec.Decoded d = ChunkCodec.decode(ChunkCodec.encodeDoubles(ts, special, special.length));
        for (int i = 0; i < special.length; i++) {
            assertThat(Double.doubleToRawLongBits(d.doubles()[i])).isEqualTo(Double.doubleToRawLongBits(special[i]));
        }
    }

    @Test
    void chunksOfTheFirstFormatStillDecode() throws IOException {
        // legacy-chunks-v1.txt was written by the first codec (modes 0-4) before format 2 replaced it
        List<String> lines = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/legacy-chunks-v1.txt")) {
            assertThat(in).as("legacy-chunks-v1.txt on the test classpath").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line);
                }
            }
        }
        java.util.Set<Integer> modes = new java.util.TreeSet<>();
        for (String line : lines) {
            String[] f = line.split("\\|");
            long[] ts = Arrays.stream(f[1].split(",")).mapToLong(Long::parseLong).toArray();
            byte[] data = HexFormat.of().parseHex(f[3]);
            modes.add((int) data[0]);
            ChunkCodec.Decoded d = ChunkCodec.decode(data);
            assertThat(d.ts()).as(line).containsExactly(ts);
            if (f[0].equals("long")) {
                assertThat(d.longs()).as(line).containsExactly(Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray());
            } else {
                long[] bits = Arrays.stream(f[2].split(",")).mapToLong(h -> Long.parseUnsignedLong(h, 16)).toArray();
                assertThat(Arrays.stream(d.doubles()).mapToLong(Double::doubleToRawLongBits).toArray()).as(line).containsExactly(bits);
            }
        }
        assertThat(modes).containsExactly(ChunkCodec.INT_DELTA, ChunkCodec.INT_DOD, ChunkCodec.REAL_XOR,
                ChunkCodec.REAL_SCALED_DELTA, ChunkCodec.REAL_SCALED_DOD);
    }

    @Test
    void truncatedOrCorruptChunksFailWithAReason() {
        long[] ts = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        long[] v = {5, 9, 1, 400, 7, 7, 7, 8, 2, 1};
        byte[] data = ChunkCodec.encodeLongs(ts, v, ts.length);
        assertThatThrownBy(() -> ChunkCodec.decode(Arrays.copyOf(data, data.length / 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("chunk is");
        byte[] unknown = data.clone();
        unknown[0] = 99;
        assertThatThrownBy(() -> ChunkCodec.decode(unknown)).hasMessageContaining("unknown mode 99");
    }

    /** Bits per sample of one 2-hour chunk (240 samples at 30 s) of a benchmark-like shape, timestamps included. */
    private static double bitsPerSample(byte[] chunk) {
        return chunk.length * 8.0 / 240;
    }

    @Test
    void monitoringShapesCostWhatTheDesignSays() {
        Random rnd = new Random(7);
        int n = 240;
        long[] ts = new long[n];
        long[] temp = new long[n];
        long[] fan = new long[n];
        long[] counter = new long[n];
        double[] tenths = new double[n];
        long t0 = 1_700_000_000_000L;
        long celsius = 45;
        long rpm = 3000;
        long bytes = 0;
        double volts = 12.1;
        for (int i = 0; i < n; i++) {
            ts[i] = t0 + i * 30_000L + rnd.nextInt(7) - 3;
            if (rnd.nextInt(4) == 0) {
                celsius += rnd.nextInt(3) - 1;
            }
            if (rnd.nextInt(40) == 0) {
                rpm += 120L * (rnd.nextInt(3) - 1);
            }
            bytes += 1_000_000 + rnd.nextInt(4_000_000);
            if (rnd.nextInt(3) == 0) {
                volts = Math.round((volts + (rnd.nextInt(3) - 1) / 10.0) * 10) / 10.0;
            }
            temp[i] = celsius;
            fan[i] = rpm;
            counter[i] = bytes;
            tenths[i] = volts;
        }
        double[] noise = new double[n];
        for (int i = 0; i < n; i++) {
            noise[i] = 40 + rnd.nextGaussian() * 5;
        }
        long[] constant = new long[n];
        // full-precision noise: ~51 bits of entropy per value; the raw-bits stream gets within ~2 (XOR needed ~55)
        byte[] noisy = ChunkCodec.encodeDoubles(ts, noise, n);
        assertThat(noisy[0]).isEqualTo((byte) ChunkCodec.REAL_BITS);
        assertThat(bitsPerSample(noisy)).isLessThan(4.5 + 53.5);
        // a few ms of jitter: ~3.4 bits per timestamp (the first format spent ~7)
        assertThat(bitsPerSample(ChunkCodec.encodeLongs(ts, constant, n))).isLessThan(4.5);
        // small steps: about 1-2 bits per value on top
        assertThat(bitsPerSample(ChunkCodec.encodeLongs(ts, temp, n))).isLessThan(4.5 + 1.6);
        assertThat(bitsPerSample(ChunkCodec.encodeDoubles(ts, tenths, n))).isLessThan(4.5 + 1.8);
        // 120-rpm steps divide out and runs of zeros cost little
        assertThat(bitsPerSample(ChunkCodec.encodeLongs(ts, fan, n))).isLessThan(4.5 + 0.5);
        // increments uniform over 4 M: 22 bits of entropy, ~22.5 with the Rice code
        assertThat(bitsPerSample(ChunkCodec.encodeLongs(ts, counter, n))).isLessThan(4.5 + 23);
        // a perfectly steady cadence and value: the chunk is a header
        long[] exact = new long[n];
        for (int i = 0; i < n; i++) {
            exact[i] = t0 + i * 30_000L;
        }
        assertThat(ChunkCodec.encodeLongs(exact, constant, n).length).isLessThan(24);
    }
}
