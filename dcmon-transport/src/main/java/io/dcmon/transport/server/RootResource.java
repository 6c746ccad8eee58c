package io.dcmon.transport.server;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * {@code GET /}: a browser pointed at the server lands on the dashboard. The answer is a bare redirect to
 * {@code ui/} (relative, so it works under any context path) and says nothing else: no body, no cookie, nothing
 * about the server; the dashboard then asks for a login as usual.
 */
@Path("/")
public final class RootResource {

    /** Redirects to the dashboard (303 See Other). */
    @GET
    @Access(Access.Role.ANONYMOUS)
    public Response root() {
        return Response.seeOther(URI.create("ui/")).build();
    }
}
