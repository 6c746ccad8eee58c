package io.dcmon.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walking skeleton as an operator runs it: the two fat jars as separate processes, a dev-mode server on
 * 127.0.0.1, an agent registered with the admin token file, pushing every 2 s; then the admin API lists the host
 * and returns its memory samples equal to this machine's /proc/meminfo.
 */
class JarsEndToEndTest {

    static final Path SERVER_JAR = Path.of("../dcmon-server-app/target/dcmon-server.jar");
    static final Path AGENT_JAR = Path.of("../dcmon-agent-app/target/dcmon-agent.jar");

    @TempDir
    Path tmp;

    final List<Process> processes = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx128m", "-jar"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    JsonNode getJson(URI uri, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", uri, r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    @Test
    void agentJarRegistersAndPushesToServerJarAndMemoryMatchesProcMeminfo() throws Exception {
        assertThat(SERVER_JAR).as("build the jars first: mvn -DskipTests package").exists();
        assertThat(AGENT_JAR).exists();
        Path data = tmp.resolve("data");
        Path auth = tmp.resolve("agent-auth");
        int port = freePort();
        String base = "http://127.0.0.1:" + port;

        Process server = start(tmp.resolve("server.log"), SERVER_JAR.toString(), "run", "--dev", "--data-dir", data.toString(),
                "--port", Integer.toString(port));
        Path tokenFile = data.resolve("admin_token");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!healthy(base, tokenFile)) {
            assertThat(server.isAlive()).as("server exited: %s", Files.readString(tmp.resolve("server.log"))).isTrue();
            assertThat(System.nanoTime()).as("server did not answer within 60 s").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        String admin = Files.readString(tokenFile).trim();
        assertThat(Files.readString(tmp.resolve("server.log"))).doesNotContain(admin);

        Process register = start(tmp.resolve("register.log"), AGENT_JAR.toString(), "register", "--server", base,
                "--admin-token-file", tokenFile.toString(), "--auth-dir", auth.toString());
        assertThat(register.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(register.exitValue()).as(Files.readString(tmp.resolve("register.log"))).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(auth.resolve("client_token")))).isEqualTo("rw-------");

        start(tmp.resolve("agent.log"), AGENT_JAR.toString(), "run", "--server", base, "--auth-dir", auth.toString(), "--interval", "2");

        JsonNode clients = getJson(URI.create(base + "/api/clients"), admin);
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        assertThat(clients.toString()).contains(hostname);
        long clientId = clients.get(0).get("client_id").asLong();

        long memTotal = meminfo("MemTotal");
        JsonNode series = null;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            series = getJson(URI.create(base + "/api/metrics?client_id=" + clientId + "&metric=node_memory_total_bytes"), admin);
            if (series.toString().contains("\"value\"")) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(series.toString()).as("agent log: %s", Files.readString(tmp.resolve("agent.log"))).contains("\"value\"");
        assertThat(series.findValues("value")).isNotEmpty().allSatisfy(v -> assertThat(v.asLong()).isEqualTo(memTotal));
    }

    @Test
    void agentJarCarriesNoServerStackAndStaysSmall() throws IOException {
        assertThat(Files.size(AGENT_JAR)).isLessThan(8L * 1024 * 1024);
        try (ZipFile zip = new ZipFile(AGENT_JAR.toFile())) {
            assertThat(zip.stream().map(java.util.zip.ZipEntry::getName))
                    .noneMatch(n -> n.startsWith("org/eclipse/jetty/server/"))
                    .noneMatch(n -> n.startsWith("org/glassfish/jersey/server/"))
                    .noneMatch(n -> n.startsWith("org/jooq/"))
                    .noneMatch(n -> n.startsWith("org/sqlite/"))
                    .anyMatch(n -> n.equals("io/dcmon/agent/app/Main.class"));
        }
    }

    boolean healthy(String base, Path tokenFile) throws Exception {
        if (!Files.exists(tokenFile)) {
            return false;
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                    .header("Authorization", "Bearer " + Files.readString(tokenFile).trim()).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    static long meminfo(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException(key + " not in /proc/meminfo");
    }
}
