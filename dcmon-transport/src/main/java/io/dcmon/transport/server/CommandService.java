package io.dcmon.transport.server;

import io.dcmon.core.model.Command;
import io.dcmon.core.model.CommandOutcome;
import io.dcmon.core.model.CommandStatus;
import io.dcmon.core.port.CommandStore;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RejectedException;
import io.dcmon.transport.command.CommandTypes;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.NewCommand;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command lifecycle behind the HTTP routes: validate and queue (waking the client's long-poll), deliver, record
 * results of a client's own commands, list. Belongs in core once the lead moves it (it only uses core ports).
 */
final class CommandService {

    /**
     * Lowest fan duty the server queues (the agent's own default minimum): a lower manual duty can overheat a
     * loaded machine, so a typo in the dashboard or API must not reach a BMC.
     */
    static final int MIN_DUTY_PERCENT = 25;

    /** Longest expiry an operator may ask for. */
    static final Duration MAX_TTL = Duration.ofDays(1);

    private final CommandStore store;
    private final QueryService query;
    private final Clock clock;
    private final Duration defaultTtl;
    private final AuditLog audit;
    final CommandWaiters waiters;

    CommandService(CommandStore store, QueryService query, Clock clock, Duration defaultTtl, AuditLog audit) {
        this.store = store;
        this.query = query;
        this.clock = clock;
        this.defaultTtl = defaultTtl;
        this.audit = audit;
        this.waiters = new CommandWaiters(clientId -> store.takeQueued(clientId, clock.instant()));
    }

    Command create(NewCommand req, String createdBy) {
        Map<String, String> params;
        try {
            params = CommandTypes.validate(req.type(), req.params());
        } catch (IllegalArgumentException e) {
            throw RejectedException.invalid(e.getMessage());
        }
        if ("set_duty".equals(params.get("action")) && Integer.parseInt(params.get("percent")) < MIN_DUTY_PERCENT) {
            throw RejectedException.invalid("params.percent was " + params.get("percent") + "; this server queues fan duty from "
                    + MIN_DUTY_PERCENT + " to 100 % (lower risks overheating; use set_mode standard to hand control back to the BMC)");
        }
        Duration ttl = defaultTtl;
        if (req.expiresInSeconds() != null) {
            long s = req.expiresInSeconds();
            if (s < 1 || s > MAX_TTL.toSeconds()) {
                throw RejectedException.invalid("expires_in_seconds was " + s + "; it must be from 1 to " + MAX_TTL.toSeconds());
            }
            ttl = Duration.ofSeconds(s);
        }
        long clientId = req.clientId();
        if (query.clients().stream().noneMatch(c -> c.id() == clientId)) {
            throw new RejectedException(RejectedException.Reason.NOT_FOUND, "client " + clientId
                    + " is not registered (or was revoked); see GET /api/clients");
        }
        Instant now = clock.instant();
        Command c = store.enqueue(clientId, req.type(), params, createdBy, now, now.plus(ttl));
        audit.record("command_created", AuditLog.fields("command_id", c.id(), "client_id", clientId, "type", c.type(),
                "params", c.params(), "by", createdBy, "expires_at", c.expiresAt().toString()));
        waiters.signal(clientId);
        return c;
    }

    void delivered(List<Command> commands) {
        for (Command c : commands) {
            audit.record("command_delivered", AuditLog.fields("command_id", c.id(), "client_id", c.clientId(), "type", c.type()));
        }
    }

    Command finish(long clientId, CommandResult result) {
        Optional<Command> found = store.find(result.commandId());
        if (found.isEmpty() || found.get().clientId() != clientId) {
            // the same answer for "not yours" and "does not exist": a client learns nothing about others' commands
            throw new RejectedException(RejectedException.Reason.NOT_FOUND, "command " + result.commandId()
                    + " does not exist or is not addressed to this client");
        }
        CommandOutcome outcome = new CommandOutcome(result.exitStatus(), cut(result.output(), CommandResult.MAX_OUTPUT),
                cut(result.error(), CommandResult.MAX_ERROR));
        if (!store.finish(result.commandId(), clientId, outcome, clock.instant())) {
            CommandStatus s = store.find(result.commandId()).map(Command::status).orElse(CommandStatus.EXPIRED);
            throw new RejectedException(RejectedException.Reason.INVALID, "command " + result.commandId() + " is "
                    + s.name().toLowerCase(java.util.Locale.ROOT) + "; a result is accepted only once, for a delivered command");
        }
        Command done = store.find(result.commandId()).orElseThrow();
        audit.record("command_finished", AuditLog.fields("command_id", done.id(), "client_id", clientId, "type", done.type(),
                "status", done.status().name().toLowerCase(java.util.Locale.ROOT), "exit_status", result.exitStatus()));
        return done;
    }

    List<Command> list(Optional<Long> clientId, Optional<CommandStatus> status, int limit) {
        return store.list(clientId, status, limit);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
