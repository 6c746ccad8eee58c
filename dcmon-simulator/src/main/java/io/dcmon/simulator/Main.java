package io.dcmon.simulator;

import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar dcmon-simulator.jar}: runs a simulated fleet against a dcmon server on this machine and prints
 * a report. Exit status 0 when nothing failed, 1 when any error was counted, 2 for a bad command line.
 */
@Command(name = "dcmon-simulator", mixinStandardHelpOptions = true,
        description = {"Simulates a fleet of dcmon agents against a real dcmon server on 127.0.0.1 and reports throughput,",
            "latency, errors, server memory/CPU, database size and command delivery latency.",
            "By default the server runs inside this JVM; --server-jar runs dcmon-server.jar as its own process",
            "(clean RSS/CPU numbers); --url targets a server already running on this machine."})
public final class Main implements Callable<Integer> {

    /** The server flags the systemd unit ships with (packaging/server/dcmon-server.service). */
    static final String PACKAGED_SERVER_OPTS = "-Xms24m -Xmx128m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError";

    @Option(names = "--agents", paramLabel = "N", description = "simulated agents (default: ${DEFAULT-VALUE})")
    int agents = 100;
    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "push interval per agent; agents use 30s, less compresses time (default: ${DEFAULT-VALUE})")
    Duration interval = Duration.ofSeconds(30);
    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long to push after registration (default: ${DEFAULT-VALUE})")
    Duration duration = Duration.ofSeconds(60);
    @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "first part not measured (default: 10s, or half the duration when shorter)")
    Duration warmup;
    @Option(names = "--concurrency", paramLabel = "N", description = "pushes in flight at most (default: ${DEFAULT-VALUE})")
    int concurrency = 32;
    @Option(names = "--pollers", paramLabel = "N", description = "agents that also long-poll for commands (default: 10, at most --agents)")
    Integer pollers;
    @Option(names = "--command-every", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "the admin queues a command for a polling agent this often; 0 for none (default: ${DEFAULT-VALUE})")
    Duration commandEvery = Duration.ofSeconds(2);
    @Option(names = "--seed", description = "seed of the simulated values (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--key-cache", paramLabel = "FILE", description = "keep the agents' throwaway RSA keys here between runs (faster start)")
    Path keyCache;
    @Option(names = "--json", paramLabel = "FILE", description = "also write the report as JSON")
    Path json;
    @Option(names = "--url", paramLabel = "URL", description = "a dcmon server already running on 127.0.0.1 / ::1")
    URI url;
    @Option(names = "--admin-token-file", paramLabel = "FILE", description = "its admin token (with --url)")
    Path adminTokenFile;
    @Option(names = "--server-jar", paramLabel = "JAR", description = "start this dcmon-server.jar (run --dev) as a separate process")
    Path serverJar;
    @Option(names = "--server-java-opts", paramLabel = "OPTS",
            description = "JVM options for --server-jar (default: the packaged '" + PACKAGED_SERVER_OPTS + "')")
    String serverJavaOpts = PACKAGED_SERVER_OPTS;
    @Option(names = "--storage", paramLabel = "sqlite|postgres",
            description = "the server's store (default: ${DEFAULT-VALUE}); postgres needs --server-jar and --postgres-url/--postgres-user")
    String storage = "sqlite";
    @Option(names = "--postgres-url", paramLabel = "JDBC_URL", defaultValue = "${env:DCMON_PG_URL}",
            description = "PostgreSQL on this machine, e.g. jdbc:postgresql://127.0.0.1:5432/postgres (default: $DCMON_PG_URL)")
    String postgresUrl;
    @Option(names = "--postgres-user", paramLabel = "ROLE", defaultValue = "${env:DCMON_PG_USER}",
            description = "its role (default: $DCMON_PG_USER); needs CREATEDB unless --postgres-reuse-database")
    String postgresUser;
    @Option(names = "--postgres-password-file", paramLabel = "FILE",
            description = "file with the role's password (default: $DCMON_PG_PASSWORD, written to a mode-600 file in the data directory)")
    Path postgresPasswordFile;
    @Option(names = "--postgres-reuse-database",
            description = "store into the URL's own database (schema dcmon) instead of a fresh database created and dropped for the run")
    boolean postgresReuse;
    @Option(names = "--headline",
            description = {"find the largest fleet one server sustains with zero errors: ramp and bisect the load with short probes",
                "(--probe), then hold the best for --confirm; --agents is the fleet, the interval is what varies (time compression);",
                "prints a Markdown table. Needs --server-jar."})
    boolean headline;
    @Option(names = "--probe", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "--headline: length of each probe (default: ${DEFAULT-VALUE})")
    Duration probe = Duration.ofSeconds(90);
    @Option(names = "--confirm", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "--headline: how long the best level must hold (default: ${DEFAULT-VALUE})")
    Duration confirm = Duration.ofMinutes(5);
    @Option(names = "--budget", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "--headline: no new step starts that could end after this (default: ${DEFAULT-VALUE})")
    Duration budget = Duration.ofMinutes(30);
    @Option(names = "--start-at", paramLabel = "AGENT_EQUIVALENTS",
            description = "--headline: first level probed, in agents x 254 series / 30 s (default: ${DEFAULT-VALUE})")
    int startAt = 1000;
    @Option(names = "--max-at", paramLabel = "AGENT_EQUIVALENTS", description = "--headline: highest level probed (default: ${DEFAULT-VALUE})")
    int maxAt = 12_000;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "server data directory (default: a new temporary directory, deleted after)")
    Path dataDir;
    @Option(names = "--keep-data", description = "keep the temporary data directory")
    boolean keepData;
    @Option(names = "--compact-at-end", description = "in-process server: compress all samples into chunks after the run and report that size")
    boolean compactAtEnd;

    @Option(names = "--prime-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "longest time all agents' first pushes (series creation) may take (default: ${DEFAULT-VALUE})")
    Duration primeTimeout = Duration.ofMinutes(10);
    @Option(names = "--gzip-level", paramLabel = "1-9",
            description = "zlib level of the simulated batches (default: ${DEFAULT-VALUE}, the cheapest; the agent uses 6)")
    int gzipLevel = 1;
    @Option(names = "--series-cache", paramLabel = "N", description = "in-process server: series ids the storage caches (default: the storage's own)")
    long seriesCache;

    /** Entry point. */
    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SimulationConfig cfg;
        try {
            cfg = config();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (url != null && serverJar != null) {
            System.err.println("give either --url (a running server) or --server-jar (start one), not both");
            return 2;
        }
        if (!storage.equals("sqlite") && !storage.equals("postgres")) {
            System.err.println("--storage was '" + storage + "' but it must be sqlite or postgres");
            return 2;
        }
        if (storage.equals("postgres") && serverJar == null) {
            System.err.println("--storage postgres configures the server the simulator starts as a process: add --server-jar"
                    + " dcmon-server-app/target/dcmon-server.jar (or use --url for a server already running on PostgreSQL)");
            return 2;
        }
        if (headline && serverJar == null) {
            System.err.println("--headline starts the server once per step: add --server-jar dcmon-server-app/target/dcmon-server.jar");
            return 2;
        }
        boolean temp = dataDir == null && url == null;
        Path dir = temp ? Files.createTempDirectory("dcmon-sim-") : dataDir;
        PostgresTarget pg = null;
        try {
            if (storage.equals("postgres")) {
                try {
                    pg = PostgresTarget.open(postgresUrl, postgresUser, passwordFile(dir), !postgresReuse, keepData);
                } catch (IOException | IllegalArgumentException e) {
                    System.err.println(e.getMessage());
                    return 2;
                }
                System.out.println("PostgreSQL database for this run: " + pg.serverUrl());
            }
            if (headline) {
                Headline h = new Headline(this, cfg, dir, pg, System.out);
                return h.run(json);
            }
            Report report;
            try {
                report = runOnce(cfg, dir, pg, System.out);
            } catch (IOException | IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            System.out.println();
            System.out.print(report.table());
            if (json != null) {
                report.writeJson(json);
                System.out.println("JSON report: " + json.toAbsolutePath());
            }
            return report.clean() ? 0 : 1;
        } finally {
            if (pg != null) {
                pg.close();
            }
            if (temp && !keepData) {
                InProcessServer.deleteQuietly(dir);
            } else if (dir != null) {
                System.out.println("server data kept in " + dir);
            }
        }
    }

    /** Starts the server (as configured), runs one simulation against it, stops it. */
    Report runOnce(SimulationConfig cfg, Path dir, PostgresTarget pg, java.io.PrintStream progress) throws Exception {
        try (ServerUnderTest server = startServer(dir, pg)) {
            progress.printf(Locale.ROOT, "dcmon server (%s, %s) at %s%n", server.kind(), server.storage(), server.uri());
            return Simulation.run(server, cfg, progress);
        }
    }

    SimulationConfig config() {
        Duration w = warmup != null ? warmup : (duration.compareTo(Duration.ofSeconds(20)) < 0 ? duration.dividedBy(2) : Duration.ofSeconds(10));
        int p = pollers != null ? pollers : Math.min(10, agents);
        return new SimulationConfig(agents, interval, duration, w, concurrency, p, commandEvery, seed, keyCache, compactAtEnd,
                primeTimeout, seriesCache, gzipLevel);
    }

    private ServerUnderTest startServer(Path dir, PostgresTarget pg) throws Exception {
        if (url != null) {
            if (adminTokenFile == null) {
                throw new IllegalArgumentException("--url needs --admin-token-file (the server's admin_token file)");
            }
            return new RemoteServer(url, Files.readString(adminTokenFile, StandardCharsets.UTF_8).trim());
        }
        if (serverJar != null) {
            List<String> opts = serverJavaOpts.isBlank() ? List.of() : Arrays.asList(serverJavaOpts.trim().split("\\s+"));
            return ProcessServer.start(serverJar, opts, dir, pg);
        }
        return InProcessServer.start(dir, seriesCache);
    }

    /** The PostgreSQL password file: the one given, or $DCMON_PG_PASSWORD written to a mode-600 file in {@code dir}. */
    private Path passwordFile(Path dir) throws IOException {
        if (postgresPasswordFile != null) {
            return postgresPasswordFile;
        }
        String env = System.getenv("DCMON_PG_PASSWORD");
        if (env == null || env.isEmpty()) {
            return null;
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("postgres_password");
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, env + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** Reads {@code 30s}, {@code 500ms}, {@code 5m}, {@code 1h}, a bare number of seconds, or ISO-8601 ({@code PT30S}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            Matcher m = SIMPLE.matcher(v);
            if (m.matches()) {
                double n = Double.parseDouble(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                double ms = switch (unit) {
                    case "ms" -> n;
                    case "m" -> n * 60_000;
                    case "h" -> n * 3_600_000;
                    default -> n * 1000;
                };
                return Duration.ofMillis(Math.round(ms));
            }
            try {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: write e.g. 30s, 500ms, 5m or PT30S");
            }
        }
    }
}
