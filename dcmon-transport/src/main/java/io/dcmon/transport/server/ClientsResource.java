package io.dcmon.transport.server;

import io.dcmon.core.model.Client;
import io.dcmon.transport.wire.ClientInfo;
import io.dcmon.transport.wire.ClientView;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Client routes: list and revoke (admin), verify (client). */
@Singleton
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public final class ClientsResource {

    private final ApiContext api;

    @Inject
    ClientsResource(ApiContext api) {
        this.api = api;
    }

    /** Every registered client with its online/stale/offline status. */
    @GET
    @Path("clients")
    @Access(Access.Role.ADMIN)
    public List<ClientView> clients() {
        Instant now = api.services().clock().instant();
        Duration interval = api.services().options().clientInterval();
        return api.services().query().clients().stream().map(c -> view(c, now, interval)).toList();
    }

    /** Revokes a client: its token stops working at once and its waiting poll is released. 204, or 404. */
    @DELETE
    @Path("clients/{client_id}")
    @Access(Access.Role.ADMIN)
    public Response revoke(@PathParam("client_id") String idText) {
        long id = Params.longValue("client_id", idText);
        if (api.services().clients() == null) {
            throw new WebApplicationException(Errors.response(503,
                    "revocation is not enabled on this server: it was created without a client store"));
        }
        if (api.services().clients().find(id).isEmpty() || !api.services().clients().revoke(id)) {
            throw ApiContext.notFound("client " + id + " is not registered (or was already revoked)");
        }
        api.tokens().invalidateClient(id);
        if (api.commands() != null) {
            api.commands().waiters.release(id);
        }
        api.audit().record("revoke", AuditLog.fields("client_id", id, "by", "admin"));
        return Response.noContent().build();
    }

    /** Who the presented client token belongs to (install scripts check a token with it). */
    @GET
    @Path("client/verify")
    @Access(Access.Role.CLIENT)
    public ClientInfo verify(@Context ContainerRequestContext req) {
        Client c = ((Caller) req.getProperty(Caller.PROPERTY)).client();
        return new ClientInfo(c.id(), c.hostname());
    }

    static ClientView view(Client c, Instant now, Duration interval) {
        return new ClientView(c.id(), c.hostname(), c.machineId(), c.keyFingerprint(), c.hardware(),
                c.registeredAt().getEpochSecond(), c.lastSeen() == null ? null : c.lastSeen().getEpochSecond(),
                ClientStatus.of(c.lastSeen(), now, interval).wire());
    }
}
