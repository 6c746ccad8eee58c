package io.dcmon.transport.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes at most {@code limit} bytes through; reading past it throws a 413 {@link BodyRejectedException}.
 *
 * <p>Before throwing, a stream over the raw request body reads and discards up to {@code swallow} more bytes. A server
 * that answers and closes while the client is still sending makes the kernel reset the connection, and the reset can
 * destroy the 413 before the client reads it; the client then sees "connection reset" instead of the reason. Draining
 * a bounded remainder (Tomcat's {@code maxSwallowSize} does the same) lets a moderately oversized upload get its answer,
 * while a huge one still costs at most {@code swallow} bytes of reading.
 */
final class LimitedInputStream extends FilterInputStream {

    /** The most a raw body stream discards after its limit, so that the client can read the 413. */
    static final long SWALLOW_BYTES = 2L << 20;

    private final long limit;
    private final long swallow;
    private final String what;
    private long count;

    LimitedInputStream(InputStream in, long limit, String what) {
        this(in, limit, 0, what);
    }

    LimitedInputStream(InputStream in, long limit, long swallow, String what) {
        super(in);
        this.limit = limit;
        this.swallow = swallow;
        this.what = what;
    }

    /** Reads and discards at most {@code max} bytes of {@code in}; reports nothing, since the caller is refusing anyway. */
    static void drain(InputStream in, long max) {
        byte[] buf = new byte[8192];
        long left = max;
        try {
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException ignored) {
            // the client went away or the body was malformed: the connection closes either way
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            count(skipped);
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void count(long n) throws BodyRejectedException {
        count += n;
        if (count > limit) {
            drain(in, swallow);
            throw new BodyRejectedException(413, what + " is larger than the limit of " + limit
                    + " bytes: send smaller batches");
        }
    }
}
