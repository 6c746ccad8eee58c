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
     * Commands past their expiry become {@link CommandStatus#EXPIRED} instead (call {@link #expire} first to learn
     * which).
     */
    List<Command> takeQueued(long clientId, Instant now);

    /**
     * Marks queued and delivered commands whose expiry is before {@code now} as {@link CommandStatus#EXPIRED} and
     * returns them (as expired), oldest first. A delivered command that expires can still receive its result
     * (see {@link #finish}): the agent may have run it.
     *
     * @param clientId only this client's commands, or every client's when empty
     */
    List<Command> expire(Optional<Long> clientId, Instant now);

    /**
     * Puts the client's commands that were delivered before {@code deliveredBefore} and still have no result back
     * to {@link CommandStatus#QUEUED}, so the next poll offers them again (the answer that carried them may never
     * have reached the agent). Returns them as queued, oldest first. Agents remember the ids they ran, so a command
     * offered twice does not run twice.
     */
    List<Command> requeue(long clientId, Instant deliveredBefore);

    /**
     * Records the result of a delivered command (also one that expired after delivery: it may have run). Returns
     * false when it is not the client's, was never delivered, or already has a result.
     */
    boolean finish(long commandId, long clientId, CommandOutcome outcome, Instant now);

    /** One command. */
    Optional<Command> findCommand(long commandId);

    /** Commands, newest first, optionally of one client and/or one status. */
    List<Command> list(Optional<Long> clientId, Optional<CommandStatus> status, int limit);
}
