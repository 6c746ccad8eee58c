package io.dcmon.transport.server;

import io.dcmon.core.model.Command;
import io.dcmon.transport.wire.CommandView;
import io.dcmon.transport.wire.CommandsResponse;
import jakarta.ws.rs.container.AsyncResponse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Agents waiting in a long-poll, without a thread per waiter: each waiter is a suspended {@link AsyncResponse} in a
 * per-client set. Whoever removes a waiter from the set (a new command's signal, the timeout, or the poll itself)
 * owns it, so each waiter is answered exactly once and taken commands are never handed to a waiter that another
 * thread already answered.
 *
 * <p>Lost-wakeup rule: a per-client version counter is bumped after every enqueue. A deliverer that found nothing
 * puts the waiter back and re-checks the version; if an enqueue happened meanwhile, it tries again.
 */
final class CommandWaiters {

    /** Most waiting polls per client; an older one is answered empty when a newer one arrives. */
    static final int MAX_PER_CLIENT = 4;

    private final Map<Long, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final Map<Long, AtomicLong> versions = new ConcurrentHashMap<>();
    private final LongFunction<List<Command>> take;
    private volatile boolean closed;

    /** @param take marks and returns a client's queued commands, auditing the delivery (the command service's take) */
    CommandWaiters(LongFunction<List<Command>> take) {
        this.take = take;
    }

    /** One suspended poll. */
    static final class Waiter {
        final long clientId;
        final AsyncResponse response;

        Waiter(long clientId, AsyncResponse response) {
            this.clientId = clientId;
            this.response = response;
        }
    }

    /**
     * Suspends a poll: answers at once when commands are queued, else when one is queued or after {@code timeoutMs}.
     */
    void await(Waiter w, long timeoutMs) {
        if (closed) {
            // the server is stopping: a suspended poll would only delay the stop; the agent retries later
            w.response.resume(stopping());
            return;
        }
        w.response.setTimeoutHandler(ar -> {
            if (remove(w)) {
                ar.resume(answer(List.of()));
            } else {
                // a deliverer owns the waiter right now and will answer it; give it a moment
                ar.setTimeout(1, TimeUnit.SECONDS);
            }
        });
        w.response.setTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        Set<Waiter> set = waiting.computeIfAbsent(w.clientId, k -> ConcurrentHashMap.newKeySet());
        set.add(w);
        if (closed && remove(w)) {
            // releaseAll ran between the check above and the add: its sweep may have missed this waiter
            w.response.resume(stopping());
            return;
        }
        if (set.size() > MAX_PER_CLIENT) {
            for (Waiter old : set) {
                if (old != w && set.size() > MAX_PER_CLIENT && remove(old)) {
                    old.response.resume(answer(List.of()));
                }
            }
        }
        deliver(w);
    }

    /**
     * Wakes the client's waiters after a command was queued for it. Stops at the first waiter that received
     * commands: that take included everything queued so far, and every later enqueue signals again.
     */
    void signal(long clientId) {
        versions.computeIfAbsent(clientId, k -> new AtomicLong()).incrementAndGet();
        Set<Waiter> set = waiting.get(clientId);
        if (set != null) {
            for (Waiter w : set) {
                if (deliver(w)) {
                    return;
                }
            }
        }
    }

    /** Answers every waiter of the client empty (revocation: its next poll gets 401). */
    void release(long clientId) {
        Set<Waiter> set = waiting.get(clientId);
        if (set != null) {
            for (Waiter w : set) {
                if (remove(w)) {
                    w.response.resume(answer(List.of()));
                }
            }
        }
    }

    /**
     * The server is stopping: answers every waiter of every client empty at once, and every later poll with 503
     * and Retry-After instead of holding it.
     */
    void releaseAll() {
        closed = true;
        waiting.keySet().forEach(this::release);
    }

    /** Waiting polls right now. */
    int size() {
        int n = 0;
        for (Set<Waiter> s : waiting.values()) {
            n += s.size();
        }
        return n;
    }

    /** Tries to answer one waiter with the client's queued commands; true when it got some. */
    private boolean deliver(Waiter w) {
        AtomicLong version = versions.computeIfAbsent(w.clientId, k -> new AtomicLong());
        while (remove(w)) {
            long seen = version.get();
            List<Command> commands;
            try {
                commands = take.apply(w.clientId);
            } catch (RuntimeException e) {
                w.response.resume(e);
                return false;
            }
            if (!commands.isEmpty()) {
                w.response.resume(answer(commands));
                return true;
            }
            if (w.response.isDone() || w.response.isCancelled()) {
                return false;
            }
            waiting.computeIfAbsent(w.clientId, k -> ConcurrentHashMap.newKeySet()).add(w);
            if (closed && remove(w)) {
                // releaseAll ran while this thread held the waiter: answer it here, or the stop would wait for it
                w.response.resume(answer(List.of()));
                return false;
            }
            if (version.get() == seen) {
                return false;
            }
        }
        return false;
    }

    private boolean remove(Waiter w) {
        Set<Waiter> set = waiting.get(w.clientId);
        return set != null && set.remove(w);
    }

    private static jakarta.ws.rs.WebApplicationException stopping() {
        return new jakarta.ws.rs.WebApplicationException(jakarta.ws.rs.core.Response
                .fromResponse(Errors.response(503, "the server is stopping; poll again later"))
                .header("Retry-After", "5").build());
    }

    /** What a poll is answered with. */
    static CommandsResponse answer(List<Command> commands) {
        return new CommandsResponse(commands.stream().map(CommandView::of).toList());
    }
}
