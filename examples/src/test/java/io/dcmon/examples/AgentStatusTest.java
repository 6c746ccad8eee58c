package io.dcmon.examples;

import io.dcmon.agent.AgentState;
import io.dcmon.agent.app.Main;
import io.dcmon.core.service.SecretFiles;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.server.DcmonServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dcmon-agent status}: 2 when nothing is set up, 1 when installed but not (or no longer) registered, 0 when verified. */
class AgentStatusTest {

    @TempDir
    Path tmp;

    @Test
    void exitCodesFollowTheSetupState() throws Exception {
        Clock clock = Clock.systemUTC();
        Path auth = tmp.resolve("auth");
        Path tokenFile = tmp.resolve("admin_token");
        String admin = SecretFiles.readOrCreateToken(tokenFile).value();
        try (SqliteStorage storage = SqliteStorage.open(tmp.resolve("dcmon.db"));
             DcmonServer server = DcmonServer.create("127.0.0.1", 0, TestServers.services(storage, admin, clock))) {
            server.start();
            String url = server.uri().toString();

            assertThat(Main.execute("status", "--auth-dir", auth.toString())).as("nothing set up").isEqualTo(2);

            new AgentState(auth).loadOrCreateKey();
            assertThat(Main.execute("status", "--auth-dir", auth.toString())).as("key but no registration").isEqualTo(1);

            assertThat(Main.execute("register", "--server", url, "--admin-token-file", tokenFile.toString(),
                    "--auth-dir", auth.toString())).isZero();
            assertThat(Main.execute("status", "--auth-dir", auth.toString())).as("registered and verified").isZero();

            long id = new AgentState(auth).registration().orElseThrow().clientId();
            HttpResponse<String> revoked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "api/clients/" + id))
                    .header("Authorization", "Bearer " + admin).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(revoked.statusCode()).as(revoked.body()).isBetween(200, 204);
            assertThat(Main.execute("status", "--auth-dir", auth.toString())).as("revoked: no longer registered").isEqualTo(1);
        }
    }
}
