package io.dcmon.storage;

import java.util.Arrays;

/**
 * Encoding of one series' samples into a compact byte array, in the spirit of Gorilla (Pelkonen et al.,
 * "Gorilla: A Fast, Scalable, In-Memory Time Series Database", VLDB 2015): predict each number from the
 * previous ones and store only the small residual. The encoder tries the encodings that fit a chunk and
 * keeps the smallest, so each chunk pays for the shape it has:
 *
 * <ul>
 *   <li>timestamps and integers go through one <em>integer stream</em> (below): steady cadences cost
 *       nothing per sample, a few ms of jitter about 3–4 bits;</li>
 *   <li>doubles that are exact decimals with at most 6 fraction digits (0.1-precision readings): scaled
 *       integers in an integer stream, verified bit-for-bit before they are chosen;</li>
 *   <li>other doubles: either Gorilla's XOR against the previous value, or the raw IEEE bits as an integer
 *       stream (a noisy float keeps its sign and exponent, so its bit pattern varies only in the mantissa,
 *       which the stream's Rice code stores in about the entropy of the noise, where XOR pays window
 *       headers).</li>
 * </ul>
 *
 * <p><b>Integer stream.</b> For values x: pick the order whose residuals r are cheapest: 0 (raw), 1
 * (deltas), 2 (delta-of-deltas) or line (x[i] - x[0] - i * slope, the slope being the median delta: a
 * cadence jittering around its grid); write its head (x[0], and the first delta or the slope) whole; then
 * the residuals relative to their median c, divided by their greatest common divisor g (fan speeds in
 * 120-rpm steps become ±1), zig-zagged and Rice-coded with the parameter k that minimises the total
 * (q = zz >>> k in unary, then k low bits; a quotient of {@link #QMAX} or more escapes to 64 raw bits, so a
 * counter reset costs 88 bits, not a broken chunk), either each value or, when smaller, runs of zeros as
 * Elias-gamma lengths with the non-zero values between them. Residuals all equal (g = 0) cost nothing per
 * value. All arithmetic wraps, so any long round-trips.
 *
 * <p><b>Layout.</b> Mode byte, varint count, [scale byte], then one bit stream: timestamps, then values.
 * Modes 0–4 are the first format (delta-of-delta timestamps in a prefix code, integer deltas or
 * delta-of-deltas in a prefix code, XOR); they are no longer written but still decode, so chunks of an
 * older database stay readable and are rewritten in the new format whenever compaction touches them.
 * The sequence is encoded as given: duplicates and out-of-order timestamps round-trip too.
 */
final class ChunkCodec {

    // format 1 (read only)
    static final int INT_DELTA = 0;
    static final int INT_DOD = 1;
    static final int REAL_XOR = 2;
    static final int REAL_SCALED_DELTA = 3;
    static final int REAL_SCALED_DOD = 4;
    // format 2
    static final int INT = 5;
    static final int REAL_SCALED = 6;
    static final int REAL_BITS = 7;
    static final int REAL_XOR2 = 8;

    /** The order that predicts x[i] as x[0] + i * slope (a steady cadence with jitter around its grid). */
    private static final int LINE = 3;
    /** Unary quotients this long escape to 64 raw bits. */
    static final int QMAX = 24;

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

    // ------------------------------------------------------------------ encoding

    static byte[] encodeLongs(long[] ts, long[] values, int n) {
        BitWriter v = new BitWriter(n);
        writeStream(v, values, n);
        return assemble(INT, -1, n, timestamps(ts, n), v);
    }

    static byte[] encodeDoubles(long[] ts, double[] values, int n) {
        BitWriter best = new BitWriter(n * 8);
        writeXor(best, values, n);
        int mode = REAL_XOR2;
        int scale = decimalScale(values, n);
        if (scale >= 0) {
            long[] scaled = new long[n];
            for (int i = 0; i < n; i++) {
                scaled[i] = Math.round(values[i] * POW10[scale]);
            }
            BitWriter s = new BitWriter(n);
            writeStream(s, scaled, n);
            if (s.bitLength() + 8 < best.bitLength()) {
                best = s;
                mode = REAL_SCALED;
            }
        }
        if (mode != REAL_SCALED) {
            long[] bits = new long[n];
            for (int i = 0; i < n; i++) {
                bits[i] = Double.doubleToRawLongBits(values[i]);
            }
            BitWriter b = new BitWriter(n * 8);
            writeStream(b, bits, n);
            if (b.bitLength() < best.bitLength()) {
                best = b;
                mode = REAL_BITS;
            }
        }
        return assemble(mode, mode == REAL_SCALED ? scale : -1, n, timestamps(ts, n), best);
    }

