package io.dcmon.simulator;

import com.fasterxml.jackson.databind.ObjectReader;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.MetricsResponse;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends pre-encoded {@code POST /api/metrics} bodies asynchronously with Jetty's HTTP client: one selector and a
 * small thread pool carry every push in flight (HTTP/1.1 over kept-alive connections, as the agent sends them;
 * headers as {@code DcmonClient.push} sets them). Chosen over the JDK client for the push path because it costs
 * several times less CPU per request, and every core the simulator spends is taken from the server under test.
 */
final class AsyncPusher implements AutoCloseable {

    /** Seconds one push may take before it counts as unanswered (the agent's own request timeout). */
    static final long REQUEST_TIMEOUT_SECONDS = 30;

    private final URI metrics;
    private final HttpClient http;
    private final ObjectReader reader = Json.mapper().readerFor(MetricsResponse.class);

    /** What one push came back with: a response (status 200), or the error kind and a message. */
    record Outcome(MetricsResponse response, String errorKind, String message) {
        boolean ok() {
            return response != null;
        }
    }

    /**
     * @param server      the server's base URI
     * @param threads     threads of the client's pool (one runs the selector)
     * @param connections connections to the server at most (pushes in flight)
     */
    AsyncPusher(URI server, int threads, int connections) throws Exception {
        this.metrics = server.resolve("api/metrics");
        QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(2, threads));
        pool.setName("sim-http");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(1);
        this.http = new HttpClient(transport);
        http.setExecutor(pool);
        http.setMaxConnectionsPerDestination(connections);
        http.setMaxRequestsQueuedPerDestination(Math.max(1024, connections * 4));
        http.setConnectTimeout(10_000);
        http.setUserAgentField(null);
        http.setFollowRedirects(false);
        http.start();
    }

    /**
     * Sends one gzip body.
     *
     * @param authorization the agent's {@code Bearer ...} header value
     * @param what          error kind prefix ({@code push} or {@code first_push})
     * @return the outcome; never completes exceptionally
     */
    CompletableFuture<Outcome> push(byte[] gzipBody, String authorization, String what) {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        http.newRequest(metrics).method(HttpMethod.POST)
                .headers(h -> h.put("Accept", "application/json").put("Authorization", authorization).put("Content-Encoding", "gzip"))
                .body(new BytesRequestContent("application/json", gzipBody))
                .timeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .send(new BufferingResponseListener(1 << 20) {
                    @Override
                    public void onComplete(Result result) {
                        f.complete(outcome(result, getContent(), what));
                    }
                });
        return f;
    }

    private Outcome outcome(Result result, byte[] body, String what) {
        if (result.isFailed()) {
            Throwable cause = result.getFailure();
            if (cause instanceof TimeoutException || cause instanceof IOException) {
                return new Outcome(null, what + "_no_answer", cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
            return new Outcome(null, what + "_" + cause.getClass().getSimpleName(), String.valueOf(cause.getMessage()));
        }
        int status = result.getResponse().getStatus();
        if (status != 200) {
            return new Outcome(null, what + "_http_" + status, new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            return new Outcome(reader.readValue(body), null, null);
        } catch (IOException e) {
            return new Outcome(null, what + "_bad_answer", e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // stopping at the end of a run: nothing is left to report to
        }
    }
}
