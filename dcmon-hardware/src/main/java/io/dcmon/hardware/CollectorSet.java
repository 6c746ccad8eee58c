package io.dcmon.hardware;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a set of collectors so that a hung tool never delays the others.
 *
 * <p>Design: each collector call runs on its own worker thread (a pool of daemon threads that keeps one thread per
 * available collector alive between runs, so a cycle starts no threads; extra threads for a stuck run or the start-up
 * checks end after a minute idle) and a single
 * timer thread completes the call's result with a failure when its timeout passes, then interrupts the worker;
 * {@link io.dcmon.hardware.exec.ProcessCommandRunner} reacts to the interrupt by killing the tool's process tree.
 * The caller therefore waits at most the timeout, whatever the collector does. A collector whose previous run
 * is still stuck is not started again (no pile-up); that run reports up=0 with the reason.
 *
 * <p>Availability is decided once, at the first {@link #probe()}, {@link #collectOnce(Duration)} or
 * {@link #start(Consumer)}, and logged once; unavailable collectors are never run but still report
 * {@value #AVAILABLE}=0. Every run of an available collector adds health samples: {@value #UP},
 * {@value #DURATION} and {@value #LAST_SUCCESS}, labelled {@code collector=<name>}. The failure reason is in
 * {@link #status()} (labels stay small and stable, so it is not a label).
 *
 * <p>Thread-safe. Close it to stop the schedule and interrupt running collectors.
 */
public final class CollectorSet implements AutoCloseable {

    /** 1 when the latest run succeeded, else 0. */
    public static final String UP = "dcmon_collector_up";
    /** Seconds the latest run took. */
    public static final String DURATION = "dcmon_collector_duration_seconds";
    /** Unix time (seconds) of the latest successful run; absent until one succeeded. */
    public static final String LAST_SUCCESS = "dcmon_collector_last_success_timestamp_seconds";
    /** 1 when the start-up check found the collector usable here, else 0. */
    public static final String AVAILABLE = "dcmon_collector_available";

    /** Interval used by {@link #of(Collector...)}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** Per-run timeout used by {@link #of(Collector...)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(CollectorSet.class);

    /**
     * One collector with its schedule.
     *
     * @param collector the collector
     * @param interval  how often it runs in the scheduled form
     * @param timeout   how long one run (and the start-up availability check) may take
     */
    public record Entry(Collector collector, Duration interval, Duration timeout) {
        public Entry {
            Objects.requireNonNull(collector, "collector");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(timeout, "timeout");
            if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("interval of collector '" + collector.name() + "' was '" + interval
                        + "' but it must be at least PT1S");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout of collector '" + collector.name() + "' was '" + timeout
                        + "' but it must be positive");
            }
        }
    }

    private final List<State> states;
    private final Clock clock;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;
    private final Object probeLock = new Object();
    private volatile boolean probed;
    private final AtomicBoolean started = new AtomicBoolean();

    private CollectorSet(List<Entry> entries, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        List<State> s = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Entry e : entries) {
            if (names.contains(e.collector().name())) {
                throw new IllegalArgumentException("two collectors are named '" + e.collector().name()
                        + "'; names label the health samples and must be unique");
            }
            names.add(e.collector().name());
            s.add(new State(e));
        }
        this.states = List.copyOf(s);
        // core threads start on demand and never time out; probe() sizes the core to the available collectors
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads("dcmon-collector"));
        this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("dcmon-collector-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /** Collectors with the default interval (30 s) and timeout (10 s), stamped by the system clock. */
    public static CollectorSet of(Collector... collectors) {
        return of(List.of(collectors));
    }

    /** Collectors with the default interval (30 s) and timeout (10 s), stamped by the system clock. */
    public static CollectorSet of(List<? extends Collector> collectors) {
        List<Entry> entries = new ArrayList<>();
        for (Collector c : collectors) {
            entries.add(new Entry(c, DEFAULT_INTERVAL, DEFAULT_TIMEOUT));
        }
        return new CollectorSet(entries, Clock.systemUTC());
    }

    /** Collectors with their own intervals and timeouts; health samples are stamped by {@code clock}. */
    public static CollectorSet of(List<Entry> entries, Clock clock) {
        return new CollectorSet(entries, clock);
    }

    /** The entries, in the order given. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        states.forEach(s -> out.add(s.entry));
        return out;
    }

    /**
     * Decides the availability of every collector (once; later calls return the same answer), concurrently,
     * each check bounded by its collector's timeout, and logs it once per collector.
     */
    public Map<String, Availability> probe() {
        synchronized (probeLock) {
            if (!probed) {
                List<CompletableFuture<Availability>> checks = new ArrayList<>();
                for (State s : states) {
                    checks.add(bounded(s.entry.timeout(), () -> s.entry.collector().availability(),
                            t -> Availability.no(s.name() + " availability check " + describe(t)),
                            () -> Availability.no(s.name() + " availability check did not finish within "
                                    + seconds(s.entry.timeout()) + "; treating it as unavailable")));
                }
                for (int i = 0; i < states.size(); i++) {
                    State s = states.get(i);
                    s.availability = checks.get(i).join();
                    if (s.availability.available()) {
                        LOG.info("collectors: '{}' {}, every {}, timeout {}", s.name(),
                                s.availability.reason().equals("available") ? "available" : "available (" + s.availability.reason() + ")",
                                seconds(s.entry.interval()), seconds(s.entry.timeout()));
                    } else {
                        LOG.info("collectors: '{}' unavailable at start: {}", s.name(), s.availability.reason());
                    }
                }
                probed = true;
                workers.setCorePoolSize((int) states.stream().filter(s -> s.availability.available()).count());
            }
            Map<String, Availability> out = new LinkedHashMap<>();
            states.forEach(s -> out.put(s.name(), s.availability));
            return Collections.unmodifiableMap(out);
        }
    }

    /**
     * Runs every available collector once, all concurrently, each bounded by {@code timeout}, and returns
     * their samples plus the health samples of every collector. Returns within about {@code timeout} even
     * when a collector hangs.
     */
    public List<Sample> collectOnce(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        probe();
        List<CompletableFuture<List<Sample>>> runs = new ArrayList<>();
        List<Sample> out = new ArrayList<>();
        for (State s : states) {
            if (s.availability.available()) {
                runs.add(runOne(s, timeout));
            } else {
                out.add(Sample.of(SeriesKey.of(AVAILABLE, "collector", s.name()), clock.millis(), 0L));
            }
        }
        for (CompletableFuture<List<Sample>> r : runs) {
            out.addAll(r.join());
        }
        return out;
    }

    /**
     * Starts the scheduled form: every available collector runs on its own interval, bounded by its own
     * timeout, and hands its samples (with its health samples) to {@code sink} from a worker thread.
     * {@code sink} must be thread-safe. Call once; {@link #close()} stops it.
     */
    public void start(Consumer<List<Sample>> sink) {
        Objects.requireNonNull(sink, "sink");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this CollectorSet was already started; create another to run a second schedule");
        }
        probe();
        for (State s : states) {
            if (!s.availability.available()) {
                continue;
            }
            long periodMs = s.entry.interval().toMillis();
            timer.scheduleAtFixedRate(() -> runOne(s, s.entry.timeout()).thenAccept(samples -> {
                try {
                    sink.accept(samples);
                } catch (RuntimeException e) {
                    LOG.warn("collectors: sink refused the samples of '{}': {}", s.name(), e.toString(), e);
                }
            }), 0, periodMs, TimeUnit.MILLISECONDS);
        }
    }

    /** The latest status of every collector, in the order given. */
    public Map<String, CollectorStatus> status() {
        Map<String, CollectorStatus> out = new LinkedHashMap<>();
        for (State s : states) {
            out.put(s.name(), s.status());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Stops the schedule and interrupts running collectors (which kills their tools). */
    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
    }

    private CompletableFuture<List<Sample>> runOne(State s, Duration timeout) {
        long startNanos = System.nanoTime();
        if (!s.running.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(s.record(Outcome.failed(Duration.ZERO, s.name()
                    + ": previous run is still running; this run was skipped so runs do not pile up")));
        }
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        Future<?> work;
        try {
            work = workers.submit(() -> {
                try {
                    List<Sample> samples = s.entry.collector().collect();
                    result.complete(Outcome.ok(elapsed(startNanos), samples));
                } catch (CollectorException e) {
                    result.complete(Outcome.failed(elapsed(startNanos), e.getMessage()));
                } catch (RuntimeException | Error e) {
                    LOG.debug("collectors: '{}' threw", s.name(), e);
                    result.complete(Outcome.failed(elapsed(startNanos), s.name() + " failed unexpectedly: " + e));
                } finally {
                    s.running.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            s.running.set(false);
            return CompletableFuture.completedFuture(s.record(Outcome.failed(Duration.ZERO, "collector set is closed")));
        }
        timer.schedule(() -> {
            if (result.complete(Outcome.failed(elapsed(startNanos), s.name() + " did not finish within " + seconds(timeout)
                    + "; its thread was interrupted and its tool killed. Its samples are skipped this cycle"))) {
                work.cancel(true);
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return result.thenApply(s::record);
    }

    /** Runs {@code call} on a worker, bounded by {@code timeout}. */
    private <T> CompletableFuture<T> bounded(Duration timeout, java.util.concurrent.Callable<T> call,
                                             java.util.function.Function<Throwable, T> onError,
                                             java.util.function.Supplier<T> onTimeout) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Future<?> work = workers.submit(() -> {
            try {
                f.complete(call.call());
            } catch (Exception | Error e) {
                f.complete(onError.apply(e));
            }
        });
        timer.schedule(() -> {
            if (f.complete(onTimeout.get())) {
                work.cancel(true);
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return f;
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? "failed: " + t.getMessage() : "failed: " + t;
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private record Outcome(boolean up, Duration duration, List<Sample> samples, String error) {
        static Outcome ok(Duration d, List<Sample> samples) {
            return new Outcome(true, d, samples == null ? List.of() : samples, null);
        }

        static Outcome failed(Duration d, String error) {
            return new Outcome(false, d, List.of(), error == null ? "no reason given" : error);
        }
    }

    /** Mutable per-collector state; every field is written under the instance lock or is atomic. */
    private final class State {
        final Entry entry;
        final AtomicBoolean running = new AtomicBoolean();
        volatile Availability availability = Availability.yes();
        private Duration lastDuration = Duration.ZERO;
        private Instant lastSuccess;
        private String lastError;
        private boolean up;
        private boolean failing;

        State(Entry entry) {
            this.entry = entry;
        }

        String name() {
            return entry.collector().name();
        }

        synchronized List<Sample> record(Outcome o) {
            long now = clock.millis();
            lastDuration = o.duration();
            up = o.up();
            if (o.up()) {
                lastSuccess = Instant.ofEpochMilli(now);
                lastError = null;
                if (failing) {
                    LOG.info("collectors: '{}' recovered", name());
                    failing = false;
                }
            } else {
                lastError = o.error();
                if (!failing) {
                    LOG.warn("collectors: '{}' failing: {}", name(), o.error());
                    failing = true;
                } else {
                    LOG.debug("collectors: '{}' still failing: {}", name(), o.error());
                }
            }
            List<Sample> out = new ArrayList<>(o.samples().size() + 4);
            out.addAll(o.samples());
            out.add(Sample.of(SeriesKey.of(AVAILABLE, "collector", name()), now, 1L));
            out.add(Sample.of(SeriesKey.of(UP, "collector", name()), now, o.up() ? 1L : 0L));
            out.add(Sample.of(SeriesKey.of(DURATION, "collector", name()), now, o.duration().toNanos() / 1e9));
            if (lastSuccess != null) {
                out.add(Sample.of(SeriesKey.of(LAST_SUCCESS, "collector", name()), now, lastSuccess.toEpochMilli() / 1000.0));
            }
            return out;
        }

        synchronized CollectorStatus status() {
            if (!availability.available()) {
                return new CollectorStatus(name(), false, false, Duration.ZERO, Optional.empty(), Optional.of(availability.reason()));
            }
            return new CollectorStatus(name(), true, up, lastDuration, Optional.ofNullable(lastSuccess), Optional.ofNullable(lastError));
        }
    }
}
