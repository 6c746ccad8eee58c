package io.dcmon.transport.server;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip for {@link Gzipped} methods, only those: the response filter decides (a successful answer with a body, to a
 * request whose {@code Accept-Encoding} takes gzip) and marks the request; the writer interceptor then deflates the
 * entity as Jackson streams it. Every answer of such a method says {@code Vary: Accept-Encoding} so caches keep the
 * two forms apart. Jetty's own GzipHandler is not used because it would compress every route, the long-polls and
 * the Prometheus endpoint included.
 */
@Gzipped
final class GzipResponses implements ContainerResponseFilter, WriterInterceptor {

    /** The request property that tells the interceptor to compress. */
    private static final String PROPERTY = "io.dcmon.transport.gzip";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().add(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        if (response.hasEntity() && response.getStatus() == 200
                && acceptsGzip(request.getHeaderString(HttpHeaders.ACCEPT_ENCODING))) {
            request.setProperty(PROPERTY, Boolean.TRUE);
            response.getHeaders().putSingle(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (!Boolean.TRUE.equals(context.getProperty(PROPERTY))) {
            context.proceed();
            return;
        }
        FastGzip gzip = new FastGzip(context.getOutputStream());
        context.setOutputStream(gzip);
        context.proceed();
        gzip.finish();
    }

    /**
     * Whether an {@code Accept-Encoding} value takes gzip: a {@code gzip} or {@code *} coding whose quality is not
     * zero (RFC 9110 section 12.5.3); a malformed quality counts as a refusal.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] params = part.split(";");
            String coding = params[0].trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                continue;
            }
            double q = 1;
            for (int i = 1; i < params.length; i++) {
                String p = params[i].trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2).trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (q > 0) {
                return true;
            }
        }
        return false;
    }

    /** Gzip at the fastest level: the JSON is repetitive, so level 1 keeps most of the gain for a fraction of the CPU. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 8192);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
