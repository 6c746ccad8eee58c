package io.dcmon.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --headline}: finds the largest fleet one server sustains with zero errors, in agent-equivalents (agents ×
 * 254 series every 30 s). The simulated fleet keeps its size ({@code --agents}) and the push interval shrinks to
 * raise the load (time compression, stated in the output). Each step is a complete run against a freshly started
 * server on the same data directory (the first step creates the fleet's series, later steps reuse them, as a
 * server that has run for a while has them): probes of {@code --probe} ramp up ×1.5 from {@code --start-at} until
 * one fails, bisect between the last pass and the first failure, then the best passing level must hold for
 * {@code --confirm}; if it does not, the level drops by 15 % and is confirmed again. A step passes when no error
 * of any kind was counted, every sample sent in the measured window was stored and 95 % of the offered rate was
 * stored in the window ({@link #passed}). No step starts that could end
 * after {@code --budget}. Prints a Markdown table to paste into docs/PERFORMANCE.md.
 */
final class Headline {

    /** Share of the offered samples/s a step must store in its window. */
    static final double KEEP_PACE = 0.95;

    /** Least extra time assumed for a step besides its duration: server start, registration, first pushes. */
    private static final Duration STEP_OVERHEAD = Duration.ofSeconds(90);

    private final Main main;
    private final SimulationConfig base;
    private final Path dir;
    private final PostgresTarget pg;
    private final PrintStream out;
    private final List<Step> steps = new ArrayList<>();
    private final long deadline;
    private final Path keys;
    /** Server start, registration and first pushes of a step, as the slowest step so far took them. */
    private long overheadNanos = STEP_OVERHEAD.toNanos();

    /** One run of the search. */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Step(String phase, int agentEquivalents, double intervalSeconds, double durationSeconds, boolean passed, Report report) {
    }

    Headline(Main main, SimulationConfig base, Path dir, PostgresTarget pg, PrintStream out) {
        this.main = main;
        this.base = base;
        this.dir = dir;
        this.pg = pg;
        this.out = out;
        this.deadline = System.nanoTime() + main.budget.toNanos();
        // the same keys every step: the agents re-register under their ids and find their series already there
        this.keys = base.keyCache() != null ? base.keyCache() : dir.resolve("simulator-keys.pem");
    }

    /** Runs the search, prints the table, writes every step's report to {@code json} if given; 0 when a level held. */
    int run(Path json) throws Exception {
        String started = Instant.now().toString();
        int held = search(Math.max(50, main.startAt), main.maxAt, main.probe, main.confirm, this::fits, this::step);
        printTable(started, held);
        if (json != null) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("sustained_agent_equivalents", held);
            all.put("fleet_agents", base.agents());
            all.put("steps", steps);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), all);
            out.println("JSON report: " + json.toAbsolutePath());
        }
        return held > 0 ? 0 : 1;
    }

    /** Runs one step at a level; true when it passed. */
    interface Prober {
        boolean step(String phase, int agentEquivalents, Duration duration) throws Exception;
    }

    /**
     * The search: ramp ×1.5 from {@code startAt} until a probe fails (or halve until one passes), bisect to within
     * 10 %, confirm the best passing level (15 % lower after a failed confirmation).
     *
     * @param fits whether a step of that length may still start
     * @return the confirmed level, 0 when none held
     */
    static int search(int startAt, int maxAt, Duration probe, Duration confirm, java.util.function.Predicate<Duration> fits, Prober prober)
            throws Exception {
        int lo = 0;
        int hi = 0;
        int level = Math.min(startAt, maxAt);
        while (fits.test(probe)) {
            if (prober.step("probe", level, probe)) {
                lo = level;
                if (hi > 0 || level >= maxAt) {
                    break;
                }
                level = Math.min(maxAt, round50(level * 1.5));
            } else {
                hi = level;
                if (lo > 0 || level <= 50) {
                    break;
                }
                level = round50(level / 2.0);
            }
        }
        while (lo > 0 && hi > 0 && hi > lo * 1.1 && fits.test(probe)) {
            int mid = round50(Math.sqrt((double) lo * hi));
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (prober.step("probe", mid, probe)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        while (lo >= 50 && fits.test(confirm)) {
            if (prober.step("confirm", lo, confirm)) {
                return lo;
            }
            int lower = round50(lo * 0.85);
            lo = lower < lo ? lower : 0;
        }
        return 0;
    }

    /**
     * A step passes when no error of any kind was counted, every sample sent in the window was stored, and the
     * server kept pace: at least 95 % of the offered samples/s were stored in the window. A server falling behind
     * shows first as pushes starting later and later (fewer of them in the window) before any push is skipped.
     */
    static boolean passed(Report r) {
        return r.clean() && r.throughput().pushes() > 0 && r.throughput().samplesStored() == r.throughput().samplesSent()
                && r.throughput().storedSamplesPerSecond() >= KEEP_PACE * r.setup().offeredSamplesPerSecond();
    }

    /** Whether a step of {@code d} can end before the budget, judging its overhead by the slowest step so far. */
    private boolean fits(Duration d) {
        return System.nanoTime() + d.toNanos() + overheadNanos <= deadline;
    }

    private boolean step(String phase, int agentEquivalents, Duration duration) throws Exception {
        // agents × 30 s / interval = agent-equivalents
        long intervalMs = Math.max(100, Math.round(base.agents() * 30_000.0 / agentEquivalents));
        Duration warmup = Duration.ofSeconds(Math.min(phase.equals("confirm") ? 30 : 20, duration.toSeconds() / 4));
        SimulationConfig cfg = new SimulationConfig(base.agents(), Duration.ofMillis(intervalMs), duration, warmup, base.concurrency(),
                base.pollers(), base.commandEvery(), base.seed(), keys, false, base.primeTimeout(), base.seriesCacheSize(),
                base.gzipLevel());
        out.printf(Locale.ROOT, "%n=== %s: %d agent-equivalents = %d agents every %.2f s for %s ===%n", phase, agentEquivalents,
                base.agents(), intervalMs / 1000.0, Simulation.human(duration));
        Report r;
        long began = System.nanoTime();
        try {
            r = main.runOnce(cfg, dir, pg, out);
            overheadNanos = Math.max(overheadNanos, System.nanoTime() - began - duration.toNanos());
        } catch (IllegalStateException e) {
            // the first pushes or the registration did not finish in time: that level is not sustained
            out.println("step failed: " + e.getMessage());
            steps.add(new Step(phase, agentEquivalents, intervalMs / 1000.0, duration.toSeconds(), false, null));
            return false;
        }
        boolean ok = passed(r);
        out.printf(Locale.ROOT, "%s: %s, %.0f samples/s stored, p99 %.0f ms, errors %s%n", phase, ok ? "PASS" : "FAIL",
                r.throughput().storedSamplesPerSecond(), r.latency().p99Ms(), r.errors().isEmpty() ? "none" : r.errors());
        steps.add(new Step(phase, agentEquivalents, intervalMs / 1000.0, duration.toSeconds(), ok, r));
        return ok;
    }

    private void printTable(String started, int held) {
        Report any = steps.stream().map(Step::report).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        out.println();
        out.println("### Headline: largest fleet sustained with zero errors (dcmon-simulator --headline)");
        out.println();
        if (any != null) {
            Report.Machine m = any.machine();
            out.printf(Locale.ROOT, "Machine: %d CPUs, %.1f GiB RAM, Java %s, %s. Started %s. Server: %s, storage %s, flags as packaged"
                            + " unless --server-java-opts says otherwise. Fleet: %d simulated agents × %d series; the push interval is"
                            + " shortened to raise the load (time compression; agent-equivalents = agents × 30 s / interval).%n%n",
                    m.cpus(), m.memoryBytes() / 1073741824.0, m.javaVersion(), m.os(), started, any.setup().serverKind(),
                    any.setup().storage(), any.setup().agents(), any.setup().seriesPerAgent());
        }
        out.println("| step | agent-eq. | interval | length | stored samples/s | errors | push p50 / p99 | wait p99 | server CPU (ms/1k samples) "
                + "| database CPU | simulator CPU | server RSS | load avg start → end (machine busy) | result |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Step s : steps) {
            Report r = s.report();
            if (r == null) {
                out.printf(Locale.ROOT, "| %s | %d | %.2f s | %s | – | series creation or registration too slow | – | – | – | – | – | – | – | FAIL |%n",
                        s.phase(), s.agentEquivalents(), s.intervalSeconds(), Simulation.human(Duration.ofSeconds((long) s.durationSeconds())));
                continue;
            }
            Report.Server srv = r.server();
            out.printf(Locale.ROOT, "| %s | %d | %.2f s | %s | %.0f of %.0f | %s | %.0f / %.0f ms | %.0f ms | %s (%s) | %s | %s | %s | %s → %s (%s) | %s |%n",
                    s.phase(), s.agentEquivalents(), s.intervalSeconds(), Simulation.human(Duration.ofSeconds((long) s.durationSeconds())),
                    r.throughput().storedSamplesPerSecond(), r.setup().offeredSamplesPerSecond(),
                    r.errors().isEmpty() ? "none" : r.errors().toString().replace("|", "/"),
                    r.latency().p50Ms(), r.latency().p99Ms(), r.latency().queueP99Ms(),
                    cores(srv.cpuCoresUsed()), srv.cpuMsPerThousandSamples() == null ? "?" : String.format(Locale.ROOT, "%.0f", srv.cpuMsPerThousandSamples()),
                    srv.databaseCpuCoresUsed() == null ? "in server" : cores(srv.databaseCpuCoresUsed()),
                    cores(r.simulator().cpuCoresUsed()),
                    srv.rssBytesMax() == null ? "?" : Report.mib(srv.rssBytesMax()),
                    first(r.machine().loadAverageStart()), first(r.machine().loadAverageEnd()), cores(r.machine().machineBusyCores()),
                    s.passed() ? "pass" : "FAIL");
        }
        out.println();
        if (held > 0) {
            Step c = steps.stream().filter(s -> s.passed() && s.phase().equals("confirm")).reduce((a, b) -> b).orElseThrow();
            out.printf(Locale.ROOT, "**Sustained: %d agent-equivalents = %.0f samples/s offered for %s with zero errors** (%d agents every %.2f s;"
                            + " %.0f samples/s stored in the measured window, p99 %.0f ms).%n",
                    held, c.report().setup().offeredSamplesPerSecond(), Simulation.human(Duration.ofSeconds((long) c.durationSeconds())),
                    base.agents(), c.intervalSeconds(), c.report().throughput().storedSamplesPerSecond(), c.report().latency().p99Ms());
        } else {
            out.println("**No level held for the whole confirmation run within the budget** (see the steps above).");
        }
    }

    private static String cores(Double c) {
        return c == null ? "?" : String.format(Locale.ROOT, "%.2f cores", c);
    }

    private static String first(String load) {
        int sp = load.indexOf(' ');
        return sp < 0 ? load : load.substring(0, sp);
    }

    static int round50(double v) {
        return (int) Math.max(50, Math.round(v / 50) * 50);
    }
}
