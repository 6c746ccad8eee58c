package io.dcmon.server.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcmon.transport.server.AuditLog;
import io.dcmon.transport.tls.TlsMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS setup leaves one audit line: what certificate, its fingerprint, or why it failed; never key material. */
class TlsSetupAuditTest {

    @TempDir
    Path tmp;

    List<JsonNode> audit(Path file) throws Exception {
        ObjectMapper m = new ObjectMapper();
        return Files.readAllLines(file).stream().map(l -> {
            try {
                return m.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
    }

    ServerConfig config(boolean tls, Path cert, Path key) {
        return new ServerConfig("127.0.0.1", 0, tmp.resolve("auth"), tmp.resolve("dcmon.db"), false, tls, 7, 3600, "info",
                cert, key, null);
    }

    @Test
    void aGeneratedCertificateIsAuditedWithItsFingerprint() throws Exception {
        Path file = tmp.resolve("audit.log");
        TlsMaterial tls;
        try (AuditLog audit = AuditLog.create(Clock.systemUTC(), file)) {
            tls = ServerLauncher.setUpTls(config(true, null, null), audit);
        }
        assertThat(tls).isNotNull();
        List<JsonNode> lines = audit(file);
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.get("event").asText()).isEqualTo("tls_setup");
        assertThat(line.get("sha256_fingerprint").asText()).isEqualTo(tls.fingerprintColons());
        assertThat(line.get("certificate").asText()).startsWith("self-signed in ");
        String key = Files.readString(tmp.resolve("auth").resolve(TlsMaterial.KEY_FILE));
        String body = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(Files.readString(file)).doesNotContain(body).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aCertificateThatCannotBeLoadedIsAuditedAndStopsTheStart() throws Exception {
        Path file = tmp.resolve("audit.log");
        Path missing = tmp.resolve("no-such-cert.pem");
        try (AuditLog audit = AuditLog.create(Clock.systemUTC(), file)) {
            assertThatThrownBy(() -> ServerLauncher.setUpTls(config(true, missing, tmp.resolve("no-such-key.pem")), audit))
                    .hasMessageContaining("no-such-cert.pem");
        }
        JsonNode line = audit(file).get(0);
        assertThat(line.get("event").asText()).isEqualTo("tls_setup_failed");
        assertThat(line.get("reason").asText()).contains("no-such-cert.pem");
    }

    @Test
    void plainHttpIsAuditedToo() throws Exception {
        Path file = tmp.resolve("audit.log");
        try (AuditLog audit = AuditLog.create(Clock.systemUTC(), file)) {
            assertThat(ServerLauncher.setUpTls(config(false, null, null), audit)).isNull();
        }
        JsonNode line = audit(file).get(0);
        assertThat(line.get("event").asText()).isEqualTo("tls_setup");
        assertThat(line.get("tls").asBoolean()).isFalse();
    }
}
