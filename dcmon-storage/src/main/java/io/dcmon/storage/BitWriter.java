package io.dcmon.storage;

import java.util.Arrays;

/** Appends bits most-significant first into a growing byte array. Not thread-safe. */
final class BitWriter {

    private byte[] buf;
    private int bytes;
    private long acc;     // pending bits, right-aligned
    private int accBits;  // how many bits acc holds (< 8 between calls)

    BitWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /** Writes the low {@code n} bits of {@code value}, 0 <= n <= 64. */
    void write(long value, int n) {
        if (n > 32) {
            write(value >>> 32, n - 32);
            write(value, 32);
            return;
        }
        if (n == 0) {
            return;
        }
        long masked = value & ((1L << n) - 1);
        acc = (acc << n) | masked;
        accBits += n;
        while (accBits >= 8) {
            accBits -= 8;
            put((byte) (acc >>> accBits));
        }
        acc &= (1L << accBits) - 1;
    }

    void bit(boolean b) {
        write(b ? 1 : 0, 1);
    }

    /** Writes {@code count} one bits (a unary prefix). */
    void ones(int count) {
        int left = count;
        while (left > 0) {
            int n = Math.min(left, 32);
            write(-1L, n);
            left -= n;
        }
    }

    /** Writes whole bytes (byte-aligned callers only use this before any bits). */
    void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            write((v & 0x7F) | 0x80, 8);
            v >>>= 7;
        }
        write(v, 8);
    }

    /** Bits written so far. */
    long bitLength() {
        return bytes * 8L + accBits;
    }

    /** Appends every bit {@code other} holds (which stays as it is). */
    void append(BitWriter other) {
        for (int i = 0; i < other.bytes; i++) {
            write(other.buf[i], 8);
        }
        write(other.acc, other.accBits);
    }

    private void put(byte b) {
        if (bytes == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[bytes++] = b;
    }

    /** The bits written, the last byte padded with zeros. */
    byte[] toByteArray() {
        if (accBits > 0) {
            put((byte) (acc << (8 - accBits)));
            accBits = 0;
            acc = 0;
        }
        return Arrays.copyOf(buf, bytes);
    }
}
