package io.dcmon.core.service;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.Sample;
import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.SampleStore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Accepts batches of samples from authenticated clients. */
public final class IngestService {

    /** Most samples in one batch. */
    public static final int MAX_BATCH = 10_000;
    /** How far in the future a sample may be stamped (clock skew allowance). */
    public static final Duration MAX_FUTURE = Duration.ofMinutes(10);

    private final ClientStore clients;
    private final SampleStore samples;
    private final Clock clock;

    public IngestService(ClientStore clients, SampleStore samples, Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.samples = Objects.requireNonNull(samples, "samples");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * How a batch went.
     *
     * @param received samples in the batch
     * @param stored   new samples stored (replayed ones are not counted again)
     */
    public record IngestResult(int received, int stored) {
    }

    /**
     * Stores a batch for the client, durably, and records the client as seen.
     *
     * @throws RejectedException when the batch breaks a limit; nothing of it is stored then
     */
    public IngestResult ingest(Client client, List<Sample> batch) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(batch, "batch");
        if (batch.size() > MAX_BATCH) {
            throw RejectedException.invalid("batch has " + batch.size() + " samples; the limit is " + MAX_BATCH);
        }
        long now = clock.millis();
        long latest = now + MAX_FUTURE.toMillis();
        for (int i = 0; i < batch.size(); i++) {
            Sample s = batch.get(i);
            if (s.timestampMs() > latest) {
                throw RejectedException.invalid("sample " + i + " (" + s.series() + ") is stamped " + (s.timestampMs() - now) / 1000
                        + " s in the future; the limit is " + MAX_FUTURE.toSeconds() + " s: check the agent's clock");
            }
        }
        int stored = batch.isEmpty() ? 0 : samples.append(client.id(), batch);
        clients.touch(client.id(), clock.instant());
        return new IngestResult(batch.size(), stored);
    }
}
