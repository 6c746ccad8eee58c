package io.dcmon.prometheus;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how to forward accepted batches.
 *
 * @param url           the receiver, e.g. {@code http://prometheus:9090/api/v1/write}; http or https
 * @param authorization the Authorization header value ({@link #basic} or {@link #bearer}), or null for none; never
 *                      printed by {@link #toString()}
 * @param queueSamples  most samples waiting to be sent; a batch that does not fit is dropped and counted, so a slow or
 *                      absent receiver never slows ingest or grows memory
 * @param batchSamples  most samples in one request
 * @param timeout       per request
 * @param minBackoff    first retry delay after a 5xx, a 429 or a connection error; doubles per attempt, with jitter
 * @param maxBackoff    longest retry delay
 */
public record RemoteWriteConfig(URI url, String authorization, int queueSamples, int batchSamples, Duration timeout,
                                Duration minBackoff, Duration maxBackoff) {

    /** Default queue: 100 000 samples (about 400 agent batches of 250 samples), roughly 20 MB at most. */
    public static final int DEFAULT_QUEUE_SAMPLES = 100_000;
    /** Default request size: 2000 samples, as Prometheus's own remote write sends. */
    public static final int DEFAULT_BATCH_SAMPLES = 2_000;

    public RemoteWriteConfig {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("remote write url was '" + url + "' but it must be an http or https URL "
                    + "with a host, e.g. http://prometheus:9090/api/v1/write");
        }
        if (queueSamples < 1 || batchSamples < 1 || batchSamples > queueSamples) {
            throw new IllegalArgumentException("remote write queue was " + queueSamples + " samples and batch " + batchSamples
                    + " but both must be positive and the batch at most the queue");
        }
        positive(timeout, "timeout");
        positive(minBackoff, "minBackoff");
        positive(maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("remote write maxBackoff " + maxBackoff + " is shorter than minBackoff " + minBackoff);
        }
    }

    /** Defaults for {@code url}: no auth, 100 000 queued samples, 2000 per request, 30 s timeout, backoff 500 ms to 30 s. */
    public static RemoteWriteConfig of(URI url) {
        return new RemoteWriteConfig(url, null, DEFAULT_QUEUE_SAMPLES, DEFAULT_BATCH_SAMPLES, Duration.ofSeconds(30),
                Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** A copy sending this Authorization header value. */
    public RemoteWriteConfig withAuthorization(String header) {
        return new RemoteWriteConfig(url, header, queueSamples, batchSamples, timeout, minBackoff, maxBackoff);
    }

    /** A copy with other queue and request sizes. */
    public RemoteWriteConfig withSizes(int queue, int batch) {
        return new RemoteWriteConfig(url, authorization, queue, batch, timeout, minBackoff, maxBackoff);
    }

    /** A copy with another timeout and backoff range. */
    public RemoteWriteConfig withTiming(Duration requestTimeout, Duration min, Duration max) {
        return new RemoteWriteConfig(url, authorization, queueSamples, batchSamples, requestTimeout, min, max);
    }

    /** The Authorization value of HTTP basic auth. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The Authorization value of a bearer token. */
    public static String bearer(String token) {
        return "Bearer " + token.strip();
    }

    @Override
    public String toString() {
        return "RemoteWriteConfig[url=" + url + ", authorization=" + (authorization == null ? "none" : "(set)")
                + ", queueSamples=" + queueSamples + ", batchSamples=" + batchSamples + ", timeout=" + timeout
                + ", minBackoff=" + minBackoff + ", maxBackoff=" + maxBackoff + "]";
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("remote write " + name + " was " + d + " but it must be positive");
        }
    }
}
