package io.dcmon.storage;

/**
 * Gorilla-style encoding of one series' samples into a compact byte array (Pelkonen et al., "Gorilla: A
 * Fast, Scalable, In-Memory Time Series Database", VLDB 2015), adapted to dcmon's value shapes:
 *
 * <ul>
 *   <li>timestamps: the first in 64 bits, then zig-zag delta-of-deltas in a prefix code
 *       ({@code 0} | {@code 10}+4 | {@code 110}+7 | {@code 1110}+12 | {@code 11110}+20 | {@code 11111}+64
 *       bits), so a steady 30 s cadence costs one bit per sample and a few ms of jitter six;</li>
 *   <li>integers: zig-zag deltas, or delta-of-deltas for steady counters, whichever is smaller, in a prefix
 *       code ({@code 0} | {@code 10}+4 | {@code 110}+8 | {@code 1110}+16 | {@code 11110}+24 | {@code 111110}+32
 *       | {@code 111111}+64);</li>
 *   <li>doubles that are exact decimals with at most 6 fraction digits (0.1-precision sensor readings):
 *       stored as scaled integers with the integer code, then verified bit-for-bit;</li>
 *   <li>other doubles (noisy floats, NaN, ±Inf, -0.0): Gorilla's XOR with leading/trailing-zero windows.</li>
 * </ul>
 *
 * The sequence is encoded as given (duplicates and out-of-order timestamps round-trip too); all
 * arithmetic wraps, so extreme longs round-trip exactly. Layout: mode byte, varint count, [scale byte],
 * then the bit stream of all timestamps followed by all values.
 */
final class ChunkCodec {

    static final int INT_DELTA = 0;
    static final int INT_DOD = 1;
    static final int REAL_XOR = 2;
    static final int REAL_SCALED_DELTA = 3;
    static final int REAL_SCALED_DOD = 4;

    private static final int MAX_SCALE = 6;
    private static final double[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private static final double SAFE = 9.0e15; // below 2^53: scaled values stay exact in a double

    /** A decoded chunk: timestamps and either long or double values. */
    record Decoded(long[] ts, long[] longs, double[] doubles) {
        int size() {
            return ts.length;
        }

        boolean integral() {
            return longs != null;
        }

        Number value(int i) {
            return longs != null ? (Number) longs[i] : (Number) doubles[i];
        }
    }

    private ChunkCodec() {
    }

    static byte[] encodeLongs(long[] ts, long[] values, int n) {
        byte[] delta = encodeInts(INT_DELTA, -1, ts, values, n, false);
        byte[] dod = encodeInts(INT_DOD, -1, ts, values, n, true);
        return dod.length < delta.length ? dod : delta;
    }

    static byte[] encodeDoubles(long[] ts, double[] values, int n) {
        byte[] best = encodeXor(ts, values, n);
        int k = decimalScale(values, n);
        if (k >= 0) {
            long[] scaled = new long[n];
            for (int i = 0; i < n; i++) {
                scaled[i] = Math.round(values[i] * POW10[k]);
            }
            byte[] d = encodeInts(REAL_SCALED_DELTA, k, ts, scaled, n, false);
            byte[] dd = encodeInts(REAL_SCALED_DOD, k, ts, scaled, n, true);
            byte[] s = dd.length < d.length ? dd : d;
            if (s.length < best.length) {
                best = s;
            }
        }
        return best;
    }

    /** The smallest k such that every value is exactly round(v * 10^k) / 10^k, or -1. */
    private static int decimalScale(double[] values, int n) {
        if (n == 0) {
            return -1;
        }
        for (int k = 0; k <= MAX_SCALE; k++) {
            double p = POW10[k];
            boolean ok = true;
            for (int i = 0; i < n && ok; i++) {
                double v = values[i];
                double scaled = v * p;
                ok = Double.isFinite(v) && Math.abs(scaled) < SAFE
                        && Double.doubleToRawLongBits(Math.round(scaled) / p) == Double.doubleToRawLongBits(v);
            }
            if (ok) {
                return k;
            }
        }
        return -1;
    }

    private static BitWriter header(int mode, int scale, int n) {
        BitWriter w = new BitWriter(16 + n * 2);
        w.write(mode, 8);
        w.varint(n);
        if (scale >= 0) {
            w.write(scale, 8);
        }
        return w;
    }

    private static byte[] encodeInts(int mode, int scale, long[] ts, long[] values, int n, boolean dod) {
        BitWriter w = header(mode, scale, n);
        writeTimestamps(w, ts, n);
        if (n > 0) {
            w.write(values[0], 64);
            long prevDelta = 0;
            for (int i = 1; i < n; i++) {
                long delta = values[i] - values[i - 1];
                long x = dod ? delta - prevDelta : delta;
                prevDelta = delta;
                writeIntCode(w, zigzag(x));
            }
        }
        return w.toByteArray();
    }

    private static byte[] encodeXor(long[] ts, double[] values, int n) {
        BitWriter w = header(REAL_XOR, -1, n);
        writeTimestamps(w, ts, n);
        if (n == 0) {
            return w.toByteArray();
        }
        long prev = Double.doubleToRawLongBits(values[0]);
        w.write(prev, 64);
        int prevLead = -1;
        int prevTrail = 0;
        for (int i = 1; i < n; i++) {
            long bits = Double.doubleToRawLongBits(values[i]);
            long x = bits ^ prev;
            prev = bits;
            if (x == 0) {
                w.bit(false);
                continue;
            }
            w.bit(true);
            int lead = Math.min(Long.numberOfLeadingZeros(x), 31);
            int trail = Long.numberOfTrailingZeros(x);
            if (prevLead >= 0 && lead >= prevLead && trail >= prevTrail) {
                w.bit(false);
                w.write(x >>> prevTrail, 64 - prevLead - prevTrail);
            } else {
                w.bit(true);
                int len = 64 - lead - trail;
                w.write(lead, 5);
                w.write(len - 1, 6);
                w.write(x >>> trail, len);
                prevLead = lead;
                prevTrail = trail;
            }
        }
        return w.toByteArray();
    }

    private static void writeTimestamps(BitWriter w, long[] ts, int n) {
        if (n == 0) {
            return;
        }
        w.write(ts[0], 64);
        long prevDelta = 0;
        for (int i = 1; i < n; i++) {
            long delta = ts[i] - ts[i - 1];
            long zz = zigzag(delta - prevDelta);
            prevDelta = delta;
            if (zz == 0) {
                w.bit(false);
            } else if (zz >>> 4 == 0) {
                w.write(0b10, 2);
                w.write(zz, 4);
            } else if (zz >>> 7 == 0) {
                w.write(0b110, 3);
                w.write(zz, 7);
            } else if (zz >>> 12 == 0) {
                w.write(0b1110, 4);
                w.write(zz, 12);
            } else if (zz >>> 20 == 0) {
                w.write(0b11110, 5);
                w.write(zz, 20);
            } else {
                w.write(0b11111, 5);
                w.write(zz, 64);
            }
        }
    }

    private static void writeIntCode(BitWriter w, long zz) {
        if (zz == 0) {
            w.bit(false);
        } else if (zz >>> 4 == 0) {
            w.write(0b10, 2);
            w.write(zz, 4);
        } else if (zz >>> 8 == 0) {
            w.write(0b110, 3);
            w.write(zz, 8);
        } else if (zz >>> 16 == 0) {
            w.write(0b1110, 4);
            w.write(zz, 16);
        } else if (zz >>> 24 == 0) {
            w.write(0b11110, 5);
            w.write(zz, 24);
        } else if (zz >>> 32 == 0) {
            w.write(0b111110, 6);
            w.write(zz, 32);
        } else {
            w.write(0b111111, 6);
            w.write(zz, 64);
        }
    }

    static Decoded decode(byte[] data) {
        BitReader r = new BitReader(data);
        int mode = (int) r.read(8);
        long count = r.varint();
        if (count < 0 || count > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("chunk is corrupt: count " + count);
        }
        int n = (int) count;
        int scale = mode == REAL_SCALED_DELTA || mode == REAL_SCALED_DOD ? (int) r.read(8) : -1;
        long[] ts = readTimestamps(r, n);
        switch (mode) {
            case INT_DELTA, INT_DOD -> {
                return new Decoded(ts, readInts(r, n, mode == INT_DOD), null);
            }
            case REAL_SCALED_DELTA, REAL_SCALED_DOD -> {
                if (scale > MAX_SCALE) {
                    throw new IllegalStateException("chunk is corrupt: scale " + scale);
                }
                long[] scaled = readInts(r, n, mode == REAL_SCALED_DOD);
                double p = POW10[scale];
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = scaled[i] / p;
                }
                return new Decoded(ts, null, d);
            }
            case REAL_XOR -> {
                return new Decoded(ts, null, readXor(r, n));
            }
            default -> throw new IllegalStateException("chunk is corrupt: unknown mode " + mode);
        }
    }

