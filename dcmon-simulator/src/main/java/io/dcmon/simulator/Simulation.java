package io.dcmon.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dcmon.core.model.Sample;
import io.dcmon.core.service.RegistrationRequest;
import io.dcmon.transport.client.DcmonClient;
import io.dcmon.transport.client.DcmonClientException;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.CommandView;
import io.dcmon.transport.wire.MetricsResponse;
import io.dcmon.transport.wire.NewCommand;
import io.dcmon.transport.wire.RegisterResponse;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs a simulated fleet against a server: every agent registers through the real API with its own RSA key, then
 * pushes its batch every interval (agents spread evenly over the interval). The simulator shares the machine with
 * the server under test, so it spends as little CPU as it can: each agent's batch is encoded from a per-agent
 * template straight into a reused buffer and gzipped by a reused {@code Deflater} ({@link BatchEncoder}) on one
 * encoder thread, and sent with the JDK HTTP client's asynchronous API ({@link AsyncPusher}), so thousands of
 * agents need a handful of threads; it measures its own CPU and reports it apart from the server's. An agent whose previous push has not finished when its next
 * one is due skips it and the skip is counted as an error ({@code push_skipped_behind_schedule}): the server (or
 * the simulator) did not keep up. Some agents also long-poll for commands while an admin queues them.
 */
public final class Simulation {

    /** Longest time in-flight work may take to finish after the run's end. */
    static final Duration DRAIN = Duration.ofSeconds(60);
    /** Threads of the HTTP client (its selector included); encoding is one more. */
    static final int HTTP_THREADS = 3;
    /** Longest long-poll wait a poller asks for. */
    static final Duration POLL_WAIT = Duration.ofSeconds(20);

    private final ServerUnderTest server;
    private final SimulationConfig cfg;
    private final PrintStream out;

    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> examples = new ConcurrentHashMap<>();
    private final Latencies pushLatency = new Latencies();
    private final Latencies queueLatency = new Latencies();
    private final Latencies commandLatency = new Latencies();
    private final Latencies firstPushLatency = new Latencies();
    private final Latencies encodeLatency = new Latencies();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ThreadLocal<BatchEncoder.Scratch> scratch;
    private Semaphore slots;
    private AsyncPusher pusher;
    private ExecutorService encoders;
    private final LongAdder pushes = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final LongAdder storedTotal = new LongAdder();
    private final AtomicLong commandsQueued = new AtomicLong();
    private final AtomicLong commandsDelivered = new AtomicLong();
    private final AtomicLong resultsReported = new AtomicLong();
    private final AtomicLong rssMax = new AtomicLong();

    private volatile long measureFrom;
    private volatile long end;

    private Simulation(ServerUnderTest server, SimulationConfig cfg, PrintStream out) {
        this.server = server;
        this.cfg = cfg;
        this.out = out;
        this.scratch = ThreadLocal.withInitial(() -> new BatchEncoder.Scratch(cfg.gzipLevel()));
    }

    /**
     * Runs the fleet against {@code server} and reports. Bounded: registration, then {@code cfg.duration()}, then
     * at most {@link #DRAIN} for work in flight.
     *
     * @param progress where to print progress lines (every 10 s)
     */
    public static Report run(ServerUnderTest server, SimulationConfig cfg, PrintStream progress) throws Exception {
        return new Simulation(server, cfg, progress).run();
    }

    /** One simulated machine. */
    private static final class Agent {
        final int index;
        final KeyPair keys;
        final MachineModel model;
        final BatchEncoder encoder;
        final AtomicBoolean busy = new AtomicBoolean();
        final AtomicLong commandQueuedAt = new AtomicLong();
        volatile long lastPush;
        volatile long clientId;
        volatile String token;
        volatile String authorization;

        Agent(int index, KeyPair keys, long seed) {
            this.index = index;
            this.keys = keys;
            this.model = new MachineModel(seed);
            this.encoder = new BatchEncoder(model.keys());
        }

        String hostname() {
            return String.format(Locale.ROOT, "sim-%05d", index);
        }
    }

