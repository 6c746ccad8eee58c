package io.dcmon.core.port;

import io.dcmon.core.model.Command;
import io.dcmon.core.model.CommandOutcome;
import io.dcmon.core.model.CommandStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persistence of commands and their lifecycle. Implementations are thread-safe. */
public interface CommandStore {

    /** Queues a command; returns it with its id and status {@link CommandStatus#QUEUED}. */
    Command enqueue(long clientId, String type, Map<String, String> params, String createdBy,
                    Instant now, Instant expiresAt);

    /**
     * Marks the client's queued, unexpired commands delivered and returns them, oldest first.
     * Commands past their expiry become {@link CommandStatus#EXPIRED} instead.
     */
    List<Command> takeQueued(long clientId, Instant now);

    /** Records the result of a delivered command. Returns false when it is not the client's or already finished. */
    boolean finish(long commandId, long clientId, CommandOutcome outcome, Instant now);

    /** One command. */
    Optional<Command> find(long commandId);

    /** Commands, newest first, optionally of one client and/or one status. */
    List<Command> list(Optional<Long> clientId, Optional<CommandStatus> status, int limit);
}
