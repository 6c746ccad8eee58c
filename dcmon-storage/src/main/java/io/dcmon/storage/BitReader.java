package io.dcmon.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads bits most-significant first from a byte array written by {@link BitWriter}. Each read loads the
 * 64-bit big-endian word at the current byte and shifts the wanted bits out, so a read costs a few
 * instructions instead of a loop per byte (chunk decoding is on the query path). Not thread-safe.
 */
final class BitReader {

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] buf;
    private final long limit; // bits
    private long pos;         // bit position

    BitReader(byte[] buf) {
        this.buf = buf;
        this.limit = buf.length * 8L;
    }

    /** The 64 bits from the byte holding {@code pos}, zero-padded past the end. */
    private long word(int byteIndex) {
        if (byteIndex + 8 <= buf.length) {
            return (long) LONG_BE.get(buf, byteIndex);
        }
        long w = 0;
        for (int i = 0; i < 8; i++) {
            int at = byteIndex + i;
            w = (w << 8) | (at < buf.length ? buf[at] & 0xFF : 0);
        }
        return w;
    }

    private void advance(int n) {
        pos += n;
        if (pos > limit) {
            throw new IllegalStateException("chunk is truncated: needed bit " + pos + " of " + limit);
        }
    }

    /** Reads {@code n} bits, 0 <= n <= 64, as the low bits of the result. */
    long read(int n) {
        if (n == 0) {
            return 0;
        }
        if (n > 56) {
            long hi = read(n - 32);
            return (hi << 32) | read(32);
        }
        int bitInByte = (int) (pos & 7);
        long v = (word((int) (pos >>> 3)) << bitInByte) >>> (64 - n);
        advance(n);
        return v;
    }

    boolean bit() {
        return read(1) == 1;
    }

    /** Reads one bits up to the first zero (consumed) or up to {@code max} ones (max <= 56); returns the ones. */
    int ones(int max) {
        int bitInByte = (int) (pos & 7);
        long w = word((int) (pos >>> 3)) << bitInByte;
        int n = Long.numberOfLeadingZeros(~w);
        if (n >= max) {
            advance(max);
            return max;
        }
        advance(n + 1);
        return n;
    }

    long varint() {
        long v = 0;
        int shift = 0;
        while (true) {
            long b = read(8);
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
            shift += 7;
            if (shift > 63) {
                throw new IllegalStateException("chunk header is corrupt: varint longer than 10 bytes");
            }
        }
    }
}
