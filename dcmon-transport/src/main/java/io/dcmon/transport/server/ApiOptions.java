package io.dcmon.transport.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the HTTP API, with {@link #defaults()} suited to a 2-CPU server and up to ~1000 agents.
 *
 * @param longPollTimeout     how long {@code GET /api/commands/{client_id}} holds a request when nothing is queued
 * @param commandTtl          default expiry of a queued command
 * @param clientInterval      the agents' push interval; a client seen within 3 intervals is online
 * @param maxBodyBytes        largest request body on the wire
 * @param maxInflatedBytes    largest request body after gzip inflation
 * @param authFailureLimit    authentication failures one address may cause per {@code authFailureWindow} before 429
 * @param authFailureWindow   window of the failure count, also the Retry-After
 * @param tokenCacheTtl       how long a resolved client token stays cached
 * @param auditFile           JSON-lines audit file, or null for the log only
 * @param sessionTtl          lifetime of a dashboard login session (absolute, from login)
 */
public record ApiOptions(Duration longPollTimeout, Duration commandTtl, Duration clientInterval,
                         long maxBodyBytes, long maxInflatedBytes, int authFailureLimit, Duration authFailureWindow,
                         Duration tokenCacheTtl, Path auditFile, Duration sessionTtl) {

    public ApiOptions {
        positive(longPollTimeout, "longPollTimeout");
        positive(commandTtl, "commandTtl");
        positive(clientInterval, "clientInterval");
        positive(authFailureWindow, "authFailureWindow");
        positive(tokenCacheTtl, "tokenCacheTtl");
        positive(sessionTtl, "sessionTtl");
        if (longPollTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("longPollTimeout was " + longPollTimeout
                    + " but it must be at most PT5M (proxies and NAT drop idle connections)");
        }
        if (maxBodyBytes < 1024 || maxInflatedBytes < maxBodyBytes) {
            throw new IllegalArgumentException("maxBodyBytes was " + maxBodyBytes + " and maxInflatedBytes " + maxInflatedBytes
                    + " but the body limit must be at least 1024 and the inflated limit at least the body limit");
        }
        if (authFailureLimit < 1) {
            throw new IllegalArgumentException("authFailureLimit was " + authFailureLimit + " but it must be at least 1");
        }
    }

    /** Long-poll 60 s, commands expire after 1 h, agents push every 30 s, 8 MiB bodies (16 MiB inflated),
     * 30 auth failures per address per minute, token cache 30 s, no audit file, dashboard sessions last 8 h. */
    public static ApiOptions defaults() {
        return new ApiOptions(Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofSeconds(30),
                8L * 1024 * 1024, 16L * 1024 * 1024, 30, Duration.ofMinutes(1), Duration.ofSeconds(30), null,
                Duration.ofHours(8));
    }

    /** A copy with another long-poll timeout. */
    public ApiOptions withLongPollTimeout(Duration d) {
        return new ApiOptions(d, commandTtl, clientInterval, maxBodyBytes, maxInflatedBytes, authFailureLimit,
                authFailureWindow, tokenCacheTtl, auditFile, sessionTtl);
    }

    /** A copy with another agent push interval (drives online/stale/offline). */
    public ApiOptions withClientInterval(Duration d) {
        return new ApiOptions(longPollTimeout, commandTtl, d, maxBodyBytes, maxInflatedBytes, authFailureLimit,
                authFailureWindow, tokenCacheTtl, auditFile, sessionTtl);
    }

    /** A copy with other body limits. */
    public ApiOptions withBodyLimits(long body, long inflated) {
        return new ApiOptions(longPollTimeout, commandTtl, clientInterval, body, inflated, authFailureLimit,
                authFailureWindow, tokenCacheTtl, auditFile, sessionTtl);
    }

    /** A copy with another auth-failure throttle. */
    public ApiOptions withAuthFailureLimit(int limit, Duration window) {
        return new ApiOptions(longPollTimeout, commandTtl, clientInterval, maxBodyBytes, maxInflatedBytes, limit,
                window, tokenCacheTtl, auditFile, sessionTtl);
    }

    /** A copy writing the audit trail to {@code file} (JSON lines) as well as to the log. */
    public ApiOptions withAuditFile(Path file) {
        return new ApiOptions(longPollTimeout, commandTtl, clientInterval, maxBodyBytes, maxInflatedBytes, authFailureLimit,
                authFailureWindow, tokenCacheTtl, file, sessionTtl);
    }

    /** A copy whose dashboard sessions last {@code ttl} from login. */
    public ApiOptions withSessionTtl(Duration ttl) {
        return new ApiOptions(longPollTimeout, commandTtl, clientInterval, maxBodyBytes, maxInflatedBytes, authFailureLimit,
                authFailureWindow, tokenCacheTtl, auditFile, ttl);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " was " + d + " but it must be positive");
        }
    }
}
