package io.dcmon.transport.server;

import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationRequest;
import io.dcmon.core.service.RegistrationService;
import io.dcmon.core.service.Tokens;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.auth.CaffeineNonceGuard;
import io.dcmon.transport.client.DcmonClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A real dcmon API for tests: SQLite in a temp dir, Jetty on 127.0.0.1:0, the real DcmonClient and a raw JDK
 * HttpClient for requests the typed client would never send.
 */
final class TestApi implements AutoCloseable {

    final SqliteStorage storage;
    final DcmonServices services;
    final DcmonServer server;
    final String adminToken = Tokens.generate();
    /** Opens only the Prometheus scrape route, whose body is {@link #SCRAPE_BODY}. */
    final String scrapeToken = Tokens.generate();
    static final String SCRAPE_BODY = "# TYPE dcmon_test gauge\ndcmon_test 1\n";
    final DcmonClient client;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestApi(Path dir, Clock clock, ApiOptions options, boolean devMode) throws Exception {
        storage = SqliteStorage.open(dir.resolve("dcmon.db"));
        services = new DcmonServices(new ClientAuthenticator(adminToken, storage),
                new RegistrationService(storage, new CaffeineNonceGuard(), clock),
                new IngestService(storage, storage, clock),
                new QueryService(storage, storage), clock, devMode)
                .withClients(storage).withCommands(storage.commands())
                .withOptions(options.withAuditFile(dir.resolve("audit.jsonl")))
                .withPrometheus(new PrometheusHooks(scrapeToken, () -> SCRAPE_BODY, null, null));
        server = DcmonServer.create("127.0.0.1", 0, services);
        server.start();
        client = DcmonClient.create(server.uri());
    }

    /** Default options, except a throttle high enough for suites that send many bad tokens on purpose. */
    static TestApi start(Path dir) throws Exception {
        return start(dir, ApiOptions.defaults().withAuthFailureLimit(100_000, Duration.ofMinutes(1)));
    }

    static TestApi start(Path dir, ApiOptions options) throws Exception {
        return new TestApi(dir, Clock.systemUTC(), options, true);
    }

    /** A server whose services all read {@code clock} (commands' expiry and redelivery, status, registration). */
    static TestApi start(Path dir, ApiOptions options, Clock clock) throws Exception {
        return new TestApi(dir, clock, options, true);
    }

    static TestApi start(Path dir, ApiOptions options, boolean devMode) throws Exception {
        return new TestApi(dir, Clock.systemUTC(), options, devMode);
    }

    /** Registers a new agent with a fresh key. */
    io.dcmon.transport.wire.RegisterResponse register(String hostname) throws Exception {
        return client.register(signed(io.dcmon.core.service.Keys.generateRsa(), hostname), adminToken);
    }

    URI uri(String path) {
        return server.uri().resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** A freshly signed registration for a new key. */
    static RegistrationRequest signed(KeyPair keys, String hostname) {
        return RegistrationRequest.sign(keys, hostname, "machine-" + hostname, Map.of("cpu", "test"), Instant.now(),
                Tokens.generate());
    }

    HttpResponse<String> send(String method, String path, String token, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> sendBytes(String method, String path, String token, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        // each raw request on its own connection: the server closes a connection after refusing a body it did not
        // read (413, 415, early 4xx), and a POST sent on a pooled connection just as it closes fails with
        // "header parser received no bytes" (the JDK client retries only idempotent requests)
        // Jetty answers an oversized or refused body early and closes; the JDK client, still writing the body, then
        // sometimes reports "received no bytes" instead of that answer. Up to three tries on new connections tell
        // that race apart from a server that really sends nothing.
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try {
                return fresh.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.close();
        storage.close();
    }
}
