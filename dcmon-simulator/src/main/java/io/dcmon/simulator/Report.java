package io.dcmon.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The result of one simulator run: what was offered, what the server accepted, how fast it answered, what it
 * cost. Written as a table for people and as JSON for tools.
 *
 * @param machine     where it ran
 * @param setup       what was simulated
 * @param throughput  samples and requests in the measured window (after warm-up)
 * @param latency     push request latency, milliseconds, measured window only
 * @param errors      every failure by kind over the whole run (registration, pushes, polls, commands); empty is good
 * @param errorExamples first message seen per error kind
 * @param server      the server's resources
 * @param simulator   what the simulator itself cost (it shares the machine with the server)
 * @param commands    command delivery, or null when no commands were queued
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Report(Machine machine, Setup setup, Throughput throughput, Latency latency, Map<String, Long> errors,
                     Map<String, String> errorExamples, Server server, Simulator simulator, Commands commands) {

    /**
     * Where the run happened and how loaded the machine was: load averages (1, 5, 15 min) at the start and the end,
     * and the cores the whole machine kept busy during the measured window (server, simulator, database and
     * anything else running).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Machine(int cpus, long memoryBytes, String javaVersion, String os, String startedAt, String loadAverageStart,
                          String loadAverageEnd, Double machineBusyCores) {
    }

    /**
     * The simulator's own cost in the measured window: CPU of its process (null when the server runs inside it),
     * its live threads, how long encoding one batch (JSON + gzip) took, microseconds, and the cores each group of
     * its threads kept busy (JVM threads included: compilers, GC).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Simulator(Double cpuCoresUsed, Double cpuMsPerThousandSamples, int threads, double encodeP50Us, double encodeP99Us,
                            Map<String, Double> coresByThreadGroup) {
    }

    /** What was simulated. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Setup(String serverKind, String storage, String serverUri, long seriesCacheSize, int agents, int seriesPerAgent, double intervalSeconds,
                        double compression, double durationSeconds, double warmupSeconds, int concurrency, int pollers,
                        double registrationSeconds, double firstPushSeconds, double firstPushP50Ms,
                        double firstPushP99Ms, double offeredSamplesPerSecond, double agentEquivalents) {
    }

    /** Counts in the measured window. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Throughput(double windowSeconds, long pushes, long samplesSent, long samplesStored,
                             double storedSamplesPerSecond, double pushesPerSecond,
                             double sustainedAgentEquivalents, long samplesStoredTotal) {
    }

    /** Push latency in milliseconds (around {@code DcmonClient.push}: client JSON + gzip, HTTP, server, storage commit). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Latency(double p50Ms, double p90Ms, double p99Ms, double maxMs, double queueP99Ms) {
    }

    /**
     * Server resources; fields are null when unknown (remote server). The database CPU is PostgreSQL's backends
     * serving the run's database (not its shared background writer, WAL writer and checkpointer); null for SQLite,
     * which runs inside the server process.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Server(boolean sharesSimulatorJvm, Long rssBytesEnd, Long rssAnonBytesEnd, Long rssBytesMax, Long peakRssBytes,
                         Double cpuCoresUsed, Double cpuMsPerThousandSamples, Double databaseCpuCoresUsed,
                         Double databaseCpuMsPerThousandSamples, Long databaseBytes,
                         Double bytesPerSample, Long compactedDatabaseBytes, Double compactedBytesPerSample) {
    }

    /** Command delivery latency: queued by the admin → received by the agent's long-poll. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Commands(long queued, long delivered, long resultsReported, double p50Ms, double p99Ms, double maxMs) {
    }

    /** True when nothing failed. */
    public boolean clean() {
        return errors.isEmpty();
    }

    /** Writes the report as indented JSON. */
    public void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }

    /** The report as an aligned plain-text table. */
    public String table() {
        StringBuilder b = new StringBuilder();
        row(b, "machine", machine.cpus() + " CPUs, " + mib(machine.memoryBytes()) + " RAM, Java " + machine.javaVersion()
                + ", " + machine.os());
        row(b, "load", "load average " + machine.loadAverageStart() + " at start, " + machine.loadAverageEnd() + " at end"
                + (machine.machineBusyCores() == null ? "" : String.format(Locale.ROOT,
                "; whole machine %.2f of %d cores busy in the window (others: %s)", machine.machineBusyCores(), machine.cpus(), others())));
        row(b, "server", setup.serverKind() + ", storage " + setup.storage() + ", at " + setup.serverUri()
                + (setup.seriesCacheSize() > 0 ? ", storage series cache " + setup.seriesCacheSize() : ", storage defaults"));
        row(b, "fleet", String.format(Locale.ROOT, "%d agents x %d series every %.1f s (time x%.1f vs 30 s agents) = %.0f samples/s offered = %.0f agent-equivalents",
                setup.agents(), setup.seriesPerAgent(), setup.intervalSeconds(), setup.compression(),
                setup.offeredSamplesPerSecond(), setup.agentEquivalents()));
        row(b, "run", String.format(Locale.ROOT, "%.0f s (first %.0f s warm-up not measured), %d pushes in flight max, %d pollers; registration took %.1f s",
                setup.durationSeconds(), setup.warmupSeconds(), setup.concurrency(), setup.pollers(), setup.registrationSeconds()));
        row(b, "first pushes", String.format(Locale.ROOT, "%.1f s for all agents' first batch (creates their series): p50 %.1f ms, p99 %.1f ms",
                setup.firstPushSeconds(), setup.firstPushP50Ms(), setup.firstPushP99Ms()));
        row(b, "stored samples/s", String.format(Locale.ROOT, "%.0f (%d pushes, %.1f/s; %d of %d samples stored in %.0f s window) = %.0f agent-equivalents",
                throughput.storedSamplesPerSecond(), throughput.pushes(), throughput.pushesPerSecond(), throughput.samplesStored(),
                throughput.samplesSent(), throughput.windowSeconds(), throughput.sustainedAgentEquivalents()));
        row(b, "push latency", String.format(Locale.ROOT, "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (waiting for a worker: p99 %.1f ms)",
                latency.p50Ms(), latency.p90Ms(), latency.p99Ms(), latency.maxMs(), latency.queueP99Ms()));
        row(b, "errors", errors.isEmpty() ? "none" : errors.toString());
        errorExamples.forEach((k, v) -> row(b, "  " + k, v));
        String share = server.sharesSimulatorJvm() ? " (shared with the simulator: use --server-jar for the server alone)" : "";
        row(b, "server RSS", server.rssBytesEnd() == null ? "unknown" : "end " + mib(server.rssBytesEnd())
                + " (not file-backed: " + mib(server.rssAnonBytesEnd()) + "), max sampled "
                + mib(server.rssBytesMax()) + ", peak (VmHWM) " + mib(server.peakRssBytes()) + share);
        row(b, "server CPU", server.cpuCoresUsed() == null ? "unknown" : String.format(Locale.ROOT,
                "%.2f cores busy, %.1f ms CPU per 1000 samples%s", server.cpuCoresUsed(), server.cpuMsPerThousandSamples(), share));
        if (server.databaseCpuCoresUsed() != null) {
            row(b, "database CPU", String.format(Locale.ROOT, "%.2f cores busy, %.1f ms CPU per 1000 samples (PostgreSQL backends of the run's database)",
                    server.databaseCpuCoresUsed(), server.databaseCpuMsPerThousandSamples()));
        }
        row(b, "simulator CPU", simulator.cpuCoresUsed() == null ? "inside the server's JVM (use --server-jar to tell them apart)"
                : String.format(Locale.ROOT, "%.2f cores busy, %.1f ms CPU per 1000 samples; %d threads; encoding a batch p50 %.0f us, p99 %.0f us",
                simulator.cpuCoresUsed(), simulator.cpuMsPerThousandSamples(), simulator.threads(), simulator.encodeP50Us(),
                simulator.encodeP99Us()));
        if (!simulator.coresByThreadGroup().isEmpty()) {
            row(b, "  by thread", simulator.coresByThreadGroup().toString());
        }
        row(b, "database", server.databaseBytes() == null ? "unknown" : String.format(Locale.ROOT,
                "%s; grew %.1f bytes per stored sample over %d samples (%s)%s", mib(server.databaseBytes()),
                server.bytesPerSample(), throughput.samplesStoredTotal(),
                "postgres".equals(setup.storage()) ? "pg_database_size" : "uncompacted rows + WAL",
                server.compactedDatabaseBytes() == null ? "" : String.format(Locale.ROOT, "; after compaction %s = %.1f bytes/sample",
                        mib(server.compactedDatabaseBytes()), server.compactedBytesPerSample())));
        row(b, "commands", commands == null ? "none queued" : String.format(Locale.ROOT,
                "%d queued, %d delivered, %d results; delivery p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                commands.queued(), commands.delivered(), commands.resultsReported(), commands.p50Ms(), commands.p99Ms(), commands.maxMs()));
        return b.toString();
    }

    /** Cores busy on the machine that were neither the server, the simulator nor the run's database backends. */
    private String others() {
        if (machine.machineBusyCores() == null || server.cpuCoresUsed() == null) {
            return "unknown";
        }
        double o = machine.machineBusyCores() - server.cpuCoresUsed()
                - (simulator.cpuCoresUsed() == null ? 0 : simulator.cpuCoresUsed())
                - (server.databaseCpuCoresUsed() == null ? 0 : server.databaseCpuCoresUsed());
        return String.format(Locale.ROOT, "%.2f cores", Math.max(0, o));
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "%-18s %s%n", name, value));
    }

    static String mib(Long bytes) {
        return bytes == null ? "unknown" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