    private Report run() throws Exception {
        String startedAt = Instant.now().toString();
        String loadAtStart = ProcFs.loadAverage();
        out.printf(Locale.ROOT, "preparing %d agents (RSA keys%s)...%n", cfg.agents(),
                cfg.keyCache() == null ? "" : ", cache " + cfg.keyCache());
        List<KeyPair> keys = KeyPool.get(cfg.agents(), cfg.keyCache());
        List<Agent> agents = new ArrayList<>(cfg.agents());
        for (int i = 0; i < cfg.agents(); i++) {
            agents.add(new Agent(i, keys.get(i), cfg.seed() * 1_000_003L + i));
        }
        int series = agents.get(0).model.seriesCount();
        DcmonClient client = DcmonClient.create(server.uri());
        DcmonClient pollClient = DcmonClient.create(server.uri());
        slots = new Semaphore(cfg.concurrency());
        pusher = new AsyncPusher(server.uri(), HTTP_THREADS, cfg.concurrency());
        encoders = Executors.newSingleThreadExecutor(daemon("sim-encode"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("sim-clock"));
        ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor(daemon("sim-monitor"));
        try {
            // a reused data directory already holds samples: bytes per sample counts only this run's growth
            long dbAtStart = server.databaseBytes().orElse(0);
            long regStart = System.nanoTime();
            List<Agent> registered;
            ExecutorService registrars = Executors.newFixedThreadPool(Math.min(8, cfg.concurrency()), daemon("sim-register"));
            try {
                registered = register(agents, client, registrars);
            } finally {
                registrars.shutdownNow();
            }
            double registrationSeconds = (System.nanoTime() - regStart) / 1e9;
            out.printf(Locale.ROOT, "registered %d of %d agents in %.1f s; pushing %d series each every %s for %s%n",
                    registered.size(), agents.size(), registrationSeconds, series, human(cfg.interval()), human(cfg.duration()));
            if (registered.isEmpty()) {
                throw new IllegalStateException("no agent could register: " + examples);
            }

            long primeStart = System.nanoTime();
            prime(registered);
            double primeSeconds = (System.nanoTime() - primeStart) / 1e9;
            out.printf(Locale.ROOT, "first push of every agent (creates its series) took %.1f s: p50 %.1f ms, p99 %.1f ms%n",
                    primeSeconds, firstPushLatency.percentileMs(50), firstPushLatency.percentileMs(99));

            long start = System.nanoTime() + 200_000_000L;
            end = start + cfg.duration().toNanos();
            measureFrom = start + cfg.warmup().toNanos();
            long intervalNanos = cfg.interval().toNanos();
            for (int i = 0; i < registered.size(); i++) {
                Agent a = registered.get(i);
                long delay = start - System.nanoTime() + intervalNanos * i / registered.size();
                scheduler.scheduleAtFixedRate(() -> tick(a), Math.max(0, delay), intervalNanos, TimeUnit.NANOSECONDS);
            }
            List<Thread> pollers = startPollers(registered, pollClient);
            Thread commander = startCommander(registered, client);
            long[] lastStored = {0};
            long[] lastAt = {start};
            monitor.scheduleAtFixedRate(() -> progress(start, lastStored, lastAt), 10, 10, TimeUnit.SECONDS);
            monitor.scheduleAtFixedRate(() -> server.rssBytes().ifPresent(r -> rssMax.accumulateAndGet(r, Math::max)), 1, 2, TimeUnit.SECONDS);

            sleepUntil(measureFrom);
            Window w0 = Window.now(server);
            sleepUntil(end);
            Window w1 = Window.now(server);
            String loadAtEnd = ProcFs.loadAverage();
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();

            scheduler.shutdownNow();
            long drainUntil = System.nanoTime() + DRAIN.toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
                Thread.sleep(20);
            }
            if (inFlight.get() > 0) {
                error("push_unfinished_after_drain", inFlight.get(), inFlight.get() + " pushes still queued or in flight "
                        + DRAIN.toSeconds() + " s after the end");
            }
            if (commander != null) {
                commander.join(DRAIN.toMillis());
            }
            for (Thread t : pollers) {
                t.join(DRAIN.toMillis());
            }
            for (Agent a : registered.subList(0, Math.min(cfg.pollers(), registered.size()))) {
                if (a.commandQueuedAt.get() != 0) {
                    error("command_not_delivered", 1, "a command queued for client " + a.clientId + " was not received by the end");
                }
            }
            monitor.shutdownNow();
            server.rssBytes().ifPresent(r -> rssMax.accumulateAndGet(r, Math::max));

            double window = (end - measureFrom) / 1e9;
            double offered = registered.size() * (double) series * 1e9 / intervalNanos;
            Report.Setup setup = new Report.Setup(server.kind(), server.storage(), server.uri().toString(), cfg.seriesCacheSize(),
                    registered.size(), series, intervalNanos / 1e9, cfg.compression(), cfg.duration().toMillis() / 1e3,
                    cfg.warmup().toMillis() / 1e3, cfg.concurrency(), cfg.pollers(), round(registrationSeconds), round(primeSeconds),
                    round(firstPushLatency.percentileMs(50)), round(firstPushLatency.percentileMs(99)), round(offered),
                    round(offered * 30 / series));
            double perSecond = stored.sum() / window;
            Report.Throughput throughput = new Report.Throughput(round(window), pushes.sum(), sent.sum(), stored.sum(),
                    round(perSecond), round(pushes.sum() / window), round(perSecond * 30 / series), storedTotal.sum());
            Report.Latency latency = new Report.Latency(round(pushLatency.percentileMs(50)), round(pushLatency.percentileMs(90)),
                    round(pushLatency.percentileMs(99)), round(pushLatency.maxMs()), round(queueLatency.percentileMs(99)));
            long storedInWindow = stored.sum();
            OptionalLong db = server.databaseBytes();
            Long compacted = null;
            if (cfg.compactAtEnd() && server instanceof InProcessServer in) {
                out.println("compacting all stored samples into chunks...");
                compacted = in.compactNow();
            }
            long total = storedTotal.sum();
            Report.Server srv = new Report.Server(server.sharesJvm(), box(server.rssBytes()), box(server.rssAnonBytes()),
                    rssMax.get() == 0 ? null : rssMax.get(), box(server.peakRssBytes()),
                    cores(w0.serverCpu, w1.serverCpu, w0, w1), perThousand(w0.serverCpu, w1.serverCpu, storedInWindow),
                    w0.db == null ? null : cores(w0.db, w1.db, w0, w1),
                    w0.db == null ? null : perThousand(w0.db, w1.db, storedInWindow),
                    box(db), db.isPresent() && total > 0 ? round((db.getAsLong() - dbAtStart) / (double) total) : null,
                    compacted, compacted != null && total > 0 && dbAtStart == 0 ? round(compacted / (double) total) : null);
            Report.Simulator sim = new Report.Simulator(
                    server.sharesJvm() ? null : cores(w0.selfCpu, w1.selfCpu, w0, w1),
                    server.sharesJvm() ? null : perThousand(w0.selfCpu, w1.selfCpu, storedInWindow),
                    threads, round(encodeLatency.percentileMs(50) * 1000), round(encodeLatency.percentileMs(99) * 1000),
                    server.sharesJvm() ? Map.of() : threadShares(w0, w1));
            Double machineBusy = cores(w0.machineBusy, w1.machineBusy, w0, w1);
            Report.Machine machine = machine(startedAt, loadAtStart, loadAtEnd, machineBusy);
            Report.Commands commands = commandsQueued.get() == 0 ? null : new Report.Commands(commandsQueued.get(),
                    commandsDelivered.get(), resultsReported.get(), round(commandLatency.percentileMs(50)),
                    round(commandLatency.percentileMs(99)), round(commandLatency.maxMs()));
            Map<String, Long> errs = new TreeMap<>();
            errors.forEach((k, v) -> errs.put(k, v.sum()));
            return new Report(machine, setup, throughput, latency, errs, new TreeMap<>(examples), srv, sim, commands);
        } finally {
            scheduler.shutdownNow();
            monitor.shutdownNow();
            encoders.shutdownNow();
            pusher.close();
        }
    }

