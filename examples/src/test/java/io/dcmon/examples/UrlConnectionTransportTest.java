package io.dcmon.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dcmon.agent.Agent;
import io.dcmon.agent.AgentState;
import io.dcmon.agent.AgentTransport;
import io.dcmon.agent.Enrolment;
import io.dcmon.agent.Spool;
import io.dcmon.agent.UrlConnectionTransport;
import io.dcmon.agent.app.Main;
import io.dcmon.core.model.Command;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.service.SecretFiles;
import io.dcmon.core.service.Tokens;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.client.DcmonClient;
import io.dcmon.transport.client.DcmonClientException;
import io.dcmon.transport.server.DcmonServer;
import io.dcmon.transport.tls.TlsMaterial;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.CommandView;
import io.dcmon.transport.wire.NewCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transport {@code dcmon-agent run} uses (HttpURLConnection, jackson-core) against the real server: batches
 * arrive with integer, fractional and non-finite values intact, commands travel both ways, errors are classified
 * as with {@link DcmonClient}, and the certificate pin holds (nothing sent to another certificate, all of it once
 * the pinned one is back).
 */
class UrlConnectionTransportTest {

    @TempDir
    Path tmp;

    final Clock clock = Clock.systemUTC();
    final String adminToken = Tokens.generate();
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

    void start(int port, TlsMaterial tls) throws Exception {
        if (server != null) {
            server.close();
        }
        if (storage == null) {
            storage = SqliteStorage.open(tmp.resolve("dcmon.db"));
        }
        server = tls == null ? DcmonServer.create("127.0.0.1", port, TestServers.services(storage, adminToken, clock))
                : DcmonServer.create("127.0.0.1", port, TestServers.services(storage, adminToken, clock), tls);
        server.start();
    }

    List<Double> stored(String metric) {
        return storage.query(new SampleQuery(OptionalLong.empty(), metric, Map.of(), 0, Long.MAX_VALUE / 2, 100_000)).stream()
                .flatMap(d -> d.points().stream()).map(p -> p.value().doubleValue()).toList();
    }

