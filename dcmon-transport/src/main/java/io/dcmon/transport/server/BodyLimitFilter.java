package io.dcmon.transport.server;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.Locale;

/**
 * Bounds every request body twice: the bytes on the wire, and (for {@code Content-Encoding: gzip}) the bytes
 * after inflation. Both limits are enforced while the body is read, so a chunked upload or a gzip bomb is cut
 * off at the limit instead of being buffered or inflated in full. Other content codings are refused with 415.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION + 100)
final class BodyLimitFilter implements ContainerRequestFilter {

    private final long maxBodyBytes;
    private final long maxInflatedBytes;

    BodyLimitFilter(long maxBodyBytes, long maxInflatedBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxInflatedBytes = maxInflatedBytes;
    }

    @Override
    public void filter(ContainerRequestContext req) {
        int length = req.getLength();
        if (length > maxBodyBytes) {
            if (length - maxBodyBytes <= LimitedInputStream.SWALLOW_BYTES) {
                // read the body so that closing does not reset the connection under the 413 (see LimitedInputStream)
                LimitedInputStream.drain(req.getEntityStream(), length);
            }
            req.abortWith(Errors.response(413, "request body has " + length + " bytes; the limit is " + maxBodyBytes
                    + " bytes: send smaller batches"));
            return;
        }
        String encoding = req.getHeaderString(HttpHeaders.CONTENT_ENCODING);
        String coding = encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
        switch (coding) {
            case "", "identity" -> req.setEntityStream(
                    new LimitedInputStream(req.getEntityStream(), maxBodyBytes, LimitedInputStream.SWALLOW_BYTES, "request body"));
            case "gzip", "x-gzip" -> {
                req.setEntityStream(new GzipBodyStream(
                        new LimitedInputStream(req.getEntityStream(), maxBodyBytes, LimitedInputStream.SWALLOW_BYTES,
                                "compressed request body"),
                        maxInflatedBytes));
                // the body is decoded here; nothing after this filter may decode it again
                req.getHeaders().remove(HttpHeaders.CONTENT_ENCODING);
            }
            default -> req.abortWith(Errors.response(415, "Content-Encoding '" + encoding
                    + "' is not supported; send the body as gzip or uncompressed"));
        }
    }
}
