package io.dcmon.agent;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.dcmon.transport.client.DcmonClientException;
import io.dcmon.transport.client.PinnedTrust;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.CommandView;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The agent's transport for {@code dcmon-agent run}: {@link HttpURLConnection} (keep-alive, blocking, no threads of
 * its own) and jackson-core streaming. The JDK {@code HttpClient} and the object mapper of
 * {@link io.dcmon.transport.client.DcmonClient} would add about 1,000 classes and three threads to an agent that
 * makes one request per cycle plus a long-poll. Same wire protocol, same errors ({@link DcmonClientException}), and
 * the same pinning: with a pin, the server's certificate must have that SHA-256 fingerprint ({@link PinnedTrust}),
 * which then stands in for the host name check.
 */
public final class UrlConnectionTransport implements AgentTransport {

    /** How long to wait for a TCP/TLS connection. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for an ordinary answer. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Longest error text kept from a body that is not the server's JSON error. */
    private static final int MAX_ERROR_TEXT = 200;

    private final URI base;
    private final SSLSocketFactory pinnedSockets;

    private UrlConnectionTransport(URI base, SSLSocketFactory pinnedSockets) {
        this.base = base;
        this.pinnedSockets = pinnedSockets;
    }

    /**
     * A transport to {@code server}.
     *
     * @param server    base URI, {@code http://…} or {@code https://…}
     * @param sha256Pin the server certificate's SHA-256 fingerprint, or null for plain HTTP or a certificate the JDK
     *                  trusts (a real CA)
     */
    public static UrlConnectionTransport create(URI server, String sha256Pin) {
        Objects.requireNonNull(server, "server");
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("server URI '" + server + "' must start with http:// or https://");
        }
        if (server.getHost() == null) {
            throw new IllegalArgumentException("server URI '" + server + "' has no host");
        }
        if (sha256Pin != null && !scheme.equals("https")) {
            throw new IllegalArgumentException("a certificate pin needs an https:// server URI, but it was " + server);
        }
        String s = server.toString();
        URI base = URI.create(s.endsWith("/") ? s : s + "/");
        return new UrlConnectionTransport(base, sha256Pin == null ? null : PinnedTrust.sslContext(sha256Pin).getSocketFactory());
    }

    @Override
    public URI server() {
        return base;
    }

    @Override
    public void push(String clientToken, byte[] gzipBatch) throws DcmonClientException {
        Objects.requireNonNull(gzipBatch, "gzipBatch");
        exchange("POST", "api/metrics", clientToken, REQUEST_TIMEOUT, gzipBatch, true);
    }

    @Override
    public List<CommandView> pollCommands(String clientToken, long clientId, Duration wait) throws DcmonClientException {
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative() || wait.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("wait was " + wait + " but it must be from PT0S to PT5M");
        }
        String path = "api/commands/" + clientId + "?wait=" + wait.toSeconds();
        byte[] body = exchange("GET", path, clientToken, wait.plus(REQUEST_TIMEOUT), null, false);
        try {
            return commands(body);
        } catch (IOException | RuntimeException e) {
            throw new DcmonClientException(200, "unreadable answer", false,
                    "GET /" + path + " answered 200 with a body that is not a command list: " + e.getMessage(), e);
        }
    }

    @Override
    public void reportResult(String clientToken, CommandResult result) throws DcmonClientException {
        Objects.requireNonNull(result, "result");
        ByteArrayOutputStream json = new ByteArrayOutputStream(256);
        try (JsonGenerator g = BatchCodec.JSON.createGenerator(json)) {
            g.writeStartObject();
            g.writeNumberField("command_id", result.commandId());
            g.writeNumberField("exit_status", result.exitStatus());
            g.writeStringField("output", result.output());
            g.writeStringField("error", result.error());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("could not encode a command result", e);
        }
        exchange("POST", "api/command-results", clientToken, REQUEST_TIMEOUT, json.toByteArray(), false);
    }

    /** One request; returns the body of a 2xx answer, throws for anything else as {@code DcmonClient} does. */
    private byte[] exchange(String method, String path, String token, Duration timeout, byte[] body, boolean gzip)
            throws DcmonClientException {
        Objects.requireNonNull(token, "token");
        URI uri = base.resolve(path);
        String what = method + " " + uri;
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) uri.toURL().openConnection();
            if (pinnedSockets != null && c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(pinnedSockets);
                // the pin identifies the server: a certificate with that fingerprint is the server whatever its names
                https.setHostnameVerifier((host, session) -> true);
            }
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestMethod(method);
            c.setRequestProperty("Accept", "application/json");
            c.setRequestProperty("Authorization", "Bearer " + token);
            if (body != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                c.setRequestProperty("Content-Type", "application/json");
                if (gzip) {
                    c.setRequestProperty("Content-Encoding", "gzip");
                }
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            if (status / 100 == 2) {
                try (InputStream in = c.getInputStream()) {
                    return in.readAllBytes();
                }
            }
            byte[] error;
            try (InputStream in = c.getErrorStream()) {
                error = in == null ? new byte[0] : in.readAllBytes();
            }
            String text = errorText(error);
            boolean retry = status == 408 || status == 429 || status >= 500;
            throw new DcmonClientException(status, text, retry, retryAfter(c.getHeaderField("Retry-After")),
                    String.format(Locale.ROOT, "%s /%s answered %d: %s", method, path, status, text), null);
        } catch (SSLException e) {
            // a certificate other than the pinned one, or a TLS failure: not retryable by itself (Agent says so loudly)
            throw new DcmonClientException(0, e.getMessage(), false, what + " failed: TLS handshake refused (" + e.getMessage() + ")", e);
        } catch (SocketTimeoutException e) {
            throw noAnswer(what, e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("connect")
                    ? "connecting timed out after " + CONNECT_TIMEOUT.toSeconds() + " s"
                    : "no answer within " + timeout.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw noAnswer(what, "connection refused or unreachable (is the server running?)", e);
        } catch (IOException e) {
            throw noAnswer(what, e.toString(), e);
        }
    }

    private static DcmonClientException noAnswer(String what, String why, Throwable cause) {
        return new DcmonClientException(0, why, true, what + " failed: " + why, cause);
    }

    private static long retryAfter(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            // an HTTP-date form is legal but dcmon never sends it; treat it as "no hint"
            return -1;
        }
    }

    /** The server's {@code {"error": …}} text, else the start of the body. */
    static String errorText(byte[] body) {
        try (JsonParser p = BatchCodec.JSON.createParser(body)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.getCurrentName();
                    JsonToken v = p.nextToken();
                    if (name.equals("error") && v == JsonToken.VALUE_STRING) {
                        return p.getText();
                    }
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not the server's JSON error: fall through to the raw text
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text;
    }

    /** The {@code commands} of a {@code CommandsResponse}. */
    static List<CommandView> commands(byte[] body) throws IOException {
        List<CommandView> out = new ArrayList<>();
        try (JsonParser p = BatchCodec.JSON.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the answer");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.getCurrentName();
                JsonToken v = p.nextToken();
                if (name.equals("commands") && v == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        out.add(command(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return out;
    }

    /** One {@code CommandView}; the parser is on its START_OBJECT. The agent needs id, type and params. */
    private static CommandView command(JsonParser p) throws IOException {
        long id = -1;
        long clientId = 0;
        String type = null;
        String status = "delivered";
        String createdBy = "";
        long createdAt = 0;
        long expiresAt = 0;
        Map<String, String> params = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.getCurrentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "id" -> id = p.getLongValue();
                case "client_id" -> clientId = p.getLongValue();
                case "type" -> type = p.getText();
                case "status" -> status = p.getText();
                case "created_by" -> createdBy = v == JsonToken.VALUE_NULL ? "" : p.getText();
                case "created_at" -> createdAt = p.getLongValue();
                case "expires_at" -> expiresAt = p.getLongValue();
                case "params" -> {
                    expect(v, JsonToken.START_OBJECT, "params");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.getCurrentName();
                        p.nextToken();
                        params.put(key, p.getValueAsString());
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (id < 0 || type == null) {
            throw new IOException("a command without id or type");
        }
        return new CommandView(id, clientId, type, params, status, createdBy, createdAt, expiresAt, null, null, null);
    }

    private static void expect(JsonToken got, JsonToken wanted, String what) throws IOException {
        if (got != wanted) {
            throw new IOException(what + " should start with " + wanted + " but starts with " + got);
        }
    }
}
