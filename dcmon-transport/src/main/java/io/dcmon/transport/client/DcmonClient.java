package io.dcmon.transport.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcmon.core.model.Sample;
import io.dcmon.core.service.RegistrationRequest;
import io.dcmon.transport.wire.ClientInfo;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.CommandView;
import io.dcmon.transport.wire.CommandsResponse;
import io.dcmon.transport.wire.ErrorBody;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.MetricsBatch;
import io.dcmon.transport.wire.MetricsResponse;
import io.dcmon.transport.wire.NewCommand;
import io.dcmon.transport.wire.RegisterRequest;
import io.dcmon.transport.wire.RegisterResponse;
import io.dcmon.transport.wire.WireSample;

import javax.net.ssl.SSLHandshakeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * The agent's side of the wire: calls the dcmon server with the JDK {@link HttpClient}. No server-side classes
 * are needed on the class path. Thread-safe; create one per server and reuse it.
 *
 * <pre>{@code
 * DcmonClient client = DcmonClient.create(URI.create("https://dcmon.example:8443/"), pinnedFingerprint);
 * RegisterResponse reg = client.register(RegistrationRequest.sign(keys, host, machineId, hw, Instant.now(), nonce), adminToken);
 * client.push(reg.clientToken(), samples);
 * }</pre>
 */
public final class DcmonClient {

    /** How long to wait for a TCP/TLS connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for an ordinary answer. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final String JSON = "application/json";

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json = Json.mapper();

    private DcmonClient(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    /**
     * A client for a server reached over plain HTTP, or over HTTPS with a certificate the JDK trusts (a real CA).
     *
     * @param server base URI, e.g. {@code http://127.0.0.1:8080/} or {@code https://host/dcmon/}
     */
    public static DcmonClient create(URI server) {
        URI base = base(server);
        return new DcmonClient(base, builder().build());
    }

