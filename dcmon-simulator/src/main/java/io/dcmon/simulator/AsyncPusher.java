package io.dcmon.simulator;

import com.fasterxml.jackson.databind.ObjectReader;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.MetricsResponse;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends pre-encoded {@code POST /api/metrics} bodies with the JDK HTTP client's asynchronous API: one selector
 * thread plus a small executor for the completions carry every push in flight, instead of a thread per
 * push. HTTP/1.1 over kept-alive connections, as the agent sends them; headers as {@code DcmonClient.push} sets
 * them.
 */
final class AsyncPusher implements AutoCloseable {

    /** How long one push may take before it counts as unanswered (the agent's own request timeout). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI metrics;
    private final ExecutorService executor;
    private final HttpClient http;
    private final ObjectReader reader = Json.mapper().readerFor(MetricsResponse.class);

    /** What one push came back with: a response (status 200), or the error kind and a message. */
    record Outcome(MetricsResponse response, String errorKind, String message) {
        boolean ok() {
            return response != null;
        }
    }

    /**
     * @param server  the server's base URI
     * @param threads threads that complete responses (parse the small JSON answer, record the numbers)
     */
    AsyncPusher(URI server, int threads) {
        this.metrics = server.resolve("api/metrics");
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sim-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(executor).build();
    }

    /**
     * Sends one gzip body.
     *
     * @param authorization the agent's {@code Bearer ...} header value
     * @param what          error kind prefix ({@code push} or {@code first_push})
     * @return the outcome; never completes exceptionally
     */
    CompletableFuture<Outcome> push(byte[] gzipBody, String authorization, String what) {
        HttpRequest req = HttpRequest.newBuilder(metrics)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipBody)).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).handle((resp, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (cause instanceof HttpTimeoutException || cause instanceof ConnectException || cause instanceof IOException) {
                    return new Outcome(null, what + "_no_answer", cause.getClass().getSimpleName() + ": " + cause.getMessage());
                }
                return new Outcome(null, what + "_" + cause.getClass().getSimpleName(), String.valueOf(cause.getMessage()));
            }
            if (resp.statusCode() != 200) {
                return new Outcome(null, what + "_http_" + resp.statusCode(), new String(resp.body(), StandardCharsets.UTF_8));
            }
            try {
                return new Outcome(reader.readValue(resp.body()), null, null);
            } catch (IOException e) {
                return new Outcome(null, what + "_bad_answer", e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
