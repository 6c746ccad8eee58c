package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.dcmon.core.model.Command;

import java.util.Locale;
import java.util.Map;

/**
 * A command as the API shows it. Times are Unix seconds (null while not reached); {@code status} is
 * queued, delivered, succeeded, failed or expired; params are strings as validated by the server.
 *
 * @param id          command id
 * @param clientId    target client
 * @param type        command type
 * @param params      validated parameters
 * @param status      lifecycle state, lowercase
 * @param createdBy   who queued it
 * @param createdAt   Unix seconds
 * @param expiresAt   Unix seconds
 * @param deliveredAt Unix seconds or null
 * @param finishedAt  Unix seconds or null
 * @param result      the agent's report, or null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CommandView(long id, long clientId, String type, Map<String, String> params, String status,
                          String createdBy, long createdAt, long expiresAt, Long deliveredAt, Long finishedAt,
                          CommandResult result) {

    /** The view of a core command. */
    public static CommandView of(Command c) {
        return new CommandView(c.id(), c.clientId(), c.type(), c.params(), c.status().name().toLowerCase(Locale.ROOT),
                c.createdBy(), c.createdAt().getEpochSecond(), c.expiresAt().getEpochSecond(),
                c.deliveredAt() == null ? null : c.deliveredAt().getEpochSecond(),
                c.finishedAt() == null ? null : c.finishedAt().getEpochSecond(),
                c.outcome() == null ? null : new CommandResult(c.id(), c.outcome().exitStatus(), c.outcome().output(), c.outcome().error()));
    }
}
