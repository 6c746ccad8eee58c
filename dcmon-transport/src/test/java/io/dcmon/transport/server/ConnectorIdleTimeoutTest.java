package io.dcmon.transport.server;

import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationService;
import io.dcmon.core.service.Tokens;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.auth.CaffeineNonceGuard;
import io.dcmon.transport.tls.TlsMaterial;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server keeps an idle connection for {@link DcmonServer#IDLE_TIMEOUT}, over plain HTTP and over TLS, so an agent
 * reuses one connection from push to push instead of a new TCP and TLS handshake every cycle.
 */
class ConnectorIdleTimeoutTest {

    @TempDir
    Path dir;

    @Test
    void aConnectionStaysOpenLongerThanAPushIntervalAndTheLongPoll() {
        assertThat(DcmonServer.IDLE_TIMEOUT)
                .as("longer than a 120 s push interval with margin for the agent's 125 s keep-alive")
                .isGreaterThan(Duration.ofSeconds(125))
                .as("longer than the command long-poll")
                .isGreaterThan(ApiOptions.defaults().longPollTimeout());
    }

    @Test
    void plainAndTlsConnectionsCarryTheIdleTimeout() throws Exception {
        Clock clock = Clock.systemUTC();
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("dcmon.db"))) {
            DcmonServices services = new DcmonServices(new ClientAuthenticator(Tokens.generate(), storage),
                    new RegistrationService(storage, new CaffeineNonceGuard(), clock),
                    new IngestService(storage, storage, clock), new QueryService(storage, storage), clock, true);
            for (TlsMaterial tls : Arrays.asList(null, TlsMaterial.generate("localhost", clock))) {
                try (DcmonServer server = DcmonServer.create("127.0.0.1", 0, services, tls)) {
                    server.start();
                    ServerConnector connector = (ServerConnector) server.jetty().getConnectors()[0];
                    assertThat(connector.getIdleTimeout()).as(server.uri().toString()).isEqualTo(DcmonServer.IDLE_TIMEOUT.toMillis());
                    // Jetty copies it to each accepted connection: check one that is really open
                    try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (connector.getConnectedEndPoints().isEmpty() && System.nanoTime() < deadline) {
                            Thread.sleep(10);
                        }
                        assertThat(connector.getConnectedEndPoints()).as(server.uri().toString())
                                .isNotEmpty().extracting(EndPoint::getIdleTimeout).containsOnly(DcmonServer.IDLE_TIMEOUT.toMillis());
                    }
                }
            }
        }
    }
}
