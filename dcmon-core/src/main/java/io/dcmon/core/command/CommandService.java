package io.dcmon.core.command;

import io.dcmon.core.model.Command;
import io.dcmon.core.model.CommandOutcome;
import io.dcmon.core.model.CommandStatus;
import io.dcmon.core.port.AuditSink;
import io.dcmon.core.port.CommandStore;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RejectedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The command lifecycle behind the HTTP routes: validate and queue (then tell whoever waits for the client),
 * deliver, record results of a client's own commands, expire, list. Every step is audited: created, delivered,
 * redelivered, finished, expired.
 *
 * <p>Redelivery rule: a command answered to a poll whose connection then dropped never reached the agent, and the
 * server cannot tell that from an agent still running it. So a delivered command without a result after
 * {@link Settings#redeliverAfter()} is queued again and offered on the client's next poll, until it gets a result
 * or expires. This is safe because an agent records each command id before running it and never runs an id twice
 * (it reports a failure for a repeat instead); the timeout must exceed how long an agent takes to run a command
 * and report it.
 */
public final class CommandService {

    /**
     * Lowest fan duty the server queues (the agent's own default minimum): a lower manual duty can overheat a
     * loaded machine, so a typo in the dashboard or API must not reach a BMC.
     */
    public static final int MIN_DUTY_PERCENT = 25;

    /** Longest expiry an operator may ask for. */
    public static final Duration MAX_TTL = Duration.ofDays(1);

    /**
     * Timing of the lifecycle.
     *
     * @param defaultTtl     expiry of a command queued without one
     * @param redeliverAfter a delivered command with no result after this is offered again
     */
    public record Settings(Duration defaultTtl, Duration redeliverAfter) {
        public Settings {
            positive(defaultTtl, "defaultTtl");
            positive(redeliverAfter, "redeliverAfter");
            if (defaultTtl.compareTo(MAX_TTL) > 0) {
                throw new IllegalArgumentException("defaultTtl was " + defaultTtl + " but it must be at most " + MAX_TTL);
            }
        }

        /** Commands expire after 1 h; unanswered deliveries are offered again after 2 min. */
        public static Settings defaults() {
            return new Settings(Duration.ofHours(1), Duration.ofMinutes(2));
        }

        private static void positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " was " + d + " but it must be positive");
            }
        }
    }

    private final CommandStore store;
    private final QueryService query;
    private final Clock clock;
    private final Settings settings;
    private final AuditSink audit;
    private final LongConsumer onQueued;

    /**
     * @param store    where commands live
     * @param query    to check that the target client is registered
     * @param clock    time source for creation, delivery and expiry
     * @param settings expiry and redelivery timing
     * @param audit    receives one event per lifecycle step
     * @param onQueued called with the client id after a command was queued for it (wakes its long-poll)
     */
    public CommandService(CommandStore store, QueryService query, Clock clock, Settings settings, AuditSink audit,
                          LongConsumer onQueued) {
        this.store = Objects.requireNonNull(store, "store");
        this.query = Objects.requireNonNull(query, "query");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.onQueued = Objects.requireNonNull(onQueued, "onQueued");
    }

    /**
     * Validates and queues a command.
     *
     * @param clientId         target client
     * @param type             command type, see {@link CommandTypes}
     * @param params           decoded JSON object of parameters, or null
     * @param expiresInSeconds expiry from now, or null for the default
     * @param createdBy        who asks (audited)
     * @throws RejectedException naming the field when a parameter is invalid, NOT_FOUND for an unknown client
     */
    public Command create(long clientId, String type, Object params, Long expiresInSeconds, String createdBy) {
        Map<String, String> valid;
        try {
            valid = CommandTypes.validate(type, params);
        } catch (IllegalArgumentException e) {
            throw RejectedException.invalid(e.getMessage());
        }
        if ("set_duty".equals(valid.get("action")) && Integer.parseInt(valid.get("percent")) < MIN_DUTY_PERCENT) {
            throw RejectedException.invalid("params.percent was " + valid.get("percent") + "; this server queues fan duty from "
                    + MIN_DUTY_PERCENT + " to 100 % (lower risks overheating; use set_mode standard to hand control back to the BMC)");
        }
        Duration ttl = settings.defaultTtl();
        if (expiresInSeconds != null) {
            long s = expiresInSeconds;
            if (s < 1 || s > MAX_TTL.toSeconds()) {
                throw RejectedException.invalid("expires_in_seconds was " + s + "; it must be from 1 to " + MAX_TTL.toSeconds());
            }
            ttl = Duration.ofSeconds(s);
        }
        if (query.client(clientId).isEmpty()) {
            throw new RejectedException(RejectedException.Reason.NOT_FOUND, "client " + clientId
                    + " is not registered (or was revoked); see GET /api/clients");
        }
        Instant now = clock.instant();
        Command c = store.enqueue(clientId, type, valid, createdBy, now, now.plus(ttl));
        audit.record("command_created", fields("command_id", c.id(), "client_id", clientId, "type", c.type(),
                "params", c.params(), "by", createdBy, "expires_at", c.expiresAt().toString()));
        onQueued.accept(clientId);
        return c;
    }

    /**
     * What a poll of {@code clientId} delivers now: expires the client's overdue commands, queues again those
     * delivered longer than {@link Settings#redeliverAfter()} ago without a result, then marks the queued ones
     * delivered and returns them, oldest first. Each step is audited.
     */
    public List<Command> take(long clientId) {
        Instant now = clock.instant();
        auditExpired(store.expire(Optional.of(clientId), now));
        for (Command c : store.requeue(clientId, now.minus(settings.redeliverAfter()))) {
            audit.record("command_redelivered", fields("command_id", c.id(), "client_id", c.clientId(), "type", c.type(),
                    "reason", "no result " + settings.redeliverAfter().toSeconds() + " s after delivery"));
        }
        List<Command> taken = store.takeQueued(clientId, now);
        for (Command c : taken) {
            audit.record("command_delivered", fields("command_id", c.id(), "client_id", c.clientId(), "type", c.type()));
        }
        return taken;
    }

    /** Expires every client's overdue commands (a periodic sweep: clients that stopped polling) and audits each. */
    public List<Command> expireDue() {
        List<Command> expired = store.expire(Optional.empty(), clock.instant());
        auditExpired(expired);
        return expired;
    }

    /**
     * Records the result the client reports for one of its commands.
     *
     * @throws RejectedException NOT_FOUND when the command does not exist or is another client's (the same answer
     *                           for both), INVALID when it already has a result or was never delivered
     */
    public Command finish(long clientId, long commandId, CommandOutcome outcome) {
        Optional<Command> found = store.findCommand(commandId);
        if (found.isEmpty() || found.get().clientId() != clientId) {
            // the same answer for "not yours" and "does not exist": a client learns nothing about others' commands
            throw new RejectedException(RejectedException.Reason.NOT_FOUND, "command " + commandId
                    + " does not exist or is not addressed to this client");
        }
        if (!store.finish(commandId, clientId, outcome, clock.instant())) {
            CommandStatus s = store.findCommand(commandId).map(Command::status).orElse(CommandStatus.EXPIRED);
            throw RejectedException.invalid("command " + commandId + " is " + s.name().toLowerCase(Locale.ROOT)
                    + "; a result is accepted only once, for a delivered command");
        }
        Command done = store.findCommand(commandId).orElseThrow();
        audit.record("command_finished", fields("command_id", done.id(), "client_id", clientId, "type", done.type(),
                "status", done.status().name().toLowerCase(Locale.ROOT), "exit_status", outcome.exitStatus()));
        return done;
    }

    /** One command. */
    public Optional<Command> find(long commandId) {
        return store.findCommand(commandId);
    }

    /** Commands, newest first, optionally of one client and/or one status. */
    public List<Command> list(Optional<Long> clientId, Optional<CommandStatus> status, int limit) {
        return store.list(clientId, status, limit);
    }

    /** The timing this service runs with. */
    public Settings settings() {
        return settings;
    }

    private void auditExpired(List<Command> expired) {
        for (Command c : expired) {
            audit.record("command_expired", fields("command_id", c.id(), "client_id", c.clientId(), "type", c.type(),
                    "expires_at", c.expiresAt().toString(), "was", c.deliveredAt() == null ? "queued" : "delivered"));
        }
    }

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }
}
