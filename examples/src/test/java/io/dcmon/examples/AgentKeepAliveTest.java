package io.dcmon.examples;

import io.dcmon.agent.app.Main;
import io.dcmon.core.service.SecretFiles;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.server.DcmonServer;
import io.dcmon.transport.tls.TlsMaterial;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent jar as systemd runs it, on TLS with a pinned certificate, pushing every 7 s: longer than the 5 s the JDK
 * keeps an idle connection by default. Every push arrives over the same TCP connection (one TLS handshake), because
 * the agent keeps idle connections for 125 s and the server for 150 s.
 */
class AgentKeepAliveTest {

    static final Path AGENT_JAR = JarsEndToEndTest.AGENT_JAR;

    @TempDir
    Path tmp;

    SqliteStorage storage;
    DcmonServer server;
    Process agent;

    /** One line per request: method, path and the client's port (a new port is a new connection). */
    record Seen(String method, String path, int clientPort) {
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
        if (server != null) {
            server.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    @Test
    void pushesSevenSecondsApartOverTlsShareOneConnection() throws Exception {
        assertThat(AGENT_JAR).as("build the jars first: mvn -DskipTests package").exists();
        Clock clock = Clock.systemUTC();
        TlsMaterial tls = TlsMaterial.generate(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")), clock);
        Path tokenFile = tmp.resolve("admin_token");
        String admin = SecretFiles.readOrCreateToken(tokenFile).value();
        storage = SqliteStorage.open(tmp.resolve("dcmon.db"));
        server = DcmonServer.create("127.0.0.1", 0, TestServers.services(storage, admin, clock), tls);
        ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        server.jetty().setHandler(new Handler.Wrapper(server.jetty().getHandler()) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                seen.add(new Seen(request.getMethod(), request.getHttpURI().getPath(), Request.getRemotePort(request)));
                return super.handle(request, response, callback);
            }
        });
        server.start();
        String url = "https://127.0.0.1:" + server.uri().getPort();
        Path auth = tmp.resolve("auth");
        assertThat(Main.execute("register", "--server", url, "--admin-token-file", tokenFile.toString(), "--auth-dir", auth.toString(),
                "--server-fingerprint", "SHA256:" + tls.fingerprintColons())).isZero();
        seen.clear();

        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "server: " + url + "\nauth_dir: " + auth + "\ninterval: 7\nspool_dir: " + tmp.resolve("spool")
                + "\nlog_level: info\n");
        Path log = tmp.resolve("agent.log");
        agent = new ProcessBuilder(JarsEndToEndTest.javaBin(), "-Xmx64m", "-jar", AGENT_JAR.toString(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pushes(seen).size() < 3) {
            assertThat(agent.isAlive()).as("agent exited: %s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("three pushes within 60 s; agent log: %s", Files.readString(log)).isLessThan(deadline);
            Thread.sleep(200);
        }
        List<Seen> pushes = pushes(seen);
        assertThat(pushes).as("agent log: %s", Files.readString(log))
                .extracting(Seen::clientPort).as("one connection for every push (the JDK default would open one per push)")
                .containsOnly(pushes.get(0).clientPort());
    }

    static List<Seen> pushes(ConcurrentLinkedQueue<Seen> seen) {
        List<Seen> out = new ArrayList<>();
        for (Seen s : seen) {
            if (s.method().equals("POST") && s.path().equals("/api/metrics")) {
                out.add(s);
            }
        }
        return out;
    }
}