    /** CPU readings at one end of the measured window (nanoseconds; null where unknown). */
    private record Window(long at, Long serverCpu, Long selfCpu, Long machineBusy, Map<Long, Long> db, Map<String, Long> selfThreads) {
        static Window now(ServerUnderTest server) {
            PostgresTarget pg = server.postgres();
            Map<Long, Long> db = pg == null ? null : pg.backendCpuNanos();
            return new Window(System.nanoTime(), box(server.cpuNanos()), box(ProcFs.cpuNanos(ProcessHandle.current().pid())),
                    box(ProcFs.machineBusyNanos()), db, ProcFs.threadGroupCpuNanos(ProcessHandle.current().pid()));
        }
    }

    /** Cores each thread group of the simulator kept busy in the window, busiest first, those above 0.005. */
    private static Map<String, Double> threadShares(Window w0, Window w1) {
        Map<String, Double> shares = new java.util.LinkedHashMap<>();
        w1.selfThreads.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - w0.selfThreads.getOrDefault(e.getKey(), 0L)) / (double) (w1.at - w0.at)))
                .filter(e -> e.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> shares.put(e.getKey(), Math.round(e.getValue() * 1000) / 1000.0));
        return shares;
    }

    /** Cores busy between the two readings, or null when either is unknown. */
    private static Double cores(Long before, Long after, Window w0, Window w1) {
        if (before == null || after == null) {
            return null;
        }
        return Math.round((after - before) / (double) (w1.at - w0.at) * 1000) / 1000.0;
    }

    private static Double cores(Map<Long, Long> before, Map<Long, Long> after, Window w0, Window w1) {
        return Math.round(PostgresTarget.cpuBetween(before, after) / (double) (w1.at - w0.at) * 1000) / 1000.0;
    }

    private static Double perThousand(Long before, Long after, long samples) {
        if (before == null || after == null || samples == 0) {
            return null;
        }
        return round((after - before) / 1e6 / (samples / 1000.0));
    }

    private static Double perThousand(Map<Long, Long> before, Map<Long, Long> after, long samples) {
        return samples == 0 ? null : round(PostgresTarget.cpuBetween(before, after) / 1e6 / (samples / 1000.0));
    }

    private List<Agent> register(List<Agent> agents, DcmonClient client, ExecutorService pool) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(agents.size());
        List<Agent> ok = java.util.Collections.synchronizedList(new ArrayList<>());
        SplittableRandom seeds = new SplittableRandom(cfg.seed());
        for (Agent a : agents) {
            long nonceSeed = seeds.nextLong();
            pool.execute(() -> {
                try {
                    byte[] nonce = new byte[16];
                    new SplittableRandom(nonceSeed ^ System.nanoTime()).nextBytes(nonce);
                    String machineId = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
                            .putLong(cfg.seed()).putLong(a.index).array());
                    RegistrationRequest req = RegistrationRequest.sign(a.keys, a.hostname(), machineId,
                            Map.of("gpu_count", Integer.toString(MachineModel.GPUS), "simulated", "true"),
                            Instant.now(), HexFormat.of().formatHex(nonce));
                    RegisterResponse r = client.register(req, server.adminToken());
                    a.clientId = r.clientId();
                    a.token = r.clientToken();
                    a.authorization = "Bearer " + r.clientToken();
                    ok.add(a);
                } catch (DcmonClientException e) {
                    error(kind("register", e), 1, e.getMessage());
                } catch (RuntimeException e) {
                    error("register_" + e.getClass().getSimpleName(), 1, String.valueOf(e.getMessage()));
                } finally {
                    done.countDown();
                }
            });
        }
        long deadline = Math.max(60, agents.size() / 10);
        if (!done.await(deadline, TimeUnit.SECONDS)) {
            throw new IllegalStateException("registration of " + agents.size() + " agents did not finish within " + deadline
                    + " s (" + ok.size() + " done); is the server overloaded?");
        }
        List<Agent> sorted = new ArrayList<>(ok);
        sorted.sort(java.util.Comparator.comparingInt(x -> x.index));
        return sorted;
    }

    /**
     * Every agent's first push, before the clock starts: it makes the server create the agent's series, which costs
     * more than storing samples of known series and is reported on its own.
     */
    private void prime(List<Agent> agents) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(agents.size());
        for (Agent a : agents) {
            inFlight.incrementAndGet();
            encoders.execute(() -> send(a, System.nanoTime(), true, done));
        }
        if (!done.await(cfg.primeTimeout().toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the first pushes of " + agents.size() + " agents (series creation) did not finish within "
                    + cfg.primeTimeout().toSeconds() + " s (" + (agents.size() - done.getCount()) + " done): the server creates series"
                    + " too slowly for this fleet; reuse a primed database with --data-dir and --key-cache, or raise --prime-timeout");
        }
    }

    private void tick(Agent a) {
        long due = System.nanoTime();
        if (due >= end) {
            return;
        }
        if (!a.busy.compareAndSet(false, true)) {
            error("push_skipped_behind_schedule", 1, "an agent's previous push had not finished when the next was due");
            return;
        }
        inFlight.incrementAndGet();
        try {
            encoders.execute(() -> send(a, due, false, null));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.decrementAndGet();
            a.busy.set(false); // the run is ending
        }
    }

    /**
     * On the encoder thread: waits for a free slot (at most {@code concurrency} pushes in flight), encodes the
     * agent's next batch and sends it; the answer is recorded on an HTTP client thread.
     */
    private void send(Agent a, long due, boolean first, CountDownLatch done) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(a, done);
            return;
        }
        long begin = System.nanoTime();
        byte[] body;
        int size = a.encoder.size();
        try {
            double elapsed = a.lastPush == 0 ? cfg.interval().toMillis() / 1e3 : (begin - a.lastPush) / 1e9;
            a.lastPush = begin;
            body = a.encoder.gzipBatch(a.model, System.currentTimeMillis(), elapsed, scratch.get());
        } catch (RuntimeException e) {
            error("encode_" + e.getClass().getSimpleName(), 1, String.valueOf(e.getMessage()));
            slots.release();
            finish(a, done);
            return;
        }
        long sendAt = System.nanoTime();
        encodeLatency.add(sendAt - begin);
        pusher.push(body, a.authorization, first ? "first_push" : "push").whenComplete((o, err) -> {
            long finished = System.nanoTime();
            slots.release();
            try {
                if (err != null) {
                    error((first ? "first_push_" : "push_") + err.getClass().getSimpleName(), 1, String.valueOf(err.getMessage()));
                } else if (!o.ok()) {
                    error(o.errorKind(), 1, o.message());
                } else {
                    record(o.response(), size, first, due, begin, sendAt, finished);
                }
            } finally {
                finish(a, done);
            }
        });
    }

    private void record(MetricsResponse r, int size, boolean first, long due, long begin, long sendAt, long finished) {
        storedTotal.add(r.stored());
        if (first) {
            firstPushLatency.add(finished - sendAt);
        } else if (begin >= measureFrom && begin < end) {
            pushes.increment();
            sent.add(size);
            stored.add(r.stored());
            pushLatency.add(finished - sendAt);
            queueLatency.add(begin - due);
        }
        if (!r.rejected().isEmpty()) {
            error("sample_rejected", r.rejected().size(), r.rejected().get(0).error());
        }
        int missing = size - r.stored() - r.rejected().size();
        if (missing > 0) {
            error("sample_not_stored", missing, missing + " samples accepted but not stored (already stored for that time?)");
        }
    }

    private void finish(Agent a, CountDownLatch done) {
        a.busy.set(false);
        inFlight.decrementAndGet();
        if (done != null) {
            done.countDown();
        }
    }

    private List<Thread> startPollers(List<Agent> agents, DcmonClient client) {
        List<Thread> threads = new ArrayList<>();
        for (Agent a : agents.subList(0, Math.min(cfg.pollers(), agents.size()))) {
            Thread t = daemon("sim-poll").newThread(() -> poll(a, client));
            t.start();
            threads.add(t);
        }
        return threads;
    }

    private void poll(Agent a, DcmonClient client) {
        while (true) {
            long left = end - System.nanoTime();
            long wait = Math.min(POLL_WAIT.toSeconds(), left / 1_000_000_000L);
            if (wait < 1) {
                return;
            }
            try {
                List<CommandView> got = client.pollCommands(a.token, a.clientId, Duration.ofSeconds(wait));
                long now = System.nanoTime();
                for (CommandView c : got) {
                    long queuedAt = a.commandQueuedAt.getAndSet(0);
                    if (queuedAt != 0) {
                        commandLatency.add(now - queuedAt);
                    }
                    commandsDelivered.incrementAndGet();
                    client.reportResult(a.token, new CommandResult(c.id(), 0, "simulated: fan mode optimal", ""));
                    resultsReported.incrementAndGet();
                }
            } catch (DcmonClientException e) {
                error(kind("poll", e), 1, e.getMessage());
                if (!sleep(1000)) {
                    return;
                }
            } catch (RuntimeException e) {
                error("poll_" + e.getClass().getSimpleName(), 1, String.valueOf(e.getMessage()));
                if (!sleep(1000)) {
                    return;
                }
            }
        }
    }

    private Thread startCommander(List<Agent> agents, DcmonClient client) {
        int n = Math.min(cfg.pollers(), agents.size());
        if (n == 0 || cfg.commandEvery().isZero()) {
            return null;
        }
        List<Agent> targets = agents.subList(0, n);
        Thread t = daemon("sim-admin").newThread(() -> {
            AtomicInteger next = new AtomicInteger();
            // stop early enough that the last command is still picked up by a poll
            long stopAt = end - Math.max(2_000_000_000L, Math.min(3_000_000_000L, cfg.duration().toNanos() / 4));
            while (sleep(cfg.commandEvery().toMillis()) && System.nanoTime() < stopAt) {
                Agent a = null;
                for (int i = 0; i < n && a == null; i++) {
                    Agent c = targets.get(Math.floorMod(next.getAndIncrement(), n));
                    if (c.commandQueuedAt.get() == 0) {
                        a = c;
                    }
                }
                if (a == null) {
                    continue;
                }
                a.commandQueuedAt.set(System.nanoTime());
                try {
                    client.queueCommand(server.adminToken(), new NewCommand(a.clientId, "fan_control",
                            JsonNodeFactory.instance.objectNode().put("action", "status"), 300L));
                    commandsQueued.incrementAndGet();
                } catch (DcmonClientException e) {
                    a.commandQueuedAt.set(0);
                    error(kind("command_queue", e), 1, e.getMessage());
                }
            }
        });
        t.start();
        return t;
    }

    private void progress(long start, long[] lastStored, long[] lastAt) {
        long now = System.nanoTime();
        long total = storedTotal.sum();
        double rate = (total - lastStored[0]) / ((now - lastAt[0]) / 1e9);
        lastStored[0] = total;
        lastAt[0] = now;
        long errs = errors.values().stream().mapToLong(LongAdder::sum).sum();
        out.printf(Locale.ROOT, "  t=%4.0f s  stored %8.0f samples/s  p99 %6.1f ms  errors %d  server RSS %s%n",
                (now - start) / 1e9, rate, pushLatency.percentileMs(99), errs,
                server.rssBytes().isPresent() ? Report.mib(server.rssBytes().getAsLong()) : "unknown");
    }

    private void error(String kind, long n, String example) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).add(n);
        examples.putIfAbsent(kind, example == null ? "" : example.length() > 300 ? example.substring(0, 300) + "…" : example);
    }

    static String kind(String what, DcmonClientException e) {
        return e.status() == 0 ? what + "_no_answer" : what + "_http_" + e.status();
    }

    private static Report.Machine machine(String startedAt, String loadAtStart, String loadAtEnd, Double machineBusyCores) {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return new Report.Machine(Runtime.getRuntime().availableProcessors(), memory, Runtime.version().toString(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                startedAt, loadAtStart, loadAtEnd, machineBusyCores);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 1_000_000_000L));
        }
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static Long box(OptionalLong v) {
        return v.isPresent() ? v.getAsLong() : null;
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10) / 10.0;
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
