package io.dcmon.server.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcmon.core.config.ConfigErrors;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code prometheus:} section of the server configuration.
 *
 * <pre>
 * prometheus:
 *   scrape_token_file: /etc/dcmon-server/auth/scrape_token  # enables GET /api/prometheus/metrics; created (600) if missing
 *   max_age_seconds: 600                                     # series silent longer are not exposed
 *   remote_write:                                            # optional: forward every accepted batch
 *     url: http://prometheus.example:9090/api/v1/write
 *     bearer_token_file: /etc/dcmon-server/auth/rw_token     # or basic_auth_user + basic_auth_password_file
 *     queue_samples: 100000
 *     batch_samples: 2000
 *     timeout_seconds: 30
 * </pre>
 *
 * @param scrapeTokenFile the scrape token's file, or null: the scrape route stays shut
 * @param maxAge          newest point older than this is not exposed
 * @param remoteWrite     forwarding, or null
 */
public record PrometheusSettings(Path scrapeTokenFile, Duration maxAge, RemoteWrite remoteWrite) {

    static final Set<String> KEYS = Set.of("scrape_token_file", "max_age_seconds", "remote_write");
    static final Set<String> REMOTE_WRITE_KEYS = Set.of("url", "bearer_token_file", "basic_auth_user",
            "basic_auth_password_file", "queue_samples", "batch_samples", "timeout_seconds");

    public PrometheusSettings {
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("prometheus.max_age_seconds was " + (maxAge == null ? null : maxAge.toSeconds())
                    + " but it must be positive");
        }
    }

    /**
     * Where and how to forward.
     *
     * @param url               the receiver's remote-write URL
     * @param bearerTokenFile   file with a bearer token, or null
     * @param basicUser         basic-auth user, or null
     * @param basicPasswordFile basic-auth password file, or null
     * @param queueSamples      most samples queued
     * @param batchSamples      most samples per request
     * @param timeout           per request
     */
    public record RemoteWrite(URI url, Path bearerTokenFile, String basicUser, Path basicPasswordFile, int queueSamples,
                              int batchSamples, Duration timeout) {
        public RemoteWrite {
            if (url == null) {
                throw new IllegalArgumentException("prometheus.remote_write.url is missing, e.g. http://prometheus:9090/api/v1/write");
            }
            if (bearerTokenFile != null && (basicUser != null || basicPasswordFile != null)) {
                throw new IllegalArgumentException("prometheus.remote_write takes bearer_token_file or basic_auth_user with "
                        + "basic_auth_password_file, not both");
            }
            if ((basicUser == null) != (basicPasswordFile == null)) {
                throw new IllegalArgumentException("prometheus.remote_write.basic_auth_user and basic_auth_password_file go together");
            }
        }
    }

    /** Reads the section; problems go to {@code errors} (then the result may be null). */
    static PrometheusSettings read(JsonNode n, List<String> errors) {
        if (!n.isObject()) {
            errors.add("prometheus must be a mapping with scrape_token_file and/or remote_write");
            return null;
        }
        Path token = null;
        long maxAge = 600;
        RemoteWrite rw = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = "prometheus." + e.getKey();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "scrape_token_file" -> token = path(v, key, errors);
                case "max_age_seconds" -> maxAge = number(v, key, errors, maxAge);
                case "remote_write" -> rw = remoteWrite(v, errors);
                default -> errors.add(key + ": unknown property." + ConfigErrors.didYouMean(e.getKey(), KEYS));
            }
        }
        try {
            return new PrometheusSettings(token, Duration.ofSeconds(maxAge), rw);
        } catch (IllegalArgumentException ex) {
            errors.add(ex.getMessage());
            return null;
        }
    }

    private static RemoteWrite remoteWrite(JsonNode n, List<String> errors) {
        if (!n.isObject()) {
            errors.add("prometheus.remote_write must be a mapping with at least url");
            return null;
        }
        URI url = null;
        Path bearer = null;
        String user = null;
        Path password = null;
        long queue = io.dcmon.prometheus.RemoteWriteConfig.DEFAULT_QUEUE_SAMPLES;
        long batch = io.dcmon.prometheus.RemoteWriteConfig.DEFAULT_BATCH_SAMPLES;
        long timeout = 30;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = "prometheus.remote_write." + e.getKey();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "url" -> {
                    String s = text(v, key, errors);
                    if (s != null) {
                        try {
                            url = URI.create(s);
                        } catch (IllegalArgumentException ex) {
                            errors.add(key + " was '" + s + "' but it is not a URL: " + ex.getMessage());
                        }
                    }
                }
                case "bearer_token_file" -> bearer = path(v, key, errors);
                case "basic_auth_user" -> user = text(v, key, errors);
                case "basic_auth_password_file" -> password = path(v, key, errors);
                case "queue_samples" -> queue = number(v, key, errors, queue);
                case "batch_samples" -> batch = number(v, key, errors, batch);
                case "timeout_seconds" -> timeout = number(v, key, errors, timeout);
                default -> errors.add(key + ": unknown property." + ConfigErrors.didYouMean(e.getKey(), REMOTE_WRITE_KEYS));
            }
        }
        try {
            RemoteWrite rw = new RemoteWrite(url, bearer, user, password, (int) Math.min(queue, Integer.MAX_VALUE),
                    (int) Math.min(batch, Integer.MAX_VALUE), Duration.ofSeconds(timeout));
            // the forwarder's own rules (scheme, sizes, timeout), checked now so check-config reports them
            io.dcmon.prometheus.RemoteWriteConfig.of(rw.url()).withSizes(rw.queueSamples(), rw.batchSamples())
                    .withTiming(rw.timeout(), Duration.ofMillis(500), Duration.ofSeconds(30));
            return rw;
        } catch (IllegalArgumentException ex) {
            errors.add(ex.getMessage());
            return null;
        }
    }

    private static String text(JsonNode v, String key, List<String> errors) {
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(key + " was '" + v + "' but it must be a non-empty string");
            return null;
        }
        return v.asText();
    }

    private static Path path(JsonNode v, String key, List<String> errors) {
        String s = text(v, key, errors);
        return s == null ? null : Path.of(s);
    }

    private static long number(JsonNode v, String key, List<String> errors, long fallback) {
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 1) {
            errors.add(key + " was '" + v + "' but it must be a positive integer");
            return fallback;
        }
        return v.asLong();
    }
}
