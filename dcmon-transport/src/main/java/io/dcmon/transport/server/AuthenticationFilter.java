package io.dcmon.transport.server;

import io.dcmon.core.model.Client;
import io.dcmon.core.service.ClientAuthenticator;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the bearer token of every request before routing, so nothing (not even a 404) answers without
 * credentials. Missing, malformed and unknown tokens get 401 and are audited; an address with too many failures
 * gets 429 with Retry-After before its token is even looked at. What a known caller may do is
 * {@link AuthorizationFilter}'s decision.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class AuthenticationFilter implements ContainerRequestFilter {

    private static final String BEARER = "bearer ";

    private final ClientAuthenticator auth;
    private final TokenCache tokens;
    private final AuthThrottle throttle;
    private final AuditLog audit;

    @Context
    private HttpServletRequest servletRequest;

    AuthenticationFilter(ClientAuthenticator auth, TokenCache tokens, AuthThrottle throttle, AuditLog audit) {
        this.auth = auth;
        this.tokens = tokens;
        this.throttle = throttle;
        this.audit = audit;
    }

    @Override
    public void filter(ContainerRequestContext req) {
        String address = remoteAddress();
        if (throttle.blocked(address)) {
            req.abortWith(Response.status(429)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(throttle.retryAfterSeconds()))
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(io.dcmon.transport.wire.ErrorBody.of("too many failed authentications from " + address
                            + "; retry after " + throttle.retryAfterSeconds() + " s with a valid token"))
                    .build());
            return;
        }
        String header = req.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            refuse(req, address, "missing_token", "no credentials: send 'Authorization: Bearer <token>' "
                    + "with the admin token or a client token");
            return;
        }
        if (header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            refuse(req, address, "not_bearer", "the Authorization header must use the Bearer scheme: "
                    + "'Authorization: Bearer <token>'");
            return;
        }
        String token = header.substring(BEARER.length()).trim();
        if (auth.isAdmin(token)) {
            req.setProperty(Caller.PROPERTY, Caller.admin());
            return;
        }
        Optional<Client> client = tokens.client(token);
        if (client.isEmpty()) {
            refuse(req, address, "invalid_token", "the bearer token is not valid: it is unknown, was revoked, "
                    + "or was replaced when the client registered again; register the agent again to get a new token");
            return;
        }
        req.setProperty(Caller.PROPERTY, Caller.client(client.get()));
    }

    private void refuse(ContainerRequestContext req, String address, String reason, String message) {
        int count = throttle.failure(address);
        if (count <= throttle.limit()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("address", address);
            f.put("reason", reason);
            f.put("method", req.getMethod());
            f.put("path", Errors.clean(req.getUriInfo().getRequestUri().getRawPath()));
            if (count == throttle.limit()) {
                f.put("throttled_for_seconds", throttle.retryAfterSeconds());
            }
            audit.record("auth_failure", f);
        }
        req.abortWith(Errors.unauthorized(message));
    }

    private String remoteAddress() {
        try {
            String a = servletRequest == null ? null : servletRequest.getRemoteAddr();
            return a == null ? "unknown" : a;
        } catch (IllegalStateException e) {
            return "unknown";
        }
    }
}