    /**
     * A client for an HTTPS server whose certificate is pinned by SHA-256 fingerprint (see {@link PinnedTrust}).
     *
     * @param server    base URI with scheme https
     * @param sha256Pin the server certificate's SHA-256 fingerprint, hex (colons allowed)
     */
    public static DcmonClient create(URI server, String sha256Pin) {
        URI base = base(server);
        if (!"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("a certificate pin needs an https:// server URI, but it was " + server);
        }
        return new DcmonClient(base, builder().sslContext(PinnedTrust.sslContext(sha256Pin)).build());
    }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
    }

    private static URI base(URI server) {
        Objects.requireNonNull(server, "server");
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("server URI '" + server + "' must start with http:// or https://");
        }
        if (server.getHost() == null) {
            throw new IllegalArgumentException("server URI '" + server + "' has no host");
        }
        String s = server.toString();
        return URI.create(s.endsWith("/") ? s : s + "/");
    }

    /** The base URI requests are resolved against (always ends with {@code /}). */
    public URI server() {
        return base;
    }

    /**
     * Registers this agent: {@code POST /api/register} with the admin token and the signed request.
     *
     * @return the client id and the new client token (store it with mode 600; it is shown once)
     */
    public RegisterResponse register(RegistrationRequest signed, String adminToken) throws DcmonClientException {
        Objects.requireNonNull(signed, "signed");
        byte[] body = write(RegisterRequest.from(signed));
        HttpRequest req = request("api/register", adminToken, REQUEST_TIMEOUT)
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return send(req, RegisterResponse.class);
    }

    /**
     * Pushes a batch of samples, gzip-compressed: {@code POST /api/metrics}. Safe to repeat with the same batch
     * (the server stores each sample once).
     */
    public MetricsResponse push(String clientToken, List<Sample> samples) throws DcmonClientException {
        Objects.requireNonNull(samples, "samples");
        List<WireSample> wire = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            wire.add(WireSample.from(s));
        }
        byte[] body = gzip(write(new MetricsBatch(wire)));
        HttpRequest req = request("api/metrics", clientToken, REQUEST_TIMEOUT)
                .header("Content-Type", JSON)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return send(req, MetricsResponse.class);
    }

    /** Who {@code clientToken} belongs to: {@code GET /api/client/verify}. */
    public ClientInfo verify(String clientToken) throws DcmonClientException {
        return send(request("api/client/verify", clientToken, REQUEST_TIMEOUT).GET().build(), ClientInfo.class);
    }

    /**
     * The agent's long-poll for its commands: {@code GET /api/commands/{clientId}?wait=…}. Returns as soon as commands
     * are queued (they are then marked delivered), or an empty list after {@code wait}.
     *
     * @param wait how long the server may hold the request, 0 to 300 s (the server caps it at its own limit)
     */
    public List<CommandView> pollCommands(String clientToken, long clientId, Duration wait) throws DcmonClientException {
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative() || wait.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("wait was " + wait + " but it must be from PT0S to PT5M");
        }
        HttpRequest req = request("api/commands/" + clientId + "?wait=" + wait.toSeconds(), clientToken,
                wait.plus(REQUEST_TIMEOUT)).GET().build();
        return send(req, CommandsResponse.class).commands();
    }

    /** Reports the result of a delivered command: {@code POST /api/command-results}. */
    public CommandView reportResult(String clientToken, CommandResult result) throws DcmonClientException {
        Objects.requireNonNull(result, "result");
        HttpRequest req = request("api/command-results", clientToken, REQUEST_TIMEOUT)
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(write(result))).build();
        return send(req, CommandView.class);
    }

    /** Queues a command for a client (admin): {@code POST /api/commands}. */
    public CommandView queueCommand(String adminToken, NewCommand command) throws DcmonClientException {
        Objects.requireNonNull(command, "command");
        HttpRequest req = request("api/commands", adminToken, REQUEST_TIMEOUT)
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(write(command))).build();
        return send(req, CommandView.class);
    }

    HttpRequest.Builder request(String path, String token, Duration timeout) {
        Objects.requireNonNull(token, "token");
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Accept", JSON)
                .header("Authorization", "Bearer " + token);
    }

    <T> T send(HttpRequest req, Class<T> type) throws DcmonClientException {
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw noAnswer(req, "connecting timed out after " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw noAnswer(req, "no answer within " + req.timeout().map(Duration::toSeconds).orElse(0L) + " s", e);
        } catch (SSLHandshakeException e) {
            throw new DcmonClientException(0, e.getMessage(), false, req.method() + " " + req.uri()
                    + " failed: TLS handshake refused (" + e.getMessage() + ")", e);
        } catch (ConnectException e) {
            throw noAnswer(req, "connection refused or unreachable (is the server running?)", e);
        } catch (IOException e) {
            throw noAnswer(req, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DcmonClientException(0, "interrupted", false, req.method() + " " + req.uri() + " was interrupted", e);
        }
        int status = resp.statusCode();
        if (status / 100 != 2) {
            String error = errorText(resp.body());
            boolean retry = status == 408 || status == 429 || status >= 500;
            long retryAfter = resp.headers().firstValue("Retry-After").map(DcmonClient::seconds).orElse(-1L);
            throw new DcmonClientException(status, error, retry, retryAfter, String.format(Locale.ROOT,
                    "%s %s answered %d: %s", req.method(), req.uri().getPath(), status, error), null);
        }
        try {
            return json.readValue(resp.body(), type);
        } catch (IOException e) {
            throw new DcmonClientException(status, "unreadable answer", false, req.method() + " " + req.uri().getPath()
                    + " answered " + status + " with a body that is not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Math.max(0, Long.parseLong(retryAfter.trim()));
        } catch (NumberFormatException e) {
            // an HTTP-date form is legal but dcmon never sends it; treat it as "no hint"
            return -1;
        }
    }

    private static DcmonClientException noAnswer(HttpRequest req, String what, Throwable cause) {
        return new DcmonClientException(0, what, true, req.method() + " " + req.uri() + " failed: " + what, cause);
    }

    private String errorText(byte[] body) {
        try {
            return json.readValue(body, ErrorBody.class).error();
        } catch (IOException | RuntimeException e) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            return text.length() > 200 ? text.substring(0, 200) + "…" : text;
        }
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }
}
