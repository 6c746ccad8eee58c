package io.dcmon.transport.server;

import io.dcmon.core.model.ClientSeries;
import io.dcmon.core.port.LabelMatcher;
import io.dcmon.core.service.RejectedException;
import io.dcmon.transport.wire.NameList;
import io.dcmon.transport.wire.SeriesList;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Listings for pickers (admin):
 * <ul>
 *   <li>{@code GET /api/series?metric=&client_id=&match=}: the series known to the store, each metric optional;
 *       at most {@link #MAX_SERIES} (then {@code truncated} is true);</li>
 *   <li>{@code GET /api/series/metrics?client_id=}: metric names;</li>
 *   <li>{@code GET /api/series/label-values?metric=&label=&client_id=}: the values one label takes.</li>
 * </ul>
 *
 * <p>{@code match} (repeatable; here and on {@code GET /api/metrics}) is a Prometheus label matcher:
 * {@code name=value}, {@code name!=value}, {@code name=~regex} or {@code name!~regex}, the value optionally in
 * double quotes, URL-encoded, e.g. {@code match=gpu%3D~%220%7C1%22} for {@code gpu=~"0|1"}. Regexes are Java
 * regexes matched against the whole value; a series lacking the label counts as having the empty value.
 * A bad matcher or regex is a 400 that names the {@code match} parameter.
 */
@Singleton
@Path("/api/series")
@Produces(MediaType.APPLICATION_JSON)
public final class SeriesResource {

    /** Most series one listing returns. */
    static final int MAX_SERIES = 10_000;
    /** Most {@code match} parameters per request. */
    static final int MAX_MATCHERS = 32;

    private final ApiContext api;

    @Inject
    SeriesResource(ApiContext api) {
        this.api = api;
    }

    /** The series matching the filters. */
    @GET
    @Access(Access.Role.ADMIN)
    public SeriesList series(@QueryParam("metric") String metric, @QueryParam("client_id") String clientId,
                             @QueryParam("match") List<String> match) {
        List<LabelMatcher> matchers = matchers(match);
        Optional<String> m = metric == null || metric.isBlank() ? Optional.empty() : Optional.of(metric.trim());
        List<ClientSeries> found = api.services().query().series(client(clientId), m, matchers);
        List<SeriesList.Entry> out = new ArrayList<>(Math.min(found.size(), MAX_SERIES));
        for (ClientSeries s : found.subList(0, Math.min(found.size(), MAX_SERIES))) {
            out.add(new SeriesList.Entry(s.clientId(), s.series().metric(), s.series().labels().map()));
        }
        return new SeriesList(out, found.size() > MAX_SERIES);
    }

    /** Metric names, sorted. */
    @GET
    @Path("metrics")
    @Access(Access.Role.ADMIN)
    public NameList metrics(@QueryParam("client_id") String clientId) {
        return new NameList(api.services().query().metrics(client(clientId)));
    }

    /** The values of one label of one metric, sorted. */
    @GET
    @Path("label-values")
    @Access(Access.Role.ADMIN)
    public NameList labelValues(@QueryParam("metric") String metric, @QueryParam("label") String label,
                                @QueryParam("client_id") String clientId) {
        if (metric == null || metric.isBlank()) {
            throw RejectedException.invalid("query parameter 'metric' is required, e.g. ?metric=gpu_temperature_celsius&label=gpu");
        }
        if (label == null || label.isBlank()) {
            throw RejectedException.invalid("query parameter 'label' is required, e.g. ?metric=gpu_temperature_celsius&label=gpu");
        }
        return new NameList(api.services().query().labelValues(metric.trim(), label.trim(), client(clientId)));
    }

    private static OptionalLong client(String clientId) {
        return clientId == null ? OptionalLong.empty() : OptionalLong.of(Params.longValue("client_id", clientId));
    }

    /** Parses the repeatable {@code match} parameter; a 400 naming it when one is malformed or its regex is bad. */
    static List<LabelMatcher> matchers(List<String> match) {
        if (match == null || match.isEmpty()) {
            return List.of();
        }
        if (match.size() > MAX_MATCHERS) {
            throw RejectedException.invalid("query parameter 'match' is given " + match.size() + " times; the limit is "
                    + MAX_MATCHERS);
        }
        List<LabelMatcher> out = new ArrayList<>(match.size());
        for (String m : match) {
            try {
                out.add(LabelMatcher.parse(m.trim()));
            } catch (IllegalArgumentException e) {
                throw RejectedException.invalid("query parameter 'match' was '" + Errors.clean(m) + "': " + Errors.clean(e.getMessage()));
            }
        }
        return out;
    }
}
