package io.dcmon.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.NewCommand;
import io.dcmon.transport.wire.RegisterResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Limits, throttling, audit, dev-only docs and stats, each on its own real server. */
class HardeningEndToEndTest {

    @TempDir
    Path dir;

    /**
     * A gzip stream that inflates to {@code mib} MiB of spaces while staying about a thousand times smaller: one deflate
     * block for the first MiB, then the identical steady-state block repeated (each only refers back into spaces).
     * Spaces are valid JSON whitespace, so the parser keeps reading and only the inflation limit can stop it.
     */
    static byte[] gzipBomb(int mib) throws IOException {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[1 << 20];
        java.util.Arrays.fill(zeros, (byte) ' ');
        byte[] first = flushBlock(d, zeros);
        byte[] steady = flushBlock(d, zeros);
        assertThat(flushBlock(d, zeros)).as("deflate of zeros reaches a steady block").isEqualTo(steady);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        out.write(first);
        for (int i = 1; i < mib; i++) {
            out.write(steady);
        }
        return out.toByteArray();
    }

    private static byte[] flushBlock(Deflater d, byte[] input) {
        d.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length || !d.needsInput());
        return out.toByteArray();
    }

    @Test
    void aGzipBombIsRefusedWithout413InflatingItAll() throws Exception {
        byte[] bomb = gzipBomb(1024);
        assertThat(bomb.length).isLessThan(4 * 1024 * 1024);
        // it really is a bomb: the first 20 MiB inflate fine
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bomb))) {
            assertThat(in.readNBytes(20 << 20)).hasSize(20 << 20);
        }
        try (TestApi api = TestApi.start(dir)) {
            RegisterResponse me = api.register("bomb");
            HttpResponse<String> r = api.sendBytes("POST", "/api/metrics", me.clientToken(), bomb, Map.of("Content-Encoding", "gzip"));
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(ApiSecurityEndToEndTest.error(r)).contains("decompressed request body is larger than the limit of 16777216 bytes");
            // the server is fine afterwards
            assertThat(api.client.push(me.clientToken(), List.of(Sample.of(SeriesKey.of("after_bomb_total"), Instant.now().toEpochMilli(), 1L)))
                    .stored()).isEqualTo(1);
        }
    }

    @Test
    void oversizedBodiesAreRefusedWhetherTheyDeclareTheirLengthOrNot() throws Exception {
        try (TestApi api = TestApi.start(dir, ApiOptions.defaults().withBodyLimits(64 * 1024, 128 * 1024))) {
            RegisterResponse me = api.register("big");
            // valid JSON whose whitespace keeps the parser reading past the limit
            byte[] big = ("{\"samples\":[" + " ".repeat(100_000) + "]}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> declared = api.sendBytes("POST", "/api/metrics", me.clientToken(), big, Map.of());
            assertThat(declared.statusCode()).isEqualTo(413);
            assertThat(ApiSecurityEndToEndTest.error(declared)).contains("the limit is 65536 bytes");
            // repeated: the server answers before the client has sent it all, and the answer must survive the close
            // every time (it used to be lost in a connection reset now and then)
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> chunked = api.http.send(HttpRequest.newBuilder(api.uri("/api/metrics"))
                        .header("Authorization", "Bearer " + me.clientToken()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(chunked.statusCode()).as("attempt %d", i).isEqualTo(413);
                assertThat(ApiSecurityEndToEndTest.error(chunked)).contains("larger than the limit of 65536 bytes");
            }
            HttpResponse<String> brotli = api.sendBytes("POST", "/api/metrics", me.clientToken(), "{}".getBytes(StandardCharsets.UTF_8),
                    Map.of("Content-Encoding", "br"));
            assertThat(brotli.statusCode()).isEqualTo(415);
            HttpResponse<String> notGzip = api.sendBytes("POST", "/api/metrics", me.clientToken(), "{}".getBytes(StandardCharsets.UTF_8),
                    Map.of("Content-Encoding", "gzip"));
            assertThat(notGzip.statusCode()).isEqualTo(400);
            assertThat(ApiSecurityEndToEndTest.error(notGzip)).contains("not valid gzip");
        }
    }

    @Test
    void repeatedAuthFailuresFromOneAddressAreThrottledWith429AndAudited() throws Exception {
        try (TestApi api = TestApi.start(dir, ApiOptions.defaults().withAuthFailureLimit(5, Duration.ofMinutes(1)))) {
            for (int i = 0; i < 5; i++) {
                assertThat(api.send("GET", "/api/clients", "forged-token-" + i, null).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> blocked = api.send("GET", "/api/clients", "forged-token-6", null);
            assertThat(blocked.statusCode()).isEqualTo(429);
            assertThat(blocked.headers().firstValue("Retry-After")).hasValue("60");
            assertThat(ApiSecurityEndToEndTest.error(blocked)).contains("too many failed authentications");
            // the address is blocked as a whole, so guessing cannot continue with a valid-looking token
            assertThat(api.send("GET", "/api/clients", api.adminToken, null).statusCode()).isEqualTo(429);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> api.client.verify("forged-token-7"))
                    .isInstanceOfSatisfying(io.dcmon.transport.client.DcmonClientException.class, e -> {
                        assertThat(e.status()).isEqualTo(429);
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.retryAfterSeconds()).isEqualTo(60);
                    });

            List<String> audit = Files.readAllLines(dir.resolve("audit.jsonl"));
            List<JsonNode> failures = audit.stream().map(HardeningEndToEndTest::json).filter(n -> n.get("event").asText().equals("auth_failure")).toList();
            assertThat(failures).hasSize(5);
            assertThat(failures.get(4).get("throttled_for_seconds").asInt()).isEqualTo(60);
            assertThat(failures.get(0).get("address").asText()).isEqualTo("127.0.0.1");
            assertThat(String.join("\n", audit)).doesNotContain("forged-token");
        }
    }

    @Test
    void theAuditTrailHasOneJsonLinePerEventAndNoSecrets() throws Exception {
        try (TestApi api = TestApi.start(dir)) {
            RegisterResponse me = api.register("audited");
            var cmd = api.client.queueCommand(api.adminToken, new NewCommand(me.clientId(), "reboot", null, 60L));
            api.client.pollCommands(me.clientToken(), me.clientId(), Duration.ZERO);
            api.client.reportResult(me.clientToken(), new io.dcmon.transport.wire.CommandResult(cmd.id(), 0, "rebooting", ""));
            api.send("GET", "/api/clients", null, null);
            assertThat(api.send("DELETE", "/api/clients/" + me.clientId(), api.adminToken, null).statusCode()).isEqualTo(204);

            List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"));
            assertThat(lines.stream().map(l -> json(l).get("event").asText())).containsExactly(
                    "register", "command_created", "command_delivered", "command_finished", "auth_failure", "revoke");
            JsonNode reg = json(lines.get(0));
            assertThat(reg.get("client_id").asLong()).isEqualTo(me.clientId());
            assertThat(reg.get("hostname").asText()).isEqualTo("audited");
            String all = String.join("\n", lines);
            assertThat(all).doesNotContain(me.clientToken()).doesNotContain(api.adminToken).doesNotContain("BEGIN PUBLIC KEY");
        }
    }

    @Test
    void apiDocsAreServedOnlyInDevModeAndListEveryRoute() throws Exception {
        try (TestApi dev = TestApi.start(dir.resolve("dev"))) {
            HttpResponse<String> r = dev.send("GET", "/api/docs", dev.adminToken, null);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode routes = json(r.body()).get("routes");
            List<String> listed = new java.util.ArrayList<>();
            routes.forEach(n -> listed.add(n.get("method").asText() + " " + n.get("path").asText() + " " + n.get("access").asText()));
            for (ApiRoutes.Route route : ApiRoutes.of(dev.services)) {
                assertThat(listed).contains(route.method() + " " + route.template() + " "
                        + route.rule().value().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        try (TestApi prod = TestApi.start(dir.resolve("prod"), ApiOptions.defaults(), false)) {
            HttpResponse<String> r = prod.send("GET", "/api/docs", prod.adminToken, null);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(ApiSecurityEndToEndTest.error(r)).contains("only in dev/test mode");
        }
    }

    @Test
    void statsCountClientsByStatusAndIngestedSamples() throws Exception {
        try (TestApi api = TestApi.start(dir)) {
            RegisterResponse pushed = api.register("stats-online");
            api.register("stats-never");
            long t = Instant.now().toEpochMilli();
            api.client.push(pushed.clientToken(), List.of(Sample.of(SeriesKey.of("s_total"), t, 1L), Sample.of(SeriesKey.of("s_total"), t - 1000, 2L)));
            JsonNode s = json(api.send("GET", "/api/stats", api.adminToken, null).body());
            assertThat(s.get("clients").get("online").asInt()).isEqualTo(1);
            assertThat(s.get("clients").get("offline").asInt()).isEqualTo(1);
            assertThat(s.get("batches").asLong()).isEqualTo(1);
            assertThat(s.get("samples_stored").asLong()).isEqualTo(2);
            JsonNode clients = json(api.send("GET", "/api/clients", api.adminToken, null).body());
            assertThat(clients.findValuesAsText("status")).containsExactlyInAnyOrder("online", "offline");
        }
    }

    static JsonNode json(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + s, e);
        }
    }
}
