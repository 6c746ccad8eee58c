package io.dcmon.examples;

import io.dcmon.agent.Agent;
import io.dcmon.agent.AgentState;
import io.dcmon.agent.Spool;
import io.dcmon.agent.app.Main;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.service.SecretFiles;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.server.DcmonServer;
import io.dcmon.transport.tls.TlsMaterial;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent pins the server's certificate at registration (SSH style). When another certificate shows up, it keeps
 * its batches and sends nothing; when the pinned certificate is back, everything arrives.
 */
class AgentPinTest {

    @TempDir
    Path tmp;

    final Clock clock = Clock.systemUTC();
    final AtomicLong counter = new AtomicLong();
    SqliteStorage storage;
    DcmonServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    void start(String admin, int port, TlsMaterial tls) throws Exception {
        if (server != null) {
            server.close();
        }
        if (storage == null) {
            storage = SqliteStorage.open(tmp.resolve("dcmon.db"));
        }
        server = DcmonServer.create("127.0.0.1", port, TestServers.services(storage, admin, clock), tls);
        server.start();
    }

    long storedCount() {
        return storage.query(new SampleQuery(OptionalLong.empty(), "pin_test_total", Map.of(), 0, Long.MAX_VALUE / 2, 100_000))
                .stream().mapToLong(d -> d.points().size()).sum();
    }

    List<Sample> cycle() {
        return List.of(Sample.of(SeriesKey.of("pin_test_total"), clock.millis(), counter.incrementAndGet()));
    }

    @Test
    void aReplacedCertificateStopsSendingUntilThePinnedOneIsBack() throws Exception {
        List<InetAddress> loopback = List.of(InetAddress.getByName("127.0.0.1"));
        TlsMaterial original = TlsMaterial.generate(List.of("localhost"), loopback, clock);
        TlsMaterial impostor = TlsMaterial.generate(List.of("localhost"), loopback, clock);
        Path tokenFile = tmp.resolve("admin_token");
        String admin = SecretFiles.readOrCreateToken(tokenFile).value();
        start(admin, 0, original);
        int port = server.uri().getPort();
        String url = "https://127.0.0.1:" + port;
        Path auth = tmp.resolve("auth");

        // unattended enrolment with the wrong fingerprint is refused; with the right one it pins
        assertThat(Main.execute("register", "--server", url, "--admin-token-file", tokenFile.toString(), "--auth-dir", auth.toString(),
                "--server-fingerprint", "SHA256:" + impostor.fingerprintColons())).isEqualTo(1);
        assertThat(Main.execute("register", "--server", url, "--admin-token-file", tokenFile.toString(), "--auth-dir", auth.toString(),
                "--server-fingerprint", "SHA256:" + original.fingerprintColons())).isZero();
        AgentState.Registration reg = new AgentState(auth).registration().orElseThrow();
        assertThat(reg.pin()).isEqualTo(original.fingerprint());

        Spool spool = new Spool(tmp.resolve("spool"), Spool.Limits.defaults(), clock);
        Agent agent = new Agent(reg.client(), reg.token(), this::cycle, spool, clock, Duration.ofMillis(10));
        agent.cycle();
        assertThat(storedCount()).isEqualTo(1);

        start(admin, port, impostor);
        for (int i = 0; i < 3; i++) {
            Thread.sleep(30); // past the short backoff, so every cycle really tries the impostor
            agent.cycle();
        }
        assertThat(storedCount()).as("nothing sent to a server with another certificate").isEqualTo(1);
        assertThat(spool.depth()).isEqualTo(3);

        start(admin, port, original);
        Thread.sleep(30);
        agent.cycle();
        assertThat(spool.depth()).isZero();
        assertThat(storedCount()).isEqualTo(5);
    }
}
