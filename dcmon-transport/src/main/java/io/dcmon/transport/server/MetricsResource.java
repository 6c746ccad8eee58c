package io.dcmon.transport.server;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.Point;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.port.Aggregation;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.RejectedException;
import io.dcmon.transport.wire.MetricsBatch;
import io.dcmon.transport.wire.MetricsResponse;
import io.dcmon.transport.wire.PointView;
import io.dcmon.transport.wire.SeriesResponse;
import io.dcmon.transport.wire.SeriesView;
import io.dcmon.transport.wire.WireSample;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code POST /api/metrics} (client: push a batch) and {@code GET /api/metrics} (admin: read a range).
 *
 * <p>Query parameters of the GET: {@code metric} (required), {@code client_id}, {@code label=name:value}
 * (repeatable, exact match), {@code match} (repeatable Prometheus label matcher: {@code name=value},
 * {@code name!=value}, {@code name=~regex}, {@code name!~regex}; see {@link SeriesResource}), {@code from}/{@code to} in Unix <em>seconds</em> or {@code from_ms}/{@code to_ms}
 * in epoch milliseconds (not both forms for one end; default: the last hour up to now), {@code limit}
 * points per series (newest kept; default 10000, at most 100000).
 * With {@code step} (seconds) the store downsamples: one point per step, made by {@code agg} = {@code avg}
 * (default), {@code min}, {@code max}, {@code last}, {@code count}, or {@code rate} (per-second increase of a
 * counter, resets handled), so a 7-day chart asks for {@code step=600} and gets about a thousand points.
 */
@Singleton
@Path("/api/metrics")
@Produces(MediaType.APPLICATION_JSON)
public final class MetricsResource {

    /** Largest {@code limit} accepted by the range query. */
    static final int MAX_LIMIT = 100_000;
    /** Default range when no start is given. */
    static final long DEFAULT_RANGE_MS = 3_600_000L;

    private final ApiContext api;

    @Inject
    MetricsResource(ApiContext api) {
        this.api = api;
    }

    /**
     * Stores a batch. Samples that are invalid on their own (bad name or labels, stamped too far in the future)
     * are listed in the answer and the rest is stored; a batch where every sample is bad is a 400.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Access.Role.CLIENT)
    public MetricsResponse push(MetricsBatch batch, @Context ContainerRequestContext req) {
        if (batch == null) {
            throw RejectedException.invalid("the request body is empty; send {\"samples\":[...]}");
        }
        Client client = ((Caller) req.getProperty(Caller.PROPERTY)).client();
        List<WireSample> in = batch.samples();
        if (in.size() > IngestService.MAX_BATCH) {
            throw RejectedException.invalid("batch has " + in.size() + " samples; the limit is "
                    + IngestService.MAX_BATCH + ": split it into smaller batches");
        }
        long latest = api.services().clock().millis() + IngestService.MAX_FUTURE.toMillis();
        List<Sample> ok = new ArrayList<>(in.size());
        List<MetricsResponse.Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            WireSample w = in.get(i);
            try {
                if (w == null) {
                    throw new IllegalArgumentException("sample is null");
                }
                Sample s = w.toCore();
                if (s.timestampMs() > latest) {
                    throw new IllegalArgumentException("ts_ms " + s.timestampMs() + " is more than "
                            + IngestService.MAX_FUTURE.toSeconds() + " s in the future: check the agent's clock");
                }
                ok.add(s);
            } catch (IllegalArgumentException | NullPointerException e) {
                rejected.add(new MetricsResponse.Rejected(i, Errors.clean(e.getMessage())));
            }
        }
        if (ok.isEmpty() && !rejected.isEmpty()) {
            MetricsResponse.Rejected first = rejected.get(0);
            throw RejectedException.invalid("all " + rejected.size() + " samples were refused; sample "
                    + first.index() + ": " + first.error());
        }
        IngestService.IngestResult r = api.services().ingest().ingest(client, ok);
        api.ingest().batches.increment();
        api.ingest().received.add(in.size());
        api.ingest().stored.add(r.stored());
        api.ingest().refused.add(rejected.size());
        if (r.stored() > 0) {
            // a batch stored before (an agent replaying a push whose answer it lost) was forwarded then: sending it
            // again only earns a refusal (Prometheus answers 400 "out of order sample"). Agents replay whole batches,
            // so a batch is new or old as a whole; a partly new one is sent whole.
            forward(client, ok);
        }
        return new MetricsResponse(in.size(), r.stored(), rejected);
    }

    /** Hands the accepted batch to the remote-write forwarder, which queues it; a failure there never fails the push. */
    private void forward(Client client, List<Sample> samples) {
        PrometheusHooks.BatchListener forwarder = api.services().prometheus().forwarder();
        if (forwarder == null || samples.isEmpty()) {
            return;
        }
        try {
            forwarder.accepted(client, samples);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(MetricsResource.class)
                    .warn("dcmon-api: the remote-write forwarder failed on a batch of client {}; the batch is stored", client.id(), e);
        }
    }

