package io.dcmon.prometheus;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.transport.server.PrometheusHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Forwards every accepted batch to a Prometheus remote-write receiver (Prometheus with
 * {@code --web.enable-remote-write-receiver}, VictoriaMetrics, Mimir, Thanos receive).
 *
 * <p>Ingest never waits for it: {@link #accepted} only reserves room in a queue bounded in samples and returns; a
 * batch that does not fit is dropped and counted. One sender thread sends requests of at most
 * {@code batchSamples} samples in arrival order (so each series stays in time order), retrying 5xx, 429 and
 * connection errors with exponential backoff and jitter (honouring Retry-After) until they succeed, and dropping
 * (and counting) requests the receiver refuses with another 4xx, which a retry would not change: a bad label, or
 * samples older than the receiver accepts. The counters appear under {@code remote_write} in {@code GET /api/stats}.
 */
public final class RemoteWriteForwarder implements PrometheusHooks.BatchListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RemoteWriteForwarder.class);
    /** How long {@link #close()} keeps sending what is queued before it drops the rest. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    /** One warning per this interval and kind of trouble, with counts, instead of one per request. */
    private static final long LOG_EVERY_MS = 60_000;

    record Pending(long clientId, String hostname, List<Sample> samples) {
    }

    private record SeriesId(long clientId, SeriesKey key) {
    }

    private final RemoteWriteConfig config;
    private final HttpClient http;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final LongAdder forwardedSamples = new LongAdder();
    private final LongAdder forwardedBatches = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder droppedQueueFull = new LongAdder();
    private final LongAdder droppedRejected = new LongAdder();
    private final LongAdder droppedOnClose = new LongAdder();
    private final Map<String, Long> lastWarning = new ConcurrentHashMap<>();
    private final Thread sender;
    private volatile boolean closing;
    private volatile long closeDeadlineNanos = Long.MAX_VALUE;

    private RemoteWriteForwarder(RemoteWriteConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        this.sender = new Thread(this::run, "dcmon-remote-write");
        this.sender.setDaemon(true);
    }

    /** A forwarder with its sender thread started. */
    public static RemoteWriteForwarder start(RemoteWriteConfig config) {
        RemoteWriteForwarder f = new RemoteWriteForwarder(config);
        f.sender.start();
        log.info("dcmon-remote-write: forwarding accepted batches to {} (queue {} samples, {} per request)",
                config.url(), config.queueSamples(), config.batchSamples());
        return f;
    }

    /** Queues the batch, or drops and counts it when the queue has no room; never blocks. */
    @Override
    public void accepted(Client client, List<Sample> samples) {
        int n = samples.size();
        if (n == 0) {
            return;
        }
        if (closing) {
            droppedOnClose.add(n);
            return;
        }
        while (true) {
            long q = queued.get();
            if (q + n > config.queueSamples()) {
                droppedQueueFull.add(n);
                warn("queue_full", "the remote-write queue is full ({} of {} samples): dropped a batch of {} samples of "
                        + "client {}; {} dropped so far. The receiver at {} is down or slower than ingest; raise "
                        + "prometheus.remote_write.queue_samples only if it catches up", q, config.queueSamples(), n,
                        client.id(), droppedQueueFull.sum(), config.url());
                return;
            }
            if (queued.compareAndSet(q, q + n)) {
                break;
            }
        }
        queue.add(new Pending(client.id(), client.hostname(), List.copyOf(samples)));
    }

    /**
     * Counters since start: {@code queued_samples} (waiting now), {@code forwarded_samples}, {@code forwarded_batches}
     * (requests the receiver accepted), {@code retries}, {@code dropped_queue_full_samples},
     * {@code dropped_rejected_samples} (refused with a 4xx), {@code dropped_on_close_samples} and their sum
     * {@code dropped_samples}.
     */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("queued_samples", queued.get());
        m.put("forwarded_samples", forwardedSamples.sum());
        m.put("forwarded_batches", forwardedBatches.sum());
        m.put("retries", retries.sum());
        long full = droppedQueueFull.sum();
        long rejected = droppedRejected.sum();
        long onClose = droppedOnClose.sum();
        m.put("dropped_queue_full_samples", full);
        m.put("dropped_rejected_samples", rejected);
        m.put("dropped_on_close_samples", onClose);
        m.put("dropped_samples", full + rejected + onClose);
        return m;
    }

    /** The configuration in use. */
    public RemoteWriteConfig config() {
        return config;
    }

    /**
     * Stops accepting batches, keeps sending what is queued for up to {@link #CLOSE_GRACE}, then drops and counts the
     * rest.
     */
    @Override
    public void close() {
        closing = true;
        closeDeadlineNanos = System.nanoTime() + CLOSE_GRACE.toNanos();
        try {
            sender.join(CLOSE_GRACE.toMillis() + 1000);
            if (sender.isAlive()) {
                sender.interrupt();
                sender.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            droppedOnClose.add(p.samples().size());
            queued.addAndGet(-p.samples().size());
        }
        log.info("dcmon-remote-write: stopped; {}", counters());
    }

    private void run() {
        try {
            while (true) {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                List<Pending> chunk = new ArrayList<>();
                chunk.add(first);
                int n = first.samples().size();
                Pending next;
                while (n < config.batchSamples() && (next = queue.peek()) != null
                        && n + next.samples().size() <= config.batchSamples()) {
                    chunk.add(queue.poll());
                    n += next.samples().size();
                }
                try {
                    sendAll(chunk);
                } finally {
                    queued.addAndGet(-n);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("dcmon-remote-write: the sender stopped on an unexpected error; forwarding is off until restart", e);
        }
    }

    /** Sends the samples of {@code chunk} in requests of at most batchSamples, in order. */
    private void sendAll(List<Pending> chunk) throws InterruptedException {
        List<Pending> slice = new ArrayList<>();
        int n = 0;
        for (Pending p : chunk) {
            List<Sample> s = p.samples();
            for (int from = 0; from < s.size(); ) {
                int take = Math.min(s.size() - from, config.batchSamples() - n);
                slice.add(new Pending(p.clientId(), p.hostname(), s.subList(from, from + take)));
                n += take;
                from += take;
                if (n == config.batchSamples()) {
                    send(slice, n);
                    slice = new ArrayList<>();
                    n = 0;
                }
            }
        }
        if (n > 0) {
            send(slice, n);
        }
    }

    /** The series of one request: grouped by client and series, each in time order. */
    static List<RemoteWriteEncoder.Series> series(List<Pending> slice) {
        Map<SeriesId, TreeMap<String, String>> labels = new LinkedHashMap<>();
        Map<SeriesId, List<RemoteWriteEncoder.TimedValue>> values = new LinkedHashMap<>();
        for (Pending p : slice) {
            for (Sample s : p.samples()) {
                SeriesId id = new SeriesId(p.clientId(), s.series());
                labels.computeIfAbsent(id, k -> {
                    TreeMap<String, String> l = FleetLabels.of(p.clientId(), p.hostname(), s.labels());
                    l.put("__name__", s.metric());
                    return l;
                });
                values.computeIfAbsent(id, k -> new ArrayList<>())
                        .add(new RemoteWriteEncoder.TimedValue(s.timestampMs(), s.value().doubleValue()));
            }
        }
        List<RemoteWriteEncoder.Series> list = new ArrayList<>(labels.size());
        for (Map.Entry<SeriesId, TreeMap<String, String>> e : labels.entrySet()) {
            List<RemoteWriteEncoder.TimedValue> v = values.get(e.getKey());
            v.sort(RemoteWriteEncoder.TimedValue.BY_TIME);
            list.add(new RemoteWriteEncoder.Series(e.getValue(), v));
        }
        return list;
    }

    private void send(List<Pending> slice, int count) throws InterruptedException {
        byte[] body = RemoteWriteEncoder.encode(series(slice));
        HttpRequest.Builder b = HttpRequest.newBuilder(config.url())
                .timeout(config.timeout())
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .header("User-Agent", "dcmon-remote-write")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (config.authorization() != null) {
            b.header("Authorization", config.authorization());
        }
        HttpRequest request = b.build();
        for (int attempt = 0; ; attempt++) {
            long retryAfterMs = 0;
            String problem;
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = r.statusCode();
                if (status / 100 == 2) {
                    forwardedSamples.add(count);
                    forwardedBatches.increment();
                    return;
                }
                String text = r.body() == null ? "" : r.body().strip();
                text = text.length() > 300 ? text.substring(0, 300) + "..." : text;
                if (status != 429 && status < 500) {
                    droppedRejected.add(count);
                    warn("rejected", "the receiver at {} refused a request of {} samples with HTTP {} ({}); dropped, "
                            + "as a retry would get the same answer; {} dropped so far", config.url(), count, status, text,
                            droppedRejected.sum());
                    return;
                }
                retryAfterMs = r.headers().firstValue("Retry-After").map(RemoteWriteForwarder::seconds).orElse(0L) * 1000;
                problem = "HTTP " + status + " (" + text + ")";
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (closing && System.nanoTime() > closeDeadlineNanos) {
                droppedOnClose.add(count);
                return;
            }
            retries.increment();
            long delay = backoffMs(attempt, retryAfterMs);
            warn("retry", "could not forward {} samples to {}: {}; retrying in {} ms (attempt {})", count, config.url(),
                    problem, delay, attempt + 1);
            Thread.sleep(delay);
        }
    }

    /** Exponential backoff from minBackoff to maxBackoff, jittered to 50-100 %, at least a Retry-After up to maxBackoff. */
    long backoffMs(int attempt, long retryAfterMs) {
        long min = config.minBackoff().toMillis();
        long max = config.maxBackoff().toMillis();
        long base = attempt >= 30 ? max : Math.min(max, min << attempt);
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        return Math.max(Math.max(1, jittered), Math.min(retryAfterMs, max));
    }

    private static long seconds(String retryAfter) {
        try {
            return Math.max(0, Long.parseLong(retryAfter.trim()));
        } catch (NumberFormatException e) {
            return 0;   // an HTTP date: fall back to our own backoff
        }
    }

    private void warn(String kind, String message, Object... args) {
        long now = System.currentTimeMillis();
        Long last = lastWarning.get(kind);
        if (last == null || now - last >= LOG_EVERY_MS) {
            lastWarning.put(kind, now);
            log.warn("dcmon-remote-write: " + message, args);
        }
    }
}
