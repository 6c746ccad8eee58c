package io.dcmon.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.RegisterResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's login, session, CSRF and logout over real HTTP, and the fleet API's values. */
class DashboardHttpTest {

    @TempDir
    static Path dir;
    static TestApi api;
    static RegisterResponse gpuBox;
    static RegisterResponse plainBox;

    @BeforeAll
    static void start() throws Exception {
        api = TestApi.start(dir);
        long now = System.currentTimeMillis();
        gpuBox = api.register("gpu-01");
        plainBox = api.register("cpu-01");
        api.client.push(gpuBox.clientToken(), FleetData.hour(new FleetData.Machine(95, 2, true), now));
        api.client.push(plainBox.clientToken(), FleetData.hour(new FleetData.Machine(50, 0, false), now));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** Logs in and returns {cookie value, csrf token}. */
    static String[] login() throws Exception {
        HttpResponse<String> r = api.send("POST", "/ui/login", null, "{\"token\":\"" + api.adminToken + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        String value = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        return new String[]{value, Json.mapper().readTree(r.body()).get("csrf_token").asText()};
    }

    static HttpResponse<String> withCookie(String method, String path, String cookie, String csrf, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Cookie", Dashboard.SESSION_COOKIE + "=" + cookie);
        if (csrf != null) {
            b.header(Dashboard.CSRF_HEADER, csrf);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return api.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void loginSetsAnHttpOnlySameSiteStrictCookieWithAnExpiryAndIsAudited() throws Exception {
        HttpResponse<String> r = api.send("POST", "/ui/login", null, "{\"token\":\"" + api.adminToken + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("dcmon_session=").contains("; HttpOnly", "; SameSite=Strict", "; Path=/",
                "; Max-Age=" + Duration.ofHours(8).toSeconds()).doesNotContain("Secure");
        assertThat(cookie).doesNotContain(api.adminToken);
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.get("csrf_token").asText()).hasSize(43);
        assertThat(body.get("expires_at").asLong()).isGreaterThan(Instant.now().getEpochSecond());
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).contains("\"event\":\"login\"");
    }

    @Test
    void aWrongTokenIsRefusedAndAudited() throws Exception {
        HttpResponse<String> r = api.send("POST", "/ui/login", null, "{\"token\":\"wrong\"}");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).contains("\"event\":\"login_failure\"");
        // a client token is no admin token either
        assertThat(api.send("POST", "/ui/login", null, "{\"token\":\"" + gpuBox.clientToken() + "\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void aCrossSiteFormCannotLogIn() throws Exception {
        HttpResponse<String> r = api.http.send(HttpRequest.newBuilder(api.uri("/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + api.adminToken)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void theSessionCookieIsAdminOnAdminRoutesButNoClientIdentity() throws Exception {
        String[] s = login();
        assertThat(withCookie("GET", "/api/fleet", s[0], null, null).statusCode()).isEqualTo(200);
        assertThat(withCookie("GET", "/api/clients", s[0], null, null).statusCode()).isEqualTo(200);
        assertThat(withCookie("GET", "/api/client/verify", s[0], null, null).statusCode()).isEqualTo(403);
        HttpResponse<String> page = withCookie("GET", "/ui/", s[0], null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("fleet-body").doesNotContain("login-form");
        assertThat(withCookie("GET", "/ui/machine?id=1", s[0], null, null).body()).contains("machine.js");
        HttpResponse<String> noSlash = withCookie("GET", "/ui", s[0], null, null);
        assertThat(noSlash.statusCode()).isEqualTo(303);
        assertThat(noSlash.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/ui/"));
        // a made-up cookie is no session
        assertThat(withCookie("GET", "/api/fleet", "forged-session-id", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void stateChangingRequestsWithTheCookieNeedTheSessionsCsrfToken() throws Exception {
        String[] s = login();
        String[] other = login();
        String cmd = "{\"client_id\":" + plainBox.clientId() + ",\"type\":\"fan_control\",\"params\":{\"action\":\"set_mode\",\"mode\":\"full\"}}";
        HttpResponse<String> none = withCookie("POST", "/api/commands", s[0], null, cmd);
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("X-CSRF-Token");
        assertThat(withCookie("POST", "/api/commands", s[0], other[1], cmd).statusCode()).as("another session's token").isEqualTo(403);
        assertThat(withCookie("POST", "/api/commands", s[0], s[1], cmd).statusCode()).isEqualTo(201);
        // a bearer token needs no CSRF token: browsers never send it on their own
        assertThat(api.send("POST", "/api/commands", api.adminToken, cmd).statusCode()).isEqualTo(201);
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).contains("\"event\":\"csrf_refused\"");
    }

    @Test
    void fanDutyBelowTheMinimumIsRefusedByTheServer() throws Exception {
        String low = "{\"client_id\":" + plainBox.clientId() + ",\"type\":\"fan_control\",\"params\":{\"action\":\"set_duty\",\"zone\":0,\"percent\":"
                + (io.dcmon.core.command.CommandService.MIN_DUTY_PERCENT - 1) + "}}";
        HttpResponse<String> r = api.send("POST", "/api/commands", api.adminToken, low);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("params.percent was 24", "from 25 to 100");
        String ok = low.replace("\"percent\":24", "\"percent\":25");
        assertThat(api.send("POST", "/api/commands", api.adminToken, ok).statusCode()).isEqualTo(201);
    }

    @Test
    void logoutNeedsCsrfEndsTheSessionClearsTheCookieAndIsAudited() throws Exception {
        String[] s = login();
        assertThat(withCookie("POST", "/ui/logout", s[0], null, null).statusCode()).isEqualTo(403);
        assertThat(withCookie("GET", "/api/fleet", s[0], null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> out = withCookie("POST", "/ui/logout", s[0], s[1], null);
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).startsWith("dcmon_session=;").contains("Max-Age=0"));
        assertThat(withCookie("GET", "/api/fleet", s[0], null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> page = withCookie("GET", "/ui/", s[0], null, null);
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.body()).contains("login-form");
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).contains("\"event\":\"logout\"");
    }

    @Test
    void dashboardAnswersCarryACspWithoutInlineScripts() throws Exception {
        for (String p : new String[]{"/ui/login", "/ui/static/fleet.js"}) {
            HttpResponse<String> r = api.send("GET", p, null, null);
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
        HttpResponse<String> login = api.send("GET", "/ui/login", null, null);
        assertThat(login.body()).doesNotContainPattern("<script>|<script [^>]*>[^<]+</script>|\\son[a-z]+=");
        assertThat(api.send("GET", "/ui/static/fleet.js", null, null).headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/javascript"));
    }

    @Test
    void theFleetApiIsGzippedOnlyWhenTheRequestAcceptsGzip() throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri("/api/fleet")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + api.adminToken);
        HttpResponse<byte[]> gz = api.http.send(b.copy().header("Accept-Encoding", "br;q=1.0, gzip;q=0.8").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> plain = api.http.send(b.copy().build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> refused = api.http.send(b.copy().header("Accept-Encoding", "gzip;q=0, identity").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(gz.statusCode()).isEqualTo(200);
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gz.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("Accept-Encoding"));
        byte[] inflated;
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))) {
            inflated = in.readAllBytes();
        }
        JsonNode unzipped = Json.mapper().readTree(inflated);
        JsonNode direct = Json.mapper().readTree(plain.body());
        assertThat(unzipped.get("clients")).isEqualTo(direct.get("clients")).hasSize(2);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(Json.mapper().readTree(refused.body()).get("clients")).hasSize(2);
        // an error answer is never compressed
        HttpResponse<byte[]> denied = api.http.send(HttpRequest.newBuilder(api.uri("/api/fleet")).timeout(Duration.ofSeconds(30))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void acceptEncodingTakesGzipOnlyWithAPositiveQuality() {
        assertThat(GzipResponses.acceptsGzip("gzip, deflate, br, zstd")).isTrue();
        assertThat(GzipResponses.acceptsGzip("*;q=0.1")).isTrue();
        assertThat(GzipResponses.acceptsGzip("GZIP ; q=0.5")).isTrue();
        assertThat(GzipResponses.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(GzipResponses.acceptsGzip("gzip;q=zero")).isFalse();
        assertThat(GzipResponses.acceptsGzip("deflate, br")).isFalse();
        assertThat(GzipResponses.acceptsGzip(null)).isFalse();
    }

    @Test
    void theFleetApiFoldsTheLatestValuesIntoOneRowPerClient() throws Exception {
        JsonNode fleet = Json.mapper().readTree(api.send("GET", "/api/fleet", api.adminToken, null).body());
        assertThat(fleet.get("thresholds").get("cpu_temp_celsius").get("crit").asDouble()).isEqualTo(90);
        JsonNode gpu = null;
        JsonNode plain = null;
        for (JsonNode row : fleet.get("clients")) {
            if (row.get("client_id").asLong() == gpuBox.clientId()) {
                gpu = row;
            } else if (row.get("client_id").asLong() == plainBox.clientId()) {
                plain = row;
            }
        }
        assertThat(gpu).isNotNull();
        assertThat(plain).isNotNull();
        assertThat(gpu.get("hostname").asText()).isEqualTo("gpu-01");
        assertThat(gpu.get("status").asText()).isEqualTo("online");
        assertThat(gpu.get("cpu_temp_celsius").asDouble()).isEqualTo(95.0);
        assertThat(gpu.get("board_temp_celsius").asDouble()).isEqualTo(41.0);
        assertThat(gpu.get("gpu_count").asInt()).isEqualTo(2);
        assertThat(gpu.get("gpu_temp_celsius").asDouble()).isEqualTo(70.0);
        assertThat(gpu.get("gpu_util_percent").asDouble()).isEqualTo(91.0);
        assertThat(gpu.get("gpu_power_watts").asDouble()).isEqualTo(350.5);
        assertThat(gpu.get("memory_percent").asDouble()).isEqualTo(75.0);
        assertThat(gpu.get("root_fs_percent").asDouble()).isEqualTo(60.0);
        assertThat(gpu.get("load1").asDouble()).isEqualTo(2.5);
        assertThat(gpu.get("cpu_count").asInt()).isEqualTo(8);
        assertThat(gpu.get("updates_pending").asInt()).isEqualTo(12);
        assertThat(gpu.get("security_updates_pending").asInt()).isEqualTo(3);
        assertThat(gpu.get("reboot_required").asBoolean()).isTrue();
        assertThat(gpu.get("fan_mode").asText()).isEqualTo("full");
        assertThat(gpu.get("failing_collectors").toString()).isEqualTo("[\"nvidia\"]");
        assertThat(plain.has("gpu_count")).isFalse();
        assertThat(plain.get("failing_collectors").size()).isZero();
        assertThat(plain.get("cpu_temp_celsius").asDouble()).isEqualTo(50.0);
    }

    @Test
    void sessionsExpireAfterTheirLifetime() {
        AtomicLong nanos = new AtomicLong();
        Ticker ticker = nanos::get;
        DashboardSessions sessions = new DashboardSessions(Duration.ofHours(8), ticker);
        DashboardSessions.Session s = sessions.create(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(s.expiresAt()).isEqualTo(Instant.parse("2026-01-01T08:00:00Z"));
        assertThat(s.id()).isNotEqualTo(s.csrfToken());
        nanos.addAndGet(Duration.ofHours(8).minusSeconds(1).toNanos());
        assertThat(sessions.find(s.id())).contains(s);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }
}