    private static BitWriter timestamps(long[] ts, int n) {
        BitWriter w = new BitWriter(n);
        writeStream(w, ts, n);
        return w;
    }

    private static byte[] assemble(int mode, int scale, int n, BitWriter ts, BitWriter values) {
        BitWriter w = new BitWriter((int) ((ts.bitLength() + values.bitLength()) / 8 + 16));
        w.write(mode, 8);
        w.varint(n);
        if (scale >= 0) {
            w.write(scale, 8);
        }
        w.append(ts);
        w.append(values);
        return w.toByteArray();
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

    /** How one integer stream is coded; {@code bits} is its exact size. */
    private record Plan(int order, long[] head, long[] residuals, long center, long gcd, int k, boolean runs, long bits) {
    }

    /** Writes the integer stream of x[0..n), the cheapest of its orders and codes. */
    static void writeStream(BitWriter w, long[] x, int n) {
        Plan best = null;
        for (int order = 0; order <= LINE; order++) {
            if (order == LINE && n < 3) {
                continue;
            }
            Plan p = plan(x, n, order);
            if (best == null || p.bits() < best.bits()) {
                best = p;
            }
        }
        w.write(best.order(), 2);
        for (long h : best.head()) {
            writeNbits(w, zigzag(h));
        }
        long[] r = best.residuals();
        if (r.length == 0) {
            return;
        }
        writeNbits(w, zigzag(best.center()));
        writeNbits(w, best.gcd());
        if (best.gcd() == 0) {
            return;
        }
        int k = best.k();
        w.write(k, 6);
        w.bit(best.runs());
        long[] zz = zigzags(r, best.center(), best.gcd());
        if (!best.runs()) {
            for (long z : zz) {
                writeRice(w, z, k);
            }
            return;
        }
        int i = 0;
        while (i < zz.length) {
            int run = 0;
            while (i + run < zz.length && zz[i + run] == 0) {
                run++;
            }
            writeGamma(w, run + 1);
            i += run;
            if (i < zz.length) {
                writeRice(w, zz[i] - 1, k);
                i++;
            }
        }
    }

    private static long[] zigzags(long[] r, long center, long gcd) {
        long[] zz = new long[r.length];
        for (int i = 0; i < r.length; i++) {
            long e = r[i] - center;
            zz[i] = zigzag(gcd == 1 ? e : e / gcd);
        }
        return zz;
    }

    private static void writeRice(BitWriter w, long zz, int k) {
        long q = zz >>> k;
        if (q >= 0 && q < QMAX) {
            w.ones((int) q);
            w.bit(false);
            w.write(zz, k);
        } else {
            w.ones(QMAX);
            w.write(zz, 64);
        }
    }

    private static long riceCost(long zz, int k) {
        long q = zz >>> k;
        return q >= 0 && q < QMAX ? q + 1 + k : QMAX + 64;
    }

    /** Elias gamma of v >= 1 with ones for the length prefix: N ones, a zero, the low N bits of v. */
    private static void writeGamma(BitWriter w, long v) {
        int len = 63 - Long.numberOfLeadingZeros(v);
        w.ones(len);
        w.bit(false);
        w.write(v, len);
    }

    private static long gammaCost(long v) {
        return 2L * (63 - Long.numberOfLeadingZeros(v)) + 1;
    }

    /** The values written whole before the residuals: x0, then the first delta (order 2) or the slope (line). */
    private static long[] head(long[] x, int n, int order) {
        return switch (order) {
            case 0 -> new long[0];
            case 1 -> n == 0 ? new long[0] : new long[] {x[0]};
            case 2 -> n == 0 ? new long[0] : n == 1 ? new long[] {x[0]} : new long[] {x[0], x[1] - x[0]};
            default -> new long[] {x[0], slope(x, n)};
        };
    }

    /** The median step of x, the slope of the line order. */
    private static long slope(long[] x, int n) {
        long[] d = new long[n - 1];
        for (int i = 1; i < n; i++) {
            d[i - 1] = x[i] - x[i - 1];
        }
        Arrays.sort(d);
        return d[d.length / 2];
    }

    private static long[] residuals(long[] x, int n, int order, long[] head) {
        int first = order == LINE ? 1 : order;
        if (n <= first) {
            return new long[0];
        }
        long[] r = new long[n - first];
        for (int i = first; i < n; i++) {
            r[i - first] = switch (order) {
                case 0 -> x[i];
                case 1 -> x[i] - x[i - 1];
                case 2 -> (x[i] - x[i - 1]) - (x[i - 1] - x[i - 2]);
                default -> x[i] - x[0] - i * head[1];
            };
        }
        return r;
    }

    private static Plan plan(long[] x, int n, int order) {
        long[] head = head(x, n, order);
        long[] r = residuals(x, n, order, head);
        long bits = 2;
        for (long h : head) {
            bits += nbitsCost(zigzag(h));
        }
        if (r.length == 0) {
            return new Plan(order, head, r, 0, 0, 0, false, bits);
        }
        long[] sorted = r.clone();
        Arrays.sort(sorted);
        long center = sorted[sorted.length / 2];
        long gcd = 0;
        for (long v : r) {
            long e = v - center;
            if (e == Long.MIN_VALUE) {
                gcd = 1; // |e| does not fit a long; 1 divides everything
                break;
            }
            gcd = gcd(gcd, Math.abs(e));
            if (gcd == 1) {
                break; // nothing to divide out (the common case for noise and counters): stop early
            }
        }
        bits += nbitsCost(zigzag(center)) + nbitsCost(gcd);
        if (gcd == 0) {
            return new Plan(order, head, r, center, 0, 0, false, bits);
        }
        long[] zz = zigzags(r, center, gcd);
        long runBits = 0;
        int run = 0;
        double sum = 0;
        int nonZero = 0;
        for (long z : zz) {
            if (z == 0) {
                run++;
            } else {
                runBits += gammaCost(run + 1);
                run = 0;
                sum += z >= 0 ? z : z + 0x1p64; // unsigned
                nonZero++;
            }
        }
        if (run > 0) {
            runBits += gammaCost(run + 1);
        }
        // the best Rice parameter sits near log2 of the mean (for all values, and for the non-zero ones
        // when zero runs are coded apart): try a few around both rather than all 64
        int kAll = log2(sum / zz.length);
        int kNonZero = nonZero == 0 ? 0 : log2(sum / nonZero);
        long bestCost = Long.MAX_VALUE;
        int bestK = 0;
        boolean bestRuns = false;
        for (int k = Math.max(0, Math.min(kAll, kNonZero) - 3); k <= Math.min(63, Math.max(kAll, kNonZero) + 1); k++) {
            long plain = 0;
            long runs = runBits;
            for (long z : zz) {
                plain += riceCost(z, k);
                if (z != 0) {
                    runs += riceCost(z - 1, k);
                }
            }
            if (plain < bestCost) {
                bestCost = plain;
                bestK = k;
                bestRuns = false;
            }
            if (runs < bestCost) {
                bestCost = runs;
                bestK = k;
                bestRuns = true;
            }
        }
        return new Plan(order, head, r, center, gcd, bestK, bestRuns, bits + 7 + bestCost);
    }

    /** floor(log2(x)) for x >= 1, else 0. */
    private static int log2(double x) {
        return x < 1 ? 0 : Math.getExponent(x);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** A non-negative (unsigned) number as a 7-bit length then that many bits. */
    private static void writeNbits(BitWriter w, long v) {
        int len = 64 - Long.numberOfLeadingZeros(v);
        w.write(len, 7);
        w.write(v, len);
    }

    private static int nbitsCost(long v) {
        return 7 + 64 - Long.numberOfLeadingZeros(v);
    }

    private static void writeXor(BitWriter w, double[] values, int n) {
        if (n == 0) {
            return;
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
    }

    // ------------------------------------------------------------------ decoding

    static Decoded decode(byte[] data) {
        BitReader r = new BitReader(data);
        int mode = (int) r.read(8);
        long count = r.varint();
        if (count < 0 || count > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("chunk is corrupt: count " + count);
        }
        int n = (int) count;
        int scale = mode == REAL_SCALED_DELTA || mode == REAL_SCALED_DOD || mode == REAL_SCALED ? (int) r.read(8) : -1;
        if (scale > MAX_SCALE) {
            throw new IllegalStateException("chunk is corrupt: scale " + scale);
        }
        long[] ts = mode >= INT ? readStream(r, n) : readTimestampsV1(r, n);
        return switch (mode) {
            case INT_DELTA, INT_DOD -> new Decoded(ts, readIntsV1(r, n, mode == INT_DOD), null);
            case INT -> new Decoded(ts, readStream(r, n), null);
            case REAL_SCALED_DELTA, REAL_SCALED_DOD, REAL_SCALED -> {
                long[] scaled = mode == REAL_SCALED ? readStream(r, n) : readIntsV1(r, n, mode == REAL_SCALED_DOD);
                double p = POW10[scale];
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = scaled[i] / p;
                }
                yield new Decoded(ts, null, d);
            }
            case REAL_BITS -> {
                long[] bits = readStream(r, n);
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = Double.longBitsToDouble(bits[i]);
                }
                yield new Decoded(ts, null, d);
            }
            case REAL_XOR, REAL_XOR2 -> new Decoded(ts, null, readXor(r, n));
            default -> throw new IllegalStateException("chunk is corrupt: unknown mode " + mode);
        };
    }

    static long[] readStream(BitReader r, int n) {
        long[] x = new long[n];
        if (n == 0) {
            return x;
        }
        int order = (int) r.read(2);
        int headSize = order == 0 ? 0 : order == 1 ? 1 : Math.min(n, 2);
        long[] head = new long[headSize];
        for (int i = 0; i < headSize; i++) {
            head[i] = unzigzag(readNbits(r));
        }
        int first = order == LINE ? 1 : order;
        if (headSize > 0) {
            x[0] = head[0];
        }
        if (order == 2 && n > 1) {
            x[1] = x[0] + head[1];
        }
        if (n <= first) {
            return x;
        }
        long[] res = readResiduals(r, n - first);
        long prevDelta = order == 2 ? head[1] : 0;
        for (int i = first; i < n; i++) {
            long v = res[i - first];
            switch (order) {
                case 0 -> x[i] = v;
                case 1 -> x[i] = x[i - 1] + v;
                case 2 -> {
                    prevDelta += v;
                    x[i] = x[i - 1] + prevDelta;
                }
                default -> x[i] = x[0] + i * head[1] + v;
            }
        }
        return x;
    }

    private static long[] readResiduals(BitReader r, int m) {
        long center = unzigzag(readNbits(r));
        long gcd = readNbits(r);
        long[] res = new long[m];
        if (gcd == 0) {
            Arrays.fill(res, center);
            return res;
        }
        int k = (int) r.read(6);
        boolean runs = r.bit();
        int i = 0;
        while (i < m) {
            if (runs) {
                long run = readGamma(r) - 1;
                if (run > m - i) {
                    throw new IllegalStateException("chunk is corrupt: a run of " + run + " past the end");
                }
                for (long j = 0; j < run; j++) {
                    res[i++] = center;
                }
                if (i == m) {
                    break;
                }
            }
            long zz = readRice(r, k) + (runs ? 1 : 0);
            res[i++] = center + unzigzag(zz) * gcd;
        }
        return res;
    }

    private static long readRice(BitReader r, int k) {
        int q = r.ones(QMAX);
        return q == QMAX ? r.read(64) : ((long) q << k) | r.read(k);
    }

    private static long readGamma(BitReader r) {
        int len = r.ones(56);
        if (len >= 56) {
            throw new IllegalStateException("chunk is corrupt: run length prefix of " + len + " bits");
        }
        return (1L << len) | r.read(len);
    }

    private static long readNbits(BitReader r) {
        int len = (int) r.read(7);
        if (len > 64) {
            throw new IllegalStateException("chunk is corrupt: number of " + len + " bits");
        }
        return r.read(len);
    }

    private static long[] readTimestampsV1(BitReader r, int n) {
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

    private static long[] readIntsV1(BitReader r, int n, boolean dod) {
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
