package io.dcmon.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * A real Prometheus server (the Debian package's {@code /usr/bin/prometheus}) for tests: its own port on
 * 127.0.0.1, its own data directory, stopped at close. Never the system service: the Debian package may have
 * started one on 9090, so this one takes a free port. Missing binary: a failure with CI=true (the CI script
 * installs the package), an abort otherwise.
 */
final class RealPrometheus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RealPrometheus(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The binary: $DCMON_PROMETHEUS, /usr/bin/prometheus, or prometheus on the PATH. */
    static Path binary() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("DCMON_PROMETHEUS");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of("/usr/bin/prometheus"));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "prometheus"));
                }
            }
        }
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String why = "no prometheus binary (looked at $DCMON_PROMETHEUS, /usr/bin/prometheus and the PATH); "
                + "install the Debian package 'prometheus'";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + " (CI=true: .ci/run must install it)");
        }
        abort(why + "; skipped outside CI");
        throw new IllegalStateException("unreachable");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts Prometheus with {@code configYaml} and waits until it is ready.
     *
     * @param extraFlags e.g. {@code --web.enable-remote-write-receiver}
     */
    static RealPrometheus start(Path dir, String configYaml, String... extraFlags) throws Exception {
        Path bin = binary();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, configYaml);
        Path data = Files.createDirectories(dir.resolve("prometheus-data"));
        Path log = dir.resolve("prometheus.log");
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port, "--log.level=info"));
        cmd.addAll(List.of(extraFlags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RealPrometheus prom = new RealPrometheus(p, log, port);
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + p.exitValue() + ":\n" + prom.logTail());
            }
            try {
                HttpResponse<String> r = prom.http.send(HttpRequest.newBuilder(prom.uri("/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return prom;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        prom.close();
        throw new IllegalStateException("prometheus was not ready within " + READY_WITHIN + ":\n" + prom.logTail());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** GET on the HTTP API; the parsed JSON answer. */
    JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("prometheus answered " + r.statusCode() + " to " + pathAndQuery + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** An instant query's result array ({@code data.result}). */
    JsonNode query(String promql, double timeSeconds) throws Exception {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + String.format(java.util.Locale.ROOT, "%.3f", timeSeconds)).get("data").get("result");
    }

    /** Polls {@code promql} until it returns at least one series or {@code within} passes; the last result. */
    JsonNode awaitQuery(String promql, double timeSeconds, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode result = query(promql, timeSeconds);
        while (result.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            result = query(promql, timeSeconds);
        }
        return result;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
