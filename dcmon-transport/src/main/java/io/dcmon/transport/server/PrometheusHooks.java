package io.dcmon.transport.server;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.Sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How the API talks to Prometheus, without depending on any Prometheus code (the agent shares this module):
 * the scrape endpoint {@code GET /api/prometheus/metrics} and the hook that forwards accepted batches.
 *
 * <p>The scrape endpoint takes only {@code scrapeToken}; the admin token and client tokens get 403 there, and the
 * scrape token gets 403 on every other route. A Prometheus configuration is stored in many places (config
 * management, backups), so the token it holds must open nothing but read-only metrics.
 *
 * @param scrapeToken the bearer token of the scrape route, or null to keep the route shut (403 to everyone)
 * @param exposition  renders the scrape body, or null (the route answers 404 then)
 * @param forwarder   called after every accepted batch, or null; it must return at once (queue, never block)
 * @param counters    counters shown under {@code remote_write} in {@code GET /api/stats}, or null
 */
public record PrometheusHooks(String scrapeToken, Exposition exposition, BatchListener forwarder,
                              Supplier<Map<String, Long>> counters) {

    /** Shortest scrape token accepted: a guessable token would open every machine's metrics. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public PrometheusHooks {
        if (scrapeToken != null && scrapeToken.strip().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("the scrape token has " + scrapeToken.strip().length()
                    + " characters; it must have at least " + MIN_TOKEN_LENGTH + " (generate one with "
                    + "'head -c 32 /dev/urandom | base64')");
        }
        scrapeToken = scrapeToken == null ? null : scrapeToken.strip();
    }

    /** No scrape route, no forwarding. */
    public static PrometheusHooks none() {
        return new PrometheusHooks(null, null, null, null);
    }

    /** True when {@code token} is the scrape token; constant time in the token's content. */
    boolean isScrapeToken(String token) {
        return scrapeToken != null && token != null && MessageDigest.isEqual(
                scrapeToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    /** Renders the Prometheus text exposition of the fleet's latest samples. */
    @FunctionalInterface
    public interface Exposition {
        /** The whole scrape body, in the Prometheus text format 0.0.4. */
        String render();
    }

    /** Receives every batch the API accepted, after it is stored. */
    @FunctionalInterface
    public interface BatchListener {
        /**
         * Called on the request thread after the batch is stored: must not block or throw (a failure to forward
         * never fails the agent's push).
         *
         * @param client  the agent that sent the batch
         * @param samples the samples accepted (replays included: the receiver deduplicates)
         */
        void accepted(Client client, List<Sample> samples);
    }
}
