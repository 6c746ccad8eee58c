package io.dcmon.transport.server;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/prometheus/metrics} (scrape token only): every client's latest samples in the Prometheus text
 * format, so one Prometheus job scrapes the whole fleet. The admin and client tokens get 403 here (see
 * {@link PrometheusHooks}); without a configured exposition the route answers 404.
 */
@Singleton
@Path("/api/prometheus/metrics")
public final class PrometheusResource {

    /** The content type of the Prometheus text format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ApiContext api;

    @Inject
    PrometheusResource(ApiContext api) {
        this.api = api;
    }

    /** The scrape body. */
    @GET
    @Access(Access.Role.SCRAPE)
    public Response scrape() {
        PrometheusHooks.Exposition exposition = api.services().prometheus().exposition();
        if (exposition == null) {
            return Errors.response(404, "the Prometheus exposition is not enabled on this server; "
                    + "set prometheus.scrape_token_file in the server configuration");
        }
        return Response.ok(exposition.render()).header("Content-Type", CONTENT_TYPE).build();
    }
}
