package io.dcmon.transport.server;

import io.dcmon.transport.wire.FleetView;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
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
 * @param commandRedeliverAfter a delivered command without a result is offered again on the client's next poll
 *                            after this long (the answer may never have reached the agent); it must exceed how long
 *                            an agent takes to run a command and report it
 * @param thresholds          the dashboard's colour thresholds by fleet field (see {@link FleetView#defaultThresholds()});
 *                            fields not given keep their default, null means all defaults
 */
public record ApiOptions(Duration longPollTimeout, Duration commandTtl, Duration clientInterval,
                         long maxBodyBytes, long maxInflatedBytes, int authFailureLimit, Duration authFailureWindow,
                         Duration tokenCacheTtl, Path auditFile, Duration sessionTtl,
                         Duration commandRedeliverAfter, Map<String, FleetView.Threshold> thresholds) {

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
        positive(commandRedeliverAfter, "commandRedeliverAfter");
        thresholds = withDefaults(thresholds);
    }

    /** The previous constructor: redelivery after 2 minutes, default thresholds. */
    public ApiOptions(Duration longPollTimeout, Duration commandTtl, Duration clientInterval,
                      long maxBodyBytes, long maxInflatedBytes, int authFailureLimit, Duration authFailureWindow,
                      Duration tokenCacheTtl, Path auditFile, Duration sessionTtl) {
        this(longPollTimeout, commandTtl, clientInterval, maxBodyBytes, maxInflatedBytes, authFailureLimit,
                authFailureWindow, tokenCacheTtl, auditFile, sessionTtl, DEFAULT_REDELIVER_AFTER, null);
    }

    /** Default of {@link #commandRedeliverAfter()}: longer than a long-poll plus an agent's reporting retries. */
    public static final Duration DEFAULT_REDELIVER_AFTER = Duration.ofMinutes(2);

    /** A copy whose unanswered deliveries are offered again after {@code d}. */
    public ApiOptions withCommandRedeliverAfter(Duration d) {
        return new ApiOptions(longPollTimeout, commandTtl, clientInterval, maxBodyBytes, maxInflatedBytes, authFailureLimit,
                authFailureWindow, tokenCacheTtl, auditFile, sessionTtl, d, thresholds);
    }

    /** A copy colouring the dashboard by {@code t} (fields not named keep their default). */
    public ApiOptions withThresholds(Map<String, FleetView.Threshold> t) {
        return new ApiOptions(longPollTimeout, commandTtl, clientInterval, maxBodyBytes, maxInflatedBytes, authFailureLimit,
                authFailureWindow, tokenCacheTtl, auditFile, sessionTtl, commandRedeliverAfter, t);
    }

    private static Map<String, FleetView.Threshold> withDefaults(Map<String, FleetView.Threshold> given) {
        Map<String, FleetView.Threshold> all = FleetView.defaultThresholds();
        if (given != null) {
            for (Map.Entry<String, FleetView.Threshold> e : given.entrySet()) {
                if (!all.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("threshold '" + e.getKey() + "' is not a dashboard field; use one of "
                            + all.keySet());
                }
                all.put(e.getKey(), Objects.requireNonNull(e.getValue(), e.getKey()));
            }
        }
        return Collections.unmodifiableMap(all);
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
                authFailureWindow, tokenCacheTtl, auditFile, sessionTtl, commandRedeliverAfter, thresholds);
    }

    /** A copy with another agent push interval (drives online/stale/offline). */
    public ApiOptions withClientInterval(Duration d) {
        return new ApiOptions(longPollTimeout, commandTtl, d, maxBodyBytes, maxInflatedBytes, authFailureLimit,
                authFailureWindow, tokenCacheTtl, auditFile, sessionTtl, commandRedeliverAfter, thresholds);
    }

    /** A copy with other body limits. */
    public ApiOptions withBodyLimits(long body, long inflated) {
        return new ApiOptions(longPollTimeout, commandTtl, clientInterval, body, inflated, authFailureLimit,
                authFailureWindow, tokenCacheTtl, auditFile, sessionTtl, commandRedeliverAfter, thresholds);
    }

    /** A copy with another auth-failure throttle. */
    public ApiOptions withAuthFailureLimit(int limit, Duration window) {
        return new ApiOptions(longPollTimeout, commandTtl, clientInterval, maxBodyBytes, maxInflatedBytes, limit,
                window, tokenCacheTtl, auditFile, sessionTtl, commandRedeliverAfter, thresholds);
    }

    /** A copy writing the audit trail to {@code file} (JSON lines) as well as to the log. */
    public ApiOptions withAuditFile(Path file) {
        return new ApiOptions(longPollTimeout, commandTtl, clientInterval, maxBodyBytes, maxInflatedBytes, authFailureLimit,
                authFailureWindow, tokenCacheTtl, file, sessionTtl, commandRedeliverAfter, thresholds);
    }

    /** A copy whose dashboard sessions last {@code ttl} from login. */
    public ApiOptions withSessionTtl(Duration ttl) {
        return new ApiOptions(longPollTimeout, commandTtl, clientInterval, maxBodyBytes, maxInflatedBytes, authFailureLimit,
                authFailureWindow, tokenCacheTtl, auditFile, ttl, commandRedeliverAfter, thresholds);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " was " + d + " but it must be positive");
        }
    }
}