    private static long[] readTimestamps(BitReader r, int n) {
        long[] ts = new long[n];
        if (n == 0) {
            return ts;
        }
        ts[0] = r.read(64);
        long prevDelta = 0;
        for (int i = 1; i < n; i++) {
            long zz;
            if (!r.bit()) {
                zz = 0;
            } else if (!r.bit()) {
                zz = r.read(4);
            } else if (!r.bit()) {
                zz = r.read(7);
            } else if (!r.bit()) {
                zz = r.read(12);
            } else if (!r.bit()) {
                zz = r.read(20);
            } else {
                zz = r.read(64);
            }
            long delta = prevDelta + unzigzag(zz);
            ts[i] = ts[i - 1] + delta;
            prevDelta = delta;
        }
        return ts;
    }

    private static long[] readInts(BitReader r, int n, boolean dod) {
        long[] v = new long[n];
        if (n == 0) {
            return v;
        }
        v[0] = r.read(64);
        long prevDelta = 0;
        for (int i = 1; i < n; i++) {
            long zz;
            if (!r.bit()) {
                zz = 0;
            } else if (!r.bit()) {
                zz = r.read(4);
            } else if (!r.bit()) {
                zz = r.read(8);
            } else if (!r.bit()) {
                zz = r.read(16);
            } else if (!r.bit()) {
                zz = r.read(24);
            } else if (!r.bit()) {
                zz = r.read(32);
            } else {
                zz = r.read(64);
            }
            long x = unzigzag(zz);
            long delta = dod ? prevDelta + x : x;
            v[i] = v[i - 1] + delta;
            prevDelta = delta;
        }
        return v;
    }

    private static double[] readXor(BitReader r, int n) {
        double[] d = new double[n];
        if (n == 0) {
            return d;
        }
        long prev = r.read(64);
        d[0] = Double.longBitsToDouble(prev);
        int prevLead = 0;
        int prevTrail = 0;
        for (int i = 1; i < n; i++) {
            if (r.bit()) {
                long x;
                if (!r.bit()) {
                    x = r.read(64 - prevLead - prevTrail) << prevTrail;
                } else {
                    int lead = (int) r.read(5);
                    int len = (int) r.read(6) + 1;
                    int trail = 64 - lead - len;
                    x = r.read(len) << trail;
                    prevLead = lead;
                    prevTrail = trail;
                }
                prev ^= x;
            }
            d[i] = Double.longBitsToDouble(prev);
        }
        return d;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
