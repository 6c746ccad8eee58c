package io.dcmon.simulator;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dcmon-server.jar run --dev} started as a separate process on 127.0.0.1 and a free port, so its memory
 * and CPU are measured alone from {@code /proc/<pid>}. Output goes to {@code server.log} in the data directory.
 */
public final class ProcessServer implements ServerUnderTest {

    /** How long the server may take to start listening. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private static final Pattern LISTENING = Pattern.compile("dcmon server \\(dev mode\\) at (\\S+)");

    private final Process process;
    private final URI uri;
    private final String adminToken;
    private final Path dbFile;
    private final PostgresTarget postgres;

    private ProcessServer(Process process, URI uri, String adminToken, Path dbFile, PostgresTarget postgres) {
        this.process = process;
        this.uri = uri;
        this.adminToken = adminToken;
        this.dbFile = dbFile;
        this.postgres = postgres;
    }

    /**
     * Starts the server jar and waits until it listens.
     *
     * @param jar      path of {@code dcmon-server.jar}
     * @param javaOpts JVM options for the server, e.g. the packaged {@code -Xmx128m -XX:+UseSerialGC ...}
     * @param dataDir  its data directory (admin token, database, log)
     */
    public static ProcessServer start(Path jar, List<String> javaOpts, Path dataDir) throws IOException, InterruptedException {
        return start(jar, javaOpts, dataDir, null);
    }

    /**
     * Starts the server jar storing into PostgreSQL ({@code storage: postgres} in a configuration file written to
     * the data directory) and waits until it listens.
     *
     * @param postgres the database to store into, or null for SQLite in the data directory
     */
    public static ProcessServer start(Path jar, List<String> javaOpts, Path dataDir, PostgresTarget postgres)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("server jar " + jar.toAbsolutePath() + " does not exist: build it with "
                    + "'mvn -q -pl dcmon-server-app -am package -DskipTests' or pass --server-jar PATH");
        }
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("server.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaOpts);
        cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "run", "--dev", "--data-dir",
                dataDir.toAbsolutePath().toString(), "--port", "0"));
        if (postgres != null) {
            Path config = dataDir.resolve("simulator-server.yaml");
            Files.writeString(config, "# written by dcmon-simulator for this run\n" + postgres.serverConfigYaml(), StandardCharsets.UTF_8);
            cmd.addAll(List.of("--config", config.toAbsolutePath().toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // as the packaged unit's Environment= line, so the RSS measured is the RSS systemd's server would have
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        Process p = pb.start();
        // a simulator stopped with Ctrl-C or SIGTERM must not leave its server running
        Thread stopper = new Thread(() -> stop(p), "sim-server-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        p.onExit().thenRun(() -> {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running or ran
            }
        });
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IOException("the server exited with status " + p.exitValue() + " before listening; its log "
                            + log + " ends with:\n" + tail(log));
                }
                Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
                Path token = dataDir.resolve("admin_token");
                if (m.find() && Files.exists(token)) {
                    String admin = Files.readString(token, StandardCharsets.UTF_8).trim();
                    return new ProcessServer(p, URI.create(m.group(1)), admin, dataDir.resolve("dcmon.db"), postgres);
                }
                Thread.sleep(100);
            }
            throw new IOException("the server did not listen within " + START_TIMEOUT.toSeconds() + " s; its log " + log
                    + " ends with:\n" + tail(log));
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(p);
            throw e;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public String adminToken() {
        return adminToken;
    }

    @Override
    public OptionalLong rssBytes() {
        return ProcFs.rss(process.pid());
    }

    @Override
    public OptionalLong rssAnonBytes() {
        return ProcFs.rssAnon(process.pid());
    }

    @Override
    public OptionalLong peakRssBytes() {
        return ProcFs.peakRss(process.pid());
    }

    @Override
    public OptionalLong cpuNanos() {
        return ProcFs.cpuNanos(process.pid());
    }

    @Override
    public OptionalLong databaseBytes() {
        return postgres != null ? postgres.databaseBytes() : ProcFs.sqliteBytes(dbFile);
    }

    @Override
    public PostgresTarget postgres() {
        return postgres;
    }

    @Override
    public String kind() {
        return "process";
    }

    @Override
    public boolean sharesJvm() {
        return false;
    }

    /** Stops the server; the PostgreSQL database, if any, belongs to the caller. */
    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process p) {
        p.destroy(); // SIGTERM: the server's shutdown hook drains writes and checkpoints the WAL
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
