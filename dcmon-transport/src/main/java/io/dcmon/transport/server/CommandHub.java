package io.dcmon.transport.server;

import io.dcmon.core.command.CommandService;
import io.dcmon.core.model.Command;
import io.dcmon.core.model.CommandOutcome;
import io.dcmon.core.model.CommandStatus;
import io.dcmon.core.port.AuditSink;
import io.dcmon.core.port.CommandStore;
import io.dcmon.core.service.QueryService;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.NewCommand;
import org.eclipse.jetty.util.component.Graceful;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The core {@link CommandService} joined to HTTP: the long-poll waiters its "queued" signal wakes, the wire types,
 * and a periodic sweep that expires (and audits) the commands of clients that stopped polling. As a Jetty
 * {@link Graceful} bean of the API's context it answers every waiting poll when a graceful stop begins, so the
 * server does not wait out open long-polls.
 */
final class CommandHub implements Graceful {

    /** How often overdue commands of every client are expired. */
    static final Duration SWEEP_EVERY = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(CommandHub.class);

    final CommandService service;
    final CommandWaiters waiters;
    private ScheduledExecutorService sweeper;

    CommandHub(CommandStore store, QueryService query, Clock clock, ApiOptions options, AuditSink audit) {
        this.waiters = new CommandWaiters(this::take);
        this.service = new CommandService(store, query, clock,
                new CommandService.Settings(options.commandTtl(), options.commandRedeliverAfter()), audit, waiters::signal);
    }

    private List<Command> take(long clientId) {
        return service.take(clientId);
    }

    /** Starts the expiry sweep (on the API's start-up, so an API that is built but never started holds no thread). */
    synchronized void start() {
        if (sweeper == null) {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dcmon-command-expiry");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_EVERY.toSeconds(), SWEEP_EVERY.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private void sweep() {
        try {
            service.expireDue();
        } catch (RuntimeException e) {
            // the next sweep tries again; a poll expires its own client's commands meanwhile
            log.warn("commands: expiring overdue commands failed: {}", e.toString());
        }
    }

    /**
     * Answers every waiting poll at once with no commands, so a stopping server does not wait for them; the agents
     * poll again (and find the server gone or back).
     */
    void releaseAll() {
        waiters.releaseAll();
    }

    /** Graceful stop began: answers the waiting polls; nothing is left to wait for. */
    @Override
    public CompletableFuture<Void> shutdown() {
        releaseAll();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isShutdown() {
        return waiters.size() == 0;
    }

    /** Stops the sweep and answers every waiting poll. */
    synchronized void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
        releaseAll();
    }

    /** Validates and queues; wakes the client's waiting poll. */
    Command create(NewCommand req, String createdBy) {
        Object params = req.params() == null || req.params().isNull() ? null : Json.mapper().convertValue(req.params(), Object.class);
        return service.create(req.clientId(), req.type(), params, req.expiresInSeconds(), createdBy);
    }

    /** Records a client's result, cutting output and error to the wire limits. */
    Command finish(long clientId, CommandResult result) {
        CommandOutcome outcome = new CommandOutcome(result.exitStatus(), cut(result.output(), CommandResult.MAX_OUTPUT),
                cut(result.error(), CommandResult.MAX_ERROR));
        return service.finish(clientId, result.commandId(), outcome);
    }

    /** What a poll delivers now (see {@link CommandService#take}). */
    List<Command> takeNow(long clientId) {
        return service.take(clientId);
    }

    List<Command> list(Optional<Long> clientId, Optional<CommandStatus> status, int limit) {
        return service.list(clientId, status, limit);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
