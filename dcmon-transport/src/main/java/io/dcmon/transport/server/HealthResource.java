package io.dcmon.transport.server;

import io.dcmon.transport.wire.HealthView;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** {@code GET /health} (admin): whether the database answers, and uptime. 503 when degraded. */
@Singleton
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {

    private static final Logger log = LoggerFactory.getLogger(HealthResource.class);

    private final ApiContext api;

    @Inject
    HealthResource(ApiContext api) {
        this.api = api;
    }

    /** Health of the server and its database. */
    @GET
    @Access(Access.Role.ADMIN)
    public Response health() {
        long uptime = Duration.between(api.startedAt(), api.services().clock().instant()).toSeconds();
        try {
            int clients = api.services().query().clients().size();
            var stats = api.services().query().storeStats();
            return Response.ok(new HealthView("ok", "ok", clients, uptime,
                    stats.map(s -> s.writeQueueDepth()).orElse(null), stats.map(s -> s.writeQueueCapacity()).orElse(null))).build();
        } catch (RuntimeException e) {
            log.warn("dcmon-api: health check could not read the database", e);
            return Response.status(503).entity(new HealthView("degraded",
                    "database unreachable: " + e.getClass().getSimpleName(), -1, uptime, null, null)).build();
        }
    }
}
