package io.dcmon.core.port;

import java.util.Map;

/**
 * Where security-relevant events go (registration, revocation, each command's life, auth failures): one record
 * per event, never with a secret in it. The HTTP layer writes them as JSON lines.
 */
@FunctionalInterface
public interface AuditSink {

    /** Drops every event; for embedding without an audit trail and for tests that do not look at it. */
    AuditSink NONE = (event, fields) -> { };

    /**
     * Records one event.
     *
     * @param event  what happened, e.g. {@code command_created}
     * @param fields details (ids, types, statuses); values are strings, numbers, booleans or maps of those
     */
    void record(String event, Map<String, ?> fields);
}
