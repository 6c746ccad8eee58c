package io.dcmon.transport.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Inflates a gzip request body lazily (the header is read on first use, not in the filter), stops with a 413
 * once the inflated size passes the limit, and turns corrupt or truncated gzip into a 400.
 */
final class GzipBodyStream extends InputStream {

    private final InputStream raw;
    private final long maxInflated;
    private InputStream inflated;

    GzipBodyStream(InputStream raw, long maxInflated) {
        this.raw = raw;
        this.maxInflated = maxInflated;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return stream().read(b, off, len);
        } catch (BodyRejectedException e) {
            // the compressed rest is still on its way: read it so that the 413 is not lost in a connection reset (see
            // LimitedInputStream); raw stops at the wire limit, so this costs no more than an accepted body
            LimitedInputStream.drain(raw, Long.MAX_VALUE);
            throw e;
        } catch (ZipException | EOFException e) {
            LimitedInputStream.drain(raw, Long.MAX_VALUE);
            throw new BodyRejectedException(400, "request body is not valid gzip (" + e.getMessage()
                    + "); send Content-Encoding: gzip only with a complete gzip stream");
        }
    }

    @Override
    public void close() throws IOException {
        if (inflated != null) {
            inflated.close();
        } else {
            raw.close();
        }
    }

    private InputStream stream() throws IOException {
        if (inflated == null) {
            inflated = new LimitedInputStream(new GZIPInputStream(raw, 8192), maxInflated, "decompressed request body");
        }
        return inflated;
    }
}
