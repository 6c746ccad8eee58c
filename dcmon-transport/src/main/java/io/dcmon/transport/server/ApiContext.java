package io.dcmon.transport.server;

import io.dcmon.core.service.RejectedException;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the resources share, bound once into Jersey's injector.
 *
 * @param services  core services and options
 * @param tokens    client-token cache (invalidated on registration and revocation)
 * @param startedAt when the API was created, for uptime
 * @param audit     the audit trail
 * @param commands  the command lifecycle, null when no command store was given
 * @param throttle  auth-failure throttle
 * @param ingest    running totals of ingested samples
 * @param sessions  dashboard login sessions
 * @param reads     a few threads for the fleet view's parallel store reads
 */
record ApiContext(DcmonServices services, TokenCache tokens, Instant startedAt, AuditLog audit,
                  CommandHub commands, AuthThrottle throttle, IngestTotals ingest, DashboardSessions sessions,
                  java.util.concurrent.ExecutorService reads) {

    /** The command service, or a 503 explaining that this server was set up without one. */
    CommandHub requireCommands() {
        if (commands == null) {
            throw new jakarta.ws.rs.WebApplicationException(Errors.response(503,
                    "commands are not enabled on this server: it was created without a command store"));
        }
        return commands;
    }

    /** Counters for {@code GET /api/stats}. */
    static final class IngestTotals {
        final LongAdder batches = new LongAdder();
        final LongAdder received = new LongAdder();
        final LongAdder stored = new LongAdder();
        final LongAdder refused = new LongAdder();
    }

    static RejectedException notFound(String message) {
        return new RejectedException(RejectedException.Reason.NOT_FOUND, message);
    }
}
