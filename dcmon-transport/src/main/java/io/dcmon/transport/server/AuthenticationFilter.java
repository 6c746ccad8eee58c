package io.dcmon.transport.server;

import io.dcmon.core.model.Client;
import io.dcmon.core.service.ClientAuthenticator;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves the credentials of every request before routing, so nothing (not even a 404) answers without them.
 * Credentials are a bearer token (admin, client or the Prometheus scrape token) or, without an Authorization header, the dashboard's session
 * cookie, which counts as the admin; a state-changing request made with the cookie must carry the session's CSRF
 * token. Missing, malformed and unknown tokens get 401 and are audited, except that the dashboard's pages answer
 * a visitor without a session with the login page (401 too), and the login page and static files are let through
 * as anonymous. An address with too many failures gets 429 with Retry-After before its token is even looked at.
 * What a known caller may do is {@link AuthorizationFilter}'s decision.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class AuthenticationFilter implements ContainerRequestFilter {

    private static final String BEARER = "bearer ";
    /** Methods that never change state, so they need no CSRF token. */
    private static final Set<String> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final ClientAuthenticator auth;
    private final TokenCache tokens;
    private final AuthThrottle throttle;
    private final AuditLog audit;
    private final DashboardSessions sessions;
    private final PrometheusHooks prometheus;

    @Context
    private HttpServletRequest servletRequest;

    AuthenticationFilter(ClientAuthenticator auth, TokenCache tokens, AuthThrottle throttle, AuditLog audit,
                         DashboardSessions sessions, PrometheusHooks prometheus) {
        this.auth = auth;
        this.prometheus = prometheus;
        this.sessions = sessions;
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
            String path = req.getUriInfo().getPath();
            if (Dashboard.anonymousPath(path) || (Dashboard.rootPath(path) && HttpMethod.GET.equals(req.getMethod()))) {
                // the login page and static files: no session needed, and a stale cookie must not get in the way
                req.setProperty(Caller.PROPERTY, Caller.anonymous());
                return;
            }
            Cookie cookie = req.getCookies().get(Dashboard.SESSION_COOKIE);
            Optional<DashboardSessions.Session> session = cookie == null ? Optional.empty() : sessions.find(cookie.getValue());
            if (session.isPresent()) {
                if (!SAFE_METHODS.contains(req.getMethod())
                        && !DashboardResource.csrfMatches(req.getHeaderString(Dashboard.CSRF_HEADER), session.get())) {
                    audit.record("csrf_refused", AuditLog.fields("address", address, "method", req.getMethod(),
                            "path", Errors.clean(req.getUriInfo().getRequestUri().getRawPath())));
                    req.abortWith(Errors.response(403, "this request changes state and needs the session's CSRF token in the "
                            + Dashboard.CSRF_HEADER + " header; reload the dashboard page"));
                    return;
                }
                req.setProperty(Caller.PROPERTY, Caller.admin(session.get()));
                return;
            }
            if (Dashboard.pagePath(path) && HttpMethod.GET.equals(req.getMethod())) {
                // a browser without a (live) session: show the login form in place; after login the page reloads
                req.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"dcmon\"")
                        .entity(Dashboard.page("login.html")).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).build());
                return;
            }
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
        if (prometheus.isScrapeToken(token)) {
            req.setProperty(Caller.PROPERTY, Caller.scrape());
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
