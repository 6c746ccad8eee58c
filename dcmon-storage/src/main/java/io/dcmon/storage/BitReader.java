package io.dcmon.storage;

/** Reads bits most-significant first from a byte array written by {@link BitWriter}. Not thread-safe. */
final class BitReader {

    private final byte[] buf;
    private long pos; // bit position

    BitReader(byte[] buf) {
        this.buf = buf;
    }

    /** Reads {@code n} bits, 0 <= n <= 64, as the low bits of the result. */
    long read(int n) {
        if (n > 32) {
            long hi = read(n - 32);
            return (hi << 32) | read(32);
        }
        long v = 0;
        int left = n;
        while (left > 0) {
            int byteIndex = (int) (pos >>> 3);
            if (byteIndex >= buf.length) {
                throw new IllegalStateException("chunk is truncated: needed bit " + pos + " of " + (buf.length * 8L));
            }
            int bitInByte = (int) (pos & 7);
            int avail = 8 - bitInByte;
            int take = Math.min(avail, left);
            int b = buf[byteIndex] & 0xFF;
            int bits = (b >>> (avail - take)) & ((1 << take) - 1);
            v = (v << take) | bits;
            left -= take;
            pos += take;
        }
        return v;
    }

    boolean bit() {
        return read(1) == 1;
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
