package io.dcmon.transport.client;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DcmonClientTest {

    @Test
    void aRefusedConnectionIsStatusZeroAndRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DcmonClient c = DcmonClient.create(URI.create("http://127.0.0.1:" + port));
        assertThatThrownBy(() -> c.push("token", List.of(Sample.of(SeriesKey.of("a"), 1, 1L))))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("127.0.0.1:" + port);
                });
    }

    @Test
    void theBaseUriAlwaysEndsWithASlashSoContextPathsWork() {
        assertThat(DcmonClient.create(URI.create("http://h:1/dcmon")).server()).hasToString("http://h:1/dcmon/");
        assertThat(DcmonClient.create(URI.create("http://h:1")).server()).hasToString("http://h:1/");
    }

    @Test
    void refusesUnusableServerUris() {
        assertThatThrownBy(() -> DcmonClient.create(URI.create("ftp://h/"))).hasMessageContaining("http://");
        assertThatThrownBy(() -> DcmonClient.create(URI.create("http://h/"), "ab".repeat(32))).hasMessageContaining("https://");
        assertThatThrownBy(() -> DcmonClient.create(URI.create("https://h/"), "abc")).hasMessageContaining("64 hex digits");
    }

    @Test
    void pinsAreNormalisedFromOpensslForm() {
        String hex = "0123456789abcdef".repeat(4);
        StringBuilder colons = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            colons.append(i == 0 ? "" : ":").append(hex.substring(i, i + 2).toUpperCase(java.util.Locale.ROOT));
        }
        assertThat(PinnedTrust.normalize(colons.toString())).isEqualTo(hex);
        assertThat(PinnedTrust.normalize("sha256:" + hex)).isEqualTo(hex);
    }
}
