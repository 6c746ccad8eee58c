package io.dcmon.agent;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.transport.client.DcmonClient;
import io.dcmon.transport.client.DcmonClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The agent's push loop: every cycle it takes the collectors' samples, sends them, and when the server cannot
 * take them (down, unreachable, overloaded) keeps them in the {@link Spool} and replays them oldest first once
 * the server answers again. The server's insert is idempotent, so a replay that overlaps is harmless.
 *
 * <p>Not thread-safe: one thread runs {@link #cycle()}.
 */
public final class Agent {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    /** Most spooled batches replayed in one cycle, so a long outage drains steadily without starving collection. */
    static final int REPLAY_PER_CYCLE = 20;

    private final DcmonClient client;
    private final String token;
    private final Supplier<List<Sample>> collect;
    private final Spool spool;
    private final BatchCodec codec;
    private final Clock clock;
    private final Duration maxBackoff;

    private int failures;
    private long nextAttemptMs;
    private boolean serverDown;

    public Agent(DcmonClient client, String token, Supplier<List<Sample>> collect, Spool spool, Clock clock,
                 Duration maxBackoff) {
        this.client = Objects.requireNonNull(client, "client");
        this.token = Objects.requireNonNull(token, "token");
        this.collect = Objects.requireNonNull(collect, "collect");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
        this.codec = new BatchCodec();
    }

    /** Thrown when the server refuses the agent's identity: retrying cannot help, the operator must act. */
    public static final class NotRegisteredException extends Exception {
        NotRegisteredException(String message) {
            super(message);
        }
    }

    /** One cycle: collect, then send the new batch and as much of the spool as the server takes. */
    public void cycle() throws IOException, NotRegisteredException {
        List<Sample> samples = new ArrayList<>(collect.get());
        long now = clock.millis();
        samples.add(Sample.of(SeriesKey.of("dcmon_agent_spool_batches"), now, (long) spool.depth()));
        samples.add(Sample.of(SeriesKey.of("dcmon_agent_spool_dropped_total"), now, spool.dropped()));
        if (now < nextAttemptMs || spool.depth() > 0) {
            // keep order: while older batches wait, the new one queues behind them
            spool.add(codec.encode(samples));
            drain(now);
            return;
        }
        try {
            client.push(token, samples);
            recovered();
        } catch (DcmonClientException e) {
            if (e.retryable()) {
                handleFailure(e, now);
                spool.add(codec.encode(samples));
            } else {
                rethrowIfIdentityRefused(e);
                log.warn("the server refused this cycle's batch and retrying cannot help: {}", e.getMessage());
            }
        }
    }

    private void drain(long now) throws IOException, NotRegisteredException {
        if (now < nextAttemptMs) {
            return;
        }
        for (int i = 0; i < REPLAY_PER_CYCLE; i++) {
            var entry = spool.oldest();
            if (entry.isEmpty()) {
                break;
            }
            List<Sample> batch;
            try {
                batch = codec.decode(entry.get().data());
            } catch (IOException e) {
                log.warn("spool: dropping unreadable batch {}: {}", entry.get().file().getFileName(), e.getMessage());
                spool.remove(entry.get());
                continue;
            }
            try {
                client.push(token, batch);
                spool.remove(entry.get());
                recovered();
            } catch (DcmonClientException e) {
                if (!e.retryable()) {
                    log.warn("spool: the server refused batch {} ({}); dropping it", entry.get().file().getFileName(), e.getMessage());
                    spool.remove(entry.get());
                    rethrowIfIdentityRefused(e);
                    continue;
                }
                handleFailure(e, now);
                return;
            }
        }
        if (spool.depth() == 0 && failures == 0) {
            log.debug("spool drained");
        }
    }

    private void handleFailure(DcmonClientException e, long now) {
        failures++;
        long base = Math.min(maxBackoff.toMillis(), 1000L << Math.min(failures - 1, 20));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        nextAttemptMs = now + delay;
        if (!serverDown) {
            serverDown = true;
            log.warn("cannot reach the server ({}); spooling batches and retrying with backoff", e.getMessage());
        }
    }

    private void recovered() throws IOException {
        if (serverDown) {
            log.info("the server answers again; {} spooled batches to replay", spool.depth());
        }
        serverDown = false;
        failures = 0;
        nextAttemptMs = 0;
    }

    private static void rethrowIfIdentityRefused(DcmonClientException e) throws NotRegisteredException {
        if (e.status() == 401 || e.status() == 403) {
            throw new NotRegisteredException("the server refused this agent's token (" + e.getMessage()
                    + "): it was revoked or the server was reset. Run 'dcmon-agent register' again.");
        }
    }
}
