package io.dcmon.transport.server;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.Keys;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationService;
import io.dcmon.core.service.Tokens;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.auth.CaffeineNonceGuard;
import io.dcmon.transport.client.DcmonClient;
import io.dcmon.transport.wire.RegisterResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The API mounted under a context path of a host application's already running Jetty, beside the host's own route. */
class EmbeddingTest {

    @TempDir
    Path dir;

    @Test
    void theApiWorksUnderAContextPathBesideTheHostsRoutes() throws Exception {
        Server host = new Server();
        host.setStopTimeout(0);
        ServerConnector connector = new ServerConnector(host);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        host.addConnector(connector);
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        ServletContextHandler app = new ServletContextHandler("/app");
        app.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().write("host app");
            }
        }), "/*");
        contexts.addHandler(app);
        host.setHandler(contexts);
        String admin = Tokens.generate();
        Clock clock = Clock.systemUTC();
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("dcmon.db"))) {
            host.start();
            try {
                DcmonServices services = new DcmonServices(new ClientAuthenticator(admin, storage),
                        new RegistrationService(storage, new CaffeineNonceGuard(), clock), new IngestService(storage, storage, clock),
                        new QueryService(storage, storage), clock, false);
                ServletContextHandler api = DcmonHandler.create("/dcmon", services);
                contexts.addHandler(api);
                api.start();   // the host is running already: addHandler does not start it

                URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> own = http.send(HttpRequest.newBuilder(base.resolve("app/")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(own.body()).isEqualTo("host app");

                HttpResponse<String> anon = http.send(HttpRequest.newBuilder(base.resolve("dcmon/api/clients")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(anon.statusCode()).isEqualTo(401);
                assertThat(anon.body()).contains("\"error\"");

                DcmonClient client = DcmonClient.create(base.resolve("dcmon"));
                RegisterResponse reg = client.register(TestApi.signed(Keys.generateRsa(), "embedded-agent"), admin);
                assertThat(client.push(reg.clientToken(), List.of(Sample.of(SeriesKey.of("embedded_total"), Instant.now().toEpochMilli(), 5L)))
                        .stored()).isEqualTo(1);
                assertThat(client.verify(reg.clientToken()).hostname()).isEqualTo("embedded-agent");

                // the dashboard comes along under the same context path; its cookie is scoped to it
                assertThat(http.send(HttpRequest.newBuilder(base.resolve("dcmon/ui/static/uplot/uPlot.iife.min.js")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                HttpResponse<String> login = http.send(HttpRequest.newBuilder(base.resolve("dcmon/ui/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + admin + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(login.statusCode()).isEqualTo(200);
                String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
                assertThat(cookie).contains("; Path=/dcmon/");
                HttpResponse<String> fleet = http.send(HttpRequest.newBuilder(base.resolve("dcmon/api/fleet"))
                        .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(fleet.statusCode()).isEqualTo(200);
                assertThat(fleet.body()).contains("embedded-agent");
            } finally {
                host.stop();
            }
        }
    }
}
