package io.dcmon.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An action queued for one client, e.g. {@code fan_control} or {@code reboot}, with its lifecycle and result.
 *
 * @param id          command id
 * @param clientId    target client
 * @param type        command type, e.g. {@code fan_control}
 * @param params      typed parameters as strings (validated by the server before queuing)
 * @param status      lifecycle state
 * @param createdBy   who queued it (e.g. "admin")
 * @param createdAt   when it was queued
 * @param expiresAt   after this it is no longer delivered
 * @param deliveredAt when an agent fetched it, or null
 * @param finishedAt  when the result arrived, or null
 * @param outcome     the result, or null while not finished
 */
public record Command(long id, long clientId, String type, Map<String, String> params, CommandStatus status,
                      String createdBy, Instant createdAt, Instant expiresAt, Instant deliveredAt,
                      Instant finishedAt, CommandOutcome outcome) {
    public Command {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
