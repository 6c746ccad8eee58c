package io.dcmon.transport.tls;

import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.Keys;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationRequest;
import io.dcmon.core.service.RegistrationService;
import io.dcmon.core.service.Tokens;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.auth.CaffeineNonceGuard;
import io.dcmon.transport.client.DcmonClient;
import io.dcmon.transport.client.DcmonClientException;
import io.dcmon.transport.server.DcmonServer;
import io.dcmon.transport.server.DcmonServices;
import io.dcmon.transport.wire.RegisterResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS with a generated self-signed certificate, reached by clients that pin its fingerprint. */
class TlsEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void aGeneratedCertificateCoversLocalNamesAndAddressesAndItsKeyIsMode600() throws Exception {
        TlsMaterial m = TlsMaterial.loadOrCreate(dir.resolve("auth"), "dcmon-test-host");
        assertThat(m.generated()).isTrue();
        assertThat(m.subjectAlternativeNames()).contains("dcmon-test-host", "localhost", "127.0.0.1");
        assertThat(m.subjectAlternativeNames()).anySatisfy(s -> assertThat(s).contains(":"));  // ::1 in some spelling
        for (InetAddress a : TlsMaterial.localAddresses()) {
            assertThat(m.subjectAlternativeNames()).as("SAN for %s", a).contains(a.getHostAddress());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("auth/server.key")))).isEqualTo("rw-------");
        assertThat(m.fingerprint()).hasSize(64).isEqualTo(m.fingerprintColons().replace(":", "").toLowerCase(java.util.Locale.ROOT));

        TlsMaterial again = TlsMaterial.loadOrCreate(dir.resolve("auth"), "dcmon-test-host");
        assertThat(again.generated()).isFalse();
        assertThat(again.fingerprint()).isEqualTo(m.fingerprint());
    }

    @Test
    void halfAnIdentityOrAForeignKeyIsRefusedWithAClearMessage() throws Exception {
        Path auth = dir.resolve("auth");
        TlsMaterial.loadOrCreate(auth, "h");
        Files.delete(auth.resolve(TlsMaterial.KEY_FILE));
        assertThatThrownBy(() -> TlsMaterial.loadOrCreate(auth, "h"))
                .isInstanceOf(TlsException.class).hasMessageContaining("server.key is missing");

        Path other = dir.resolve("other");
        TlsMaterial.loadOrCreate(other, "h");
        Files.copy(other.resolve(TlsMaterial.KEY_FILE), auth.resolve(TlsMaterial.KEY_FILE));
        assertThatThrownBy(() -> TlsMaterial.loadOrCreate(auth, "h"))
                .isInstanceOf(TlsException.class).hasMessageContaining("is not the private key of");
    }

    @Test
    void aClientPinningTheFingerprintConnectsAndOtherPinsAreRefused() throws Exception {
        TlsMaterial tls = TlsMaterial.loadOrCreate(dir.resolve("auth"), "localhost");
        String admin = Tokens.generate();
        Clock clock = Clock.systemUTC();
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("dcmon.db"))) {
            DcmonServices services = new DcmonServices(new ClientAuthenticator(admin, storage),
                    new RegistrationService(storage, new CaffeineNonceGuard(), clock), new IngestService(storage, storage, clock),
                    new QueryService(storage, storage), clock, false);
            try (DcmonServer server = DcmonServer.create("127.0.0.1", 0, services, tls)) {
                server.start();
                URI uri = server.uri();
                assertThat(uri.getScheme()).isEqualTo("https");

                // under TLS the dashboard's session cookie is Secure
                java.net.http.HttpClient https = java.net.http.HttpClient.newBuilder()
                        .sslContext(io.dcmon.transport.client.PinnedTrust.sslContext(tls.fingerprint())).build();
                java.net.http.HttpResponse<String> login = https.send(java.net.http.HttpRequest.newBuilder(uri.resolve("ui/login"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"token\":\"" + admin + "\"}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(login.statusCode()).isEqualTo(200);
                assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("; Secure", "; HttpOnly"));

                DcmonClient pinned = DcmonClient.create(uri, tls.fingerprintColons());
                RegisterResponse reg = pinned.register(RegistrationRequest.sign(Keys.generateRsa(), "tls-agent", "",
                        Map.of(), Instant.now(), Tokens.generate()), admin);
                assertThat(pinned.verify(reg.clientToken()).hostname()).isEqualTo("tls-agent");
                // the same pin works by host name too (SAN localhost)
                assertThat(DcmonClient.create(URI.create("https://localhost:" + uri.getPort() + "/"), tls.fingerprint())
                        .verify(reg.clientToken()).clientId()).isEqualTo(reg.clientId());

                String otherPin = TlsMaterial.generate(List.of("localhost"), List.of(), clock).fingerprint();
                assertThatThrownBy(() -> DcmonClient.create(uri, otherPin).verify(reg.clientToken()))
                        .isInstanceOfSatisfying(DcmonClientException.class, e -> {
                            assertThat(e.status()).isZero();
                            assertThat(e.retryable()).isFalse();
                            assertThat(e.getMessage()).contains("TLS handshake refused");
                        });
                // without a pin the JDK's CA trust refuses the self-signed certificate
                assertThatThrownBy(() -> DcmonClient.create(uri).verify(reg.clientToken()))
                        .isInstanceOfSatisfying(DcmonClientException.class, e -> assertThat(e.status()).isZero());
            }
        }
    }
}
