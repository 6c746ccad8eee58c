package io.dcmon.transport.server;

import io.dcmon.core.service.Tokens;
import io.dcmon.core.service.RejectedException;
import io.dcmon.transport.wire.LoginRequest;
import io.dcmon.transport.wire.SessionView;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;

/**
 * The web dashboard: pages (fleet, machine), login and logout, and the static files. Pages need a session (a
 * visitor without one gets the login page, with 401); the login page and static files are the only anonymous
 * routes of the whole server. Static files come from this jar only.
 */
@Singleton
@Path("/ui")
public final class DashboardResource {

    private final ApiContext api;

    @Inject
    DashboardResource(ApiContext api) {
        this.api = api;
    }

    /** The fleet view, the dashboard's landing page. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    @Access(Access.Role.ADMIN)
    public Response fleet(@Context UriInfo uri) {
        if (!uri.getRequestUri().getRawPath().endsWith("/")) {
            // the pages link their files relative to /ui/
            return Response.seeOther(URI.create("ui/")).build();
        }
        return page("fleet.html");
    }

    /** One machine: charts, commands, actions ({@code ?id=CLIENT_ID}, read by the page's script). */
    @GET
    @Path("machine")
    @Produces(MediaType.TEXT_HTML)
    @Access(Access.Role.ADMIN)
    public Response machine() {
        return page("machine.html");
    }

    /** The login page. */
    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    @Access(Access.Role.ANONYMOUS)
    public Response loginPage() {
        return page("login.html");
    }

    /**
     * Logs in with the admin token: creates a server-side session and sets its HttpOnly, SameSite=Strict cookie
     * (Secure under TLS). Only JSON is accepted, so a cross-site form cannot post here. A wrong token counts
     * towards the address's authentication-failure limit.
     */
    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Access(Access.Role.ANONYMOUS)
    public Response login(LoginRequest body, @Context HttpServletRequest http, @Context UriInfo uri) {
        String address = http.getRemoteAddr();
        if (body == null || body.token() == null || !api.services().auth().isAdmin(body.token().trim())) {
            int count = api.throttle().failure(address);
            if (count <= api.throttle().limit()) {
                api.audit().record("login_failure", AuditLog.fields("address", address));
            }
            return Errors.unauthorized("the admin token is not valid: use the token from the server's auth_dir");
        }
        DashboardSessions.Session s = api.sessions().create(api.services().clock().instant());
        api.audit().record("login", AuditLog.fields("address", address, "expires_at", s.expiresAt().toString()));
        boolean secure = http.isSecure() || "https".equalsIgnoreCase(uri.getBaseUri().getScheme());
        return Response.ok(new SessionView(s.csrfToken(), s.expiresAt().getEpochSecond()))
                .header(HttpHeaders.SET_COOKIE, cookie(uri, s.id(), api.sessions().ttl().toSeconds(), secure))
                .build();
    }

    /** Ends the session (CSRF token required, as for every state change) and clears the cookie. */
    @POST
    @Path("logout")
    @Access(Access.Role.ADMIN)
    public Response logout(@Context ContainerRequestContext req, @Context HttpServletRequest http, @Context UriInfo uri) {
        DashboardSessions.Session s = ((Caller) req.getProperty(Caller.PROPERTY)).session();
        if (s == null) {
            throw RejectedException.invalid("there is no dashboard session to end: this request used a bearer token");
        }
        api.sessions().invalidate(s);
        api.audit().record("logout", AuditLog.fields("address", http.getRemoteAddr()));
        boolean secure = http.isSecure() || "https".equalsIgnoreCase(uri.getBaseUri().getScheme());
        return Response.noContent().header(HttpHeaders.SET_COOKIE, cookie(uri, "", 0, secure)).build();
    }

    /** The page's own session: its CSRF token and expiry. */
    @GET
    @Path("session")
    @Produces(MediaType.APPLICATION_JSON)
    @Access(Access.Role.ADMIN)
    public SessionView session(@Context ContainerRequestContext req) {
        DashboardSessions.Session s = ((Caller) req.getProperty(Caller.PROPERTY)).session();
        if (s == null) {
            throw RejectedException.invalid("there is no dashboard session: this request used a bearer token");
        }
        return new SessionView(s.csrfToken(), s.expiresAt().getEpochSecond());
    }

    /** A static file of the dashboard (scripts, styles), from the jar. */
    @GET
    @Path("static/{file}")
    @Access(Access.Role.ANONYMOUS)
    public Response asset(@PathParam("file") String file) {
        return file(file, Dashboard.staticFile(file));
    }

    /** uPlot's script and style, from its webjar. */
    @GET
    @Path("static/uplot/{file}")
    @Access(Access.Role.ANONYMOUS)
    public Response uplot(@PathParam("file") String file) {
        return file(file, Dashboard.uplotFile(file));
    }

    private static Response file(String name, byte[] body) {
        if (body == null) {
            throw ApiContext.notFound("no dashboard file named '" + Errors.clean(name) + "'");
        }
        return Response.ok(body, Dashboard.contentType(name)).header(HttpHeaders.CACHE_CONTROL, "no-cache").build();
    }

    static Response page(String name) {
        return Response.ok(Dashboard.page(name), Dashboard.contentType(name)).build();
    }

    private static String cookie(UriInfo uri, String value, long maxAgeSeconds, boolean secure) {
        String path = uri.getBaseUri().getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        return Dashboard.SESSION_COOKIE + "=" + value + "; Path=" + path + "; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    static boolean csrfMatches(String header, DashboardSessions.Session s) {
        return header != null && Tokens.constantTimeEquals(header, s.csrfToken());
    }
}