    /** Reads one metric's series over a time range. */
    @GET
    @Access(Access.Role.ADMIN)
    public SeriesResponse query(@QueryParam("metric") String metric,
                                @QueryParam("client_id") String clientId,
                                @QueryParam("label") List<String> labels,
                                @QueryParam("match") List<String> match,
                                @QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("from_ms") String fromMs, @QueryParam("to_ms") String toMs,
                                @QueryParam("limit") String limit,
                                @QueryParam("step") String step, @QueryParam("agg") String agg) {
        if (metric == null || metric.isBlank()) {
            throw RejectedException.invalid("query parameter 'metric' is required, e.g. ?metric=node_load1");
        }
        long now = api.services().clock().millis();
        long end = time("to", to, "to_ms", toMs, now);
        long start = time("from", from, "from_ms", fromMs, end - DEFAULT_RANGE_MS);
        if (end < start) {
            throw RejectedException.invalid("the range ends (" + end + " ms) before it starts (" + start + " ms)");
        }
        long max = number("limit", limit, SampleQuery.DEFAULT_LIMIT);
        if (max < 1 || max > MAX_LIMIT) {
            throw RejectedException.invalid("limit was " + max + "; it must be between 1 and " + MAX_LIMIT);
        }
        OptionalLong client = clientId == null ? OptionalLong.empty() : OptionalLong.of(number("client_id", clientId, 0));
        SampleQuery q;
        try {
            q = new SampleQuery(client, metric, labelMap(labels), start, end, (int) max, SeriesResource.matchers(match));
        } catch (IllegalArgumentException e) {
            throw RejectedException.invalid(e.getMessage());
        }
        List<SeriesData> data;
        if (step == null) {
            if (agg != null) {
                throw RejectedException.invalid("agg needs step (seconds per point), e.g. step=60&agg=max");
            }
            data = api.services().query().samples(q);
        } else {
            long stepSeconds = number("step", step, 0);
            if (stepSeconds < 1 || stepSeconds > 31L * 86_400) {
                throw RejectedException.invalid("step was " + stepSeconds + "; it must be between 1 and 2678400 seconds");
            }
            data = api.services().query().samples(q, stepSeconds * 1000, aggregation(agg));
        }
        List<SeriesView> out = new ArrayList<>();
        for (SeriesData d : data) {
            List<PointView> points = new ArrayList<>(d.points().size());
            for (Point p : d.points()) {
                points.add(new PointView(p.timestampMs(), p.value()));
            }
            out.add(new SeriesView(d.clientId(), d.series().metric(), d.series().labels().map(), points));
        }
        return new SeriesResponse(start, end, out);
    }

    /** The aggregation named by {@code agg}; empty for {@code rate}. */
    private static Optional<Aggregation> aggregation(String agg) {
        if (agg == null) {
            return Optional.of(Aggregation.AVG);
        }
        String a = agg.trim().toLowerCase(Locale.ROOT);
        if (a.equals("rate")) {
            return Optional.empty();
        }
        for (Aggregation x : Aggregation.values()) {
            if (x.name().toLowerCase(Locale.ROOT).equals(a)) {
                return Optional.of(x);
            }
        }
        throw RejectedException.invalid("agg was '" + Errors.clean(agg) + "'; use avg, min, max, last, count or rate");
    }

    private static Map<String, String> labelMap(List<String> labels) {
        Map<String, String> m = new LinkedHashMap<>();
        if (labels == null) {
            return m;
        }
        for (String l : labels) {
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw RejectedException.invalid("label filter '" + Errors.clean(l) + "' must be name:value, e.g. label=gpu:0");
            }
            String name = l.substring(0, colon);
            if (m.put(name, l.substring(colon + 1)) != null) {
                throw RejectedException.invalid("label '" + Errors.clean(name) + "' is given twice");
            }
        }
        return m;
    }

    private static long time(String secName, String sec, String msName, String ms, long dflt) {
        if (sec != null && ms != null) {
            throw RejectedException.invalid("give either '" + secName + "' (Unix seconds) or '" + msName
                    + "' (epoch milliseconds), not both");
        }
        if (sec != null) {
            long s = number(secName, sec, 0);
            if (s < 0 || s > Long.MAX_VALUE / 1000) {
                throw RejectedException.invalid(secName + " was " + s + "; it must be Unix seconds, 0 or more");
            }
            return s * 1000;
        }
        if (ms != null) {
            long v = number(msName, ms, 0);
            if (v < 0) {
                throw RejectedException.invalid(msName + " was " + v + "; it must be epoch milliseconds, 0 or more");
            }
            return v;
        }
        return Math.max(0, dflt);
    }

    private static long number(String name, String value, long dflt) {
        if (value == null) {
            return dflt;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw RejectedException.invalid("query parameter '" + name + "' was '" + Errors.clean(value)
                    + "'; it must be an integer");
        }
    }
}
