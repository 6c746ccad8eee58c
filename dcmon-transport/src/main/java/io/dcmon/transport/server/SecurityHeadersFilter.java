package io.dcmon.transport.server;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * Browser hardening on every answer, the refusals included: a Content-Security-Policy without inline scripts,
 * no MIME sniffing, no framing, no referrer, and no caching of anything but the dashboard's static files.
 */
final class SecurityHeadersFilter implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext req, ContainerResponseContext resp) {
        MultivaluedMap<String, Object> h = resp.getHeaders();
        h.putSingle("Content-Security-Policy", Dashboard.CSP);
        h.putSingle("X-Content-Type-Options", "nosniff");
        h.putSingle("X-Frame-Options", "DENY");
        h.putSingle("Referrer-Policy", "no-referrer");
        if (!h.containsKey(HttpHeaders.CACHE_CONTROL)) {
            h.putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
