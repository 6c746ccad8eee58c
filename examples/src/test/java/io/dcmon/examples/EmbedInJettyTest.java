package io.dcmon.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EmbedInJettyTest {

    @TempDir
    Path tmp;

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hostRouteAndMountedDcmonApiBothAnswer() throws Exception {
        try (EmbedInJetty app = EmbedInJetty.start(tmp, 0)) {
            String base = "http://127.0.0.1:" + app.port();
            String admin = Files.readString(tmp.resolve("admin_token")).trim();

            HttpResponse<String> hello = get(base + "/hello/", null);
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("hello from the host app\n");

            HttpResponse<String> clients = get(base + "/dcmon/api/clients", admin);
            assertThat(clients.statusCode()).isEqualTo(200);
            assertThat(clients.body()).startsWith("[");

            HttpResponse<String> anonymous = get(base + "/dcmon/api/clients", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("\"error\"");
        }
    }
}