    @Test
    void pushesSpooledBatchesPollsCommandsAndReportsResults() throws Exception {
        start(0, null);
        AgentState.Registration r = new Enrolment(new AgentState(tmp.resolve("auth")), clock)
                .register(server.uri(), null, adminToken, new Enrolment.HostIdentity("lean-host", "", Map.of()));
        AgentTransport transport = r.transport();
        assertThat(transport).isInstanceOf(UrlConnectionTransport.class);
        long now = clock.millis();
        Spool spool = new Spool(tmp.resolve("spool"), Spool.Limits.defaults(), clock);
        Agent agent = new Agent(transport, r.token(), () -> List.of(
                Sample.of(SeriesKey.of("lean_bytes", "dev", "nvme0n1"), now, 1L << 40),
                Sample.of(SeriesKey.of("lean_ratio", "q", "say \"hi\" ü"), now, 0.25),
                Sample.of(SeriesKey.of("lean_nan"), now, Double.NaN),
                Sample.of(SeriesKey.of("lean_inf"), now, Double.POSITIVE_INFINITY)), spool, clock, Duration.ofSeconds(1));
        agent.cycle();
        assertThat(spool.depth()).isZero();
        assertThat(stored("lean_bytes")).containsExactly((double) (1L << 40));
        assertThat(stored("lean_ratio")).containsExactly(0.25);
        assertThat(stored("lean_nan")).singleElement().matches(d -> d.isNaN());
        assertThat(stored("lean_inf")).containsExactly(Double.POSITIVE_INFINITY);
        assertThat(stored("dcmon_agent_spool_batches")).as("the agent's own health travels in the same batch").hasSize(1);

        assertThat(transport.pollCommands(r.token(), r.clientId(), Duration.ZERO)).isEmpty();
        DcmonClient admin = DcmonClient.create(server.uri());
        CommandView queued = admin.queueCommand(adminToken, new NewCommand(r.clientId(), "config_update",
                JsonNodeFactory.instance.objectNode().put("interval", 15), null));
        List<CommandView> got = transport.pollCommands(r.token(), r.clientId(), Duration.ofSeconds(5));
        assertThat(got).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(queued.id());
            assertThat(c.type()).isEqualTo("config_update");
            assertThat(c.params()).containsExactly(Map.entry("interval", "15"));
        });
        transport.reportResult(r.token(), new CommandResult(queued.id(), 0, "configuration updated: {interval=15}", ""));
        Command done = storage.commands().findCommand(queued.id()).orElseThrow();
        assertThat(done.status().isFinal()).isTrue();
        assertThat(done.outcome().exitStatus()).isZero();
        assertThat(done.outcome().output()).isEqualTo("configuration updated: {interval=15}");

        assertThatThrownBy(() -> transport.push("not-a-token", new byte[] {1, 2, 3}))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> assertThat(e.isAuthFailure()).isTrue());
        assertThatThrownBy(() -> transport.push(r.token(), new byte[] {1, 2, 3}))
                .as("a batch the server cannot read is refused for good, not retried")
                .isInstanceOfSatisfying(DcmonClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.serverError()).isNotBlank();
                });
        server.close();
        server = null;
        assertThatThrownBy(() -> transport.pollCommands(r.token(), r.clientId(), Duration.ZERO))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.retryable()).as("server down: retry later").isTrue();
                });
    }

    @Test
    void aReplacedCertificateStopsSendingUntilThePinnedOneIsBack() throws Exception {
        List<InetAddress> loopback = List.of(InetAddress.getByName("127.0.0.1"));
        TlsMaterial original = TlsMaterial.generate(List.of("localhost"), loopback, clock);
        TlsMaterial impostor = TlsMaterial.generate(List.of("localhost"), loopback, clock);
        Path tokenFile = tmp.resolve("admin_token");
        SecretFiles.write(tokenFile, adminToken + "\n");
        start(0, original);
        int port = server.uri().getPort();
        String url = "https://127.0.0.1:" + port;
        Path auth = tmp.resolve("auth");
        assertThat(Main.execute("register", "--server", url, "--admin-token-file", tokenFile.toString(), "--auth-dir", auth.toString(),
                "--server-fingerprint", "SHA256:" + original.fingerprintColons())).isZero();
        AgentState.Registration reg = new AgentState(auth).registration().orElseThrow();
        assertThat(reg.pin()).isEqualTo(original.fingerprint());

        Spool spool = new Spool(tmp.resolve("spool"), Spool.Limits.defaults(), clock);
        Agent agent = new Agent(reg.transport(), reg.token(),
                () -> List.of(Sample.of(SeriesKey.of("lean_pin_total"), clock.millis(), counter.incrementAndGet())),
                spool, clock, Duration.ofMillis(10));
        agent.cycle();
        assertThat(stored("lean_pin_total")).hasSize(1);

        start(port, impostor);
        for (int i = 0; i < 3; i++) {
            Thread.sleep(30); // past the short backoff, so every cycle really tries the impostor
            agent.cycle();
        }
        assertThat(stored("lean_pin_total")).as("nothing sent to a server with another certificate").hasSize(1);
        assertThat(spool.depth()).isEqualTo(3);
        assertThatThrownBy(() -> reg.transport().pollCommands(reg.token(), reg.clientId(), Duration.ZERO))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> assertThat(e.getCause()).isInstanceOf(javax.net.ssl.SSLException.class));

        start(port, original);
        Thread.sleep(30);
        agent.cycle();
        assertThat(spool.depth()).isZero();
        assertThat(stored("lean_pin_total")).hasSize(5);
    }

    @Test
    void refusesAPinForPlainHttp() {
        assertThatThrownBy(() -> UrlConnectionTransport.create(URI.create("http://127.0.0.1:1/"), "ab".repeat(32)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://");
    }
}
