package io.dcmon.agent;

import io.dcmon.core.model.Sample;
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
 * The agent's push loop: every cycle it sends the collectors' samples to the server. A batch goes to the
 * {@link Spool} (fsync'd) only when it cannot be sent now: the push failed, the agent is backing off, or older batches
 * are still waiting (it then queues behind them, so order is kept). The spool is sent oldest first, each batch removed
 * once the server has committed it. When the server cannot take them (down, unreachable, overloaded, or presenting a
 * certificate other than the pinned one) the batches wait there and are retried with exponential backoff and jitter
 * (honouring Retry-After). The server's insert is idempotent, so a replay that overlaps is harmless.
 *
 * <p>While the server is up, a batch is in memory only until the server has it: an agent killed during that push
 * loses that one batch (writing every batch to disk first cost a file write and fsync, a rename, a directory fsync,
 * a read-back and a delete per cycle).
 *
 * <p>Not thread-safe: one thread runs {@link #cycle()}.
 */
public final class Agent {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    /** Most spooled batches replayed in one cycle, so a long outage drains steadily without starving collection. */
    static final int REPLAY_PER_CYCLE = 20;

    private final AgentTransport client;
    private final String token;
    private final Supplier<List<Sample>> collect;
    private final Spool spool;
    private final BatchCodec codec;
    private final Clock clock;
    private final Duration maxBackoff;

    private int failures;
    private long nextAttemptMs;
    private boolean serverDown;
    private boolean untrusted;
    private long lastBatchBytes;

    /** An agent pushing through the transport module's client (embedding, tests). */
    public Agent(DcmonClient client, String token, Supplier<List<Sample>> collect, Spool spool, Clock clock,
                 Duration maxBackoff) {
        this(AgentTransport.of(client), token, collect, spool, clock, maxBackoff);
    }

    /**
     * An agent.
     *
     * @param client     the server
     * @param token      this agent's client token
     * @param collect    the samples of one cycle
     * @param spool      where batches wait until the server has them
     * @param clock      time of the agent's own samples and of backoff
     * @param maxBackoff longest wait between attempts while the server is unreachable
     */
    public Agent(AgentTransport client, String token, Supplier<List<Sample>> collect, Spool spool, Clock clock,
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
        int waiting = spool.depth();
        samples.addAll(SelfMetrics.read(now, lastBatchBytes, waiting, spool.dropped()));
        byte[] batch = codec.encode(samples);
        lastBatchBytes = batch.length;
        if (waiting > 0 || now < nextAttemptMs) {
            // behind older batches, or backing off: this one waits on disk too, in order
            spool.add(batch);
            drain(now);
        } else {
            send(batch, null, now); // nothing waiting (depth counts batches left by an earlier run too)
        }
    }

    /** What a failed push means for the batch. */
    private enum Failure {
        /** Server down, unreachable, overloaded: keep the batch, back off, retry. */
        TRANSIENT,
        /** The server's certificate does not match the pin: keep the batch, refuse to send, say so loudly. */
        UNTRUSTED_SERVER,
        /** The token was refused: keep the batch (a re-registration keeps the client id), stop. */
        IDENTITY_REFUSED,
        /** The server rejected this batch itself: retrying cannot help, drop it. */
        BAD_BATCH
    }

    static Failure classify(DcmonClientException e) {
        if (e.isAuthFailure()) {
            return Failure.IDENTITY_REFUSED;
        }
        if (e.status() == 0 && e.getCause() instanceof javax.net.ssl.SSLException) {
            return Failure.UNTRUSTED_SERVER;
        }
        return e.retryable() || e.status() == 0 ? Failure.TRANSIENT : Failure.BAD_BATCH;
    }

    private void drain(long now) throws IOException, NotRegisteredException {
        if (now < nextAttemptMs) {
            return;
        }
        for (int i = 0; i < REPLAY_PER_CYCLE; i++) {
            var entry = spool.oldest();
            if (entry.isEmpty() || !send(entry.get().data(), entry.get(), now)) {
                return;
            }
        }
    }

    /**
     * Pushes one batch; {@code spooled} is its spool entry, or null for this cycle's batch, which is spooled only if
     * the server did not take it. Returns whether to go on sending.
     */
    private boolean send(byte[] batch, Spool.Entry spooled, long now) throws IOException, NotRegisteredException {
        try {
            // sent as spooled: a batch is encoded once; one the server cannot read is refused (400) and dropped
            client.push(token, batch);
            if (spooled != null) {
                spool.remove(spooled);
            }
            recovered();
            return true;
        } catch (DcmonClientException e) {
            Failure failure = classify(e);
            if (failure == Failure.BAD_BATCH) {
                log.warn("the server refused batch {} and retrying cannot help; dropping it: {}",
                        spooled != null ? spooled.file().getFileName() : "of this cycle", e.getMessage());
                if (spooled != null) {
                    spool.remove(spooled);
                }
                return true;
            }
            if (spooled == null) {
                spool.add(batch); // kept for the retry, after any older ones
            }
            switch (failure) {
                case IDENTITY_REFUSED -> throw new NotRegisteredException("the server refused this agent's token ("
                        + e.serverError() + "): it was revoked or the server was reset. Run 'dcmon-agent register' again; "
                        + spool.depth() + " batches stay in the spool and are sent after registering with the same key.");
                case UNTRUSTED_SERVER -> {
                    backOff(now, e);
                    if (!untrusted) {
                        untrusted = true;
                        log.error("NOT SENDING to {}: {}. Batches are kept in the spool and sent once the pinned certificate is back.",
                                client.server(), e.serverError());
                    }
                }
                default -> {
                    backOff(now, e);
                    if (!serverDown) {
                        serverDown = true;
                        log.warn("cannot reach the server ({}); spooling batches and retrying with backoff", e.getMessage());
                    }
                }
            }
            return false;
        }
    }

    private void backOff(long now, DcmonClientException e) {
        failures++;
        long base = Math.min(maxBackoff.toMillis(), 1000L << Math.min(failures - 1, 20));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        // an overloaded server's Retry-After wins over a shorter backoff (bounded, so a bad header cannot stall us)
        long retryAfterMs = Math.min(e.retryAfterSeconds() * 1000L, maxBackoff.toMillis());
        nextAttemptMs = now + Math.max(delay, retryAfterMs);
    }

    private void recovered() throws IOException {
        if (serverDown || untrusted) {
            log.info("the server answers again; {} spooled batches to replay", spool.depth());
        }
        serverDown = false;
        untrusted = false;
        failures = 0;
        nextAttemptMs = 0;
    }
}
