package io.dcmon.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.service.Keys;
import io.dcmon.core.service.RegistrationRequest;
import io.dcmon.core.service.Tokens;
import io.dcmon.transport.client.DcmonClientException;
import io.dcmon.transport.wire.ClientInfo;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.MetricsResponse;
import io.dcmon.transport.wire.RegisterRequest;
import io.dcmon.transport.wire.RegisterResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The end-to-end security suite: a real server (Jetty + Jersey + SQLite) called over HTTP with real tokens.
 */
class ApiSecurityEndToEndTest {

    @TempDir
    static Path dir;
    static TestApi api;
    static RegisterResponse agent;
    static List<ApiRoutes.Route> routes;

    @BeforeAll
    static void start() throws Exception {
        api = TestApi.start(dir);
        agent = api.client.register(TestApi.signed(Keys.generateRsa(), "agent-one"), api.adminToken);
        routes = ApiRoutes.of(api.services);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    static String error(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode n = json(r);
        assertThat(n.has("error")).as("error body of %s: %s", r.uri(), r.body()).isTrue();
        return n.get("error").asText();
    }

    @Test
    void theModelHasEveryExpectedRouteAndEachCarriesAnAccessRule() {
        assertThat(routes).extracting(r -> r.method() + " " + r.template()).contains(
                "POST /api/register", "POST /api/metrics", "GET /api/metrics", "GET /api/clients",
                "GET /api/client/verify", "GET /health", "DELETE /api/clients/{client_id}", "POST /api/commands",
                "GET /api/commands", "GET /api/commands/{client_id}", "POST /api/command-results", "GET /api/stats",
                "GET /api/docs", "GET /api/fleet", "GET /api/prometheus/metrics", "GET /ui", "GET /ui/machine", "POST /ui/logout", "GET /ui/session", "GET /");
        assertThat(routes).allSatisfy(r -> assertThat(r.rule()).as(r.toString()).isNotNull());
    }

    @Test
    void everyRouteRefusesARequestWithoutAToken() throws Exception {
        for (ApiRoutes.Route r : routes) {
            if (r.rule().value() == Access.Role.ANONYMOUS) {
                continue;   // the login page and static files: see the next test
            }
            HttpResponse<String> resp = api.send(r.method(), r.concretePath(), null, r.method().equals("POST") ? "{}" : null);
            assertThat(resp.statusCode()).as(r.toString()).isEqualTo(401);
            if (r.method().equals("GET") && Dashboard.pagePath(r.concretePath())) {
                // a dashboard page shows the login form in place of its content, and nothing else
                assertThat(resp.headers().firstValue("Content-Type")).as(r.toString()).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
                assertThat(resp.body()).as(r.toString()).contains("id=\"login-form\"").doesNotContain("fleet-body", "machine.js");
            } else {
                assertThat(error(resp)).as(r.toString()).contains("Authorization: Bearer");
            }
            assertThat(resp.headers().firstValue("WWW-Authenticate")).as(r.toString()).hasValue("Bearer realm=\"dcmon\"");
        }
    }

    @Test
    void theLoginPageAndStaticFilesAreTheOnlyAnonymousRoutes() throws Exception {
        // and GET /, a bare redirect to the dashboard: see the next test
        assertThat(routes.stream().filter(r -> r.rule().value() == Access.Role.ANONYMOUS).map(r -> r.method() + " " + r.template()))
                .containsExactlyInAnyOrder("GET /ui/login", "POST /ui/login", "GET /ui/static/{file}", "GET /ui/static/uplot/{file}",
                        "GET /");
        assertThat(api.send("GET", "/ui/login", null, null).statusCode()).isEqualTo(200);
        assertThat(api.send("GET", "/ui/static/fleet.js", null, null).statusCode()).isEqualTo(200);
        assertThat(api.send("GET", "/ui/static/uplot/uPlot.iife.min.js", null, null).statusCode()).isEqualTo(200);
        // near misses of the anonymous paths are refused like any other path
        for (String p : new String[]{"/ui/login/x", "/ui/loginx", "/ui/static", "/ui/session", "/api/fleet", "/ui/staticx/fleet.js"}) {
            assertThat(api.send("GET", p, null, null).statusCode()).as(p).isEqualTo(401);
        }
        assertThat(api.send("GET", "/ui/static/no-such.js", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theRootRedirectsToTheDashboardAndRevealsNothing() throws Exception {
        for (String token : new String[]{null, agent.clientToken()}) {
            HttpResponse<String> r = api.send("GET", "/", token, null);
            assertThat(r.statusCode()).as("token %s", token).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).hasValue(api.uri("/ui/").toString());
            assertThat(r.body()).as("no body").isEmpty();
            assertThat(r.headers().map().keySet()).as("no cookie, no server banner")
                    .noneMatch(h -> h.equalsIgnoreCase("Set-Cookie") || h.equalsIgnoreCase("Server") || h.equalsIgnoreCase("X-Powered-By"));
        }
        // where it leads, an anonymous visitor meets the login form (401), nothing of the fleet
        HttpResponse<String> ui = api.send("GET", "/ui/", null, null);
        assertThat(ui.statusCode()).isEqualTo(401);
        assertThat(ui.body()).contains("id=\"login-form\"").doesNotContain("fleet-body");
        // a bad token is refused as on every route; other methods and near misses are refused as before
        assertThat(api.send("GET", "/", "not-a-token", null).statusCode()).isEqualTo(401);
        assertThat(api.send("POST", "/", null, "{}").statusCode()).isEqualTo(401);
        assertThat(api.send("GET", "/index.html", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void everyAdminRouteRefusesAClientTokenWith403() throws Exception {
        List<ApiRoutes.Route> admin = routes.stream().filter(r -> r.rule().value() == Access.Role.ADMIN).toList();
        assertThat(admin).hasSizeGreaterThanOrEqualTo(4);
        for (ApiRoutes.Route r : admin) {
            HttpResponse<String> resp = api.send(r.method(), r.concretePath(), agent.clientToken(),
                    r.method().equals("POST") ? "{}" : null);
            assertThat(resp.statusCode()).as(r.toString()).isEqualTo(403);
            assertThat(error(resp)).as(r.toString()).contains("admin token");
        }
    }

    @Test
    void everyClientRouteRefusesTheAdminTokenWith403() throws Exception {
        List<ApiRoutes.Route> client = routes.stream().filter(r -> r.rule().value() == Access.Role.CLIENT).toList();
        assertThat(client).hasSizeGreaterThanOrEqualTo(2);
        for (ApiRoutes.Route r : client) {
            HttpResponse<String> resp = api.send(r.method(), r.concretePath(), api.adminToken,
                    r.method().equals("POST") ? "{}" : null);
            assertThat(resp.statusCode()).as(r.toString()).isEqualTo(403);
            assertThat(error(resp)).as(r.toString()).contains("client token");
        }
    }

    @Test
    void theScrapeRouteTakesOnlyTheScrapeTokenNeitherAdminNorClient() throws Exception {
        List<ApiRoutes.Route> scrape = routes.stream().filter(r -> r.rule().value() == Access.Role.SCRAPE).toList();
        assertThat(scrape).extracting(r -> r.method() + " " + r.template()).containsExactly("GET /api/prometheus/metrics");
        HttpResponse<String> ok = api.send("GET", "/api/prometheus/metrics", api.scrapeToken, null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(TestApi.SCRAPE_BODY);
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        // deliberately refused: a Prometheus configuration must never need the admin token or an agent's identity
        for (String token : new String[]{api.adminToken, agent.clientToken()}) {
            HttpResponse<String> resp = api.send("GET", "/api/prometheus/metrics", token, null);
            assertThat(resp.statusCode()).isEqualTo(403);
            assertThat(error(resp)).contains("scrape token");
        }
        HttpResponse<String> wrong = api.send("GET", "/api/prometheus/metrics", api.scrapeToken + "x", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void theScrapeTokenOpensNoOtherRoute() throws Exception {
        List<ApiRoutes.Route> others = routes.stream()
                .filter(r -> r.rule().value() != Access.Role.SCRAPE && r.rule().value() != Access.Role.ANONYMOUS).toList();
        assertThat(others).hasSizeGreaterThanOrEqualTo(15);
        for (ApiRoutes.Route r : others) {
            HttpResponse<String> resp = api.send(r.method(), r.concretePath(), api.scrapeToken,
                    r.method().equals("POST") ? "{}" : null);
            assertThat(resp.statusCode()).as(r.toString()).isEqualTo(403);
        }
        // nor a path outside the model
        assertThat(api.send("GET", "/no/such/thing", api.scrapeToken, null).statusCode()).isIn(403, 404);
    }

    @Test
    void unknownPathsAndMalformedAuthorizationAreRefusedBeforeAnythingElse() throws Exception {
        assertThat(api.send("GET", "/no/such/thing", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> basic = api.http.send(java.net.http.HttpRequest.newBuilder(api.uri("/api/clients"))
                .header("Authorization", "Basic YWRtaW46YWRtaW4=").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(error(basic)).contains("Bearer scheme");
        HttpResponse<String> notFound = api.send("GET", "/no/such/thing", api.adminToken, null);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(error(notFound)).contains("no such resource");
    }

    @Test
    void registrationGivesAnIdAndATokenThatIdentifiesTheClient() throws Exception {
        RegisterResponse r = api.client.register(TestApi.signed(Keys.generateRsa(), "agent-reg"), api.adminToken);
        assertThat(r.clientId()).isPositive();
        assertThat(r.clientToken()).hasSize(43);
        ClientInfo me = api.client.verify(r.clientToken());
        assertThat(me.clientId()).isEqualTo(r.clientId());
        assertThat(me.hostname()).isEqualTo("agent-reg");
        HttpResponse<String> list = api.send("GET", "/api/clients", api.adminToken, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).findValuesAsText("hostname")).contains("agent-reg");
        assertThat(list.body()).doesNotContain(r.clientToken());
    }

    @Test
    void registeringTheSameKeyAgainKeepsTheIdAndOnlyTheNewTokenWorks() throws Exception {
        KeyPair keys = Keys.generateRsa();
        RegisterResponse first = api.client.register(TestApi.signed(keys, "agent-again"), api.adminToken);
        assertThat(api.client.verify(first.clientToken()).clientId()).isEqualTo(first.clientId());
        RegisterResponse second = api.client.register(TestApi.signed(keys, "agent-again"), api.adminToken);
        assertThat(second.clientId()).isEqualTo(first.clientId());
        assertThat(second.clientToken()).isNotEqualTo(first.clientToken());
        assertThat(api.client.verify(second.clientToken()).clientId()).isEqualTo(first.clientId());
        assertThatThrownBy(() -> api.client.verify(first.clientToken()))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.serverError()).contains("not valid");
                });
    }

    @Test
    void registrationWithoutTheAdminTokenIsRefused() {
        assertThatThrownBy(() -> api.client.register(TestApi.signed(Keys.generateRsa(), "x"), "not-the-admin-token-at-all"))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> api.client.register(TestApi.signed(Keys.generateRsa(), "x"), agent.clientToken()))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void aBadSignatureIsRefusedWithAClearError() throws Exception {
        RegistrationRequest good = TestApi.signed(Keys.generateRsa(), "agent-sig");
        // same request, hostname changed after signing
        RegisterRequest tampered = new RegisterRequest("someone-else", good.machineId(), good.publicKeyPem(),
                good.timestamp(), good.nonce(), good.hardware(), good.signature());
        HttpResponse<String> r = api.send("POST", "/api/register", api.adminToken, Json.mapper().writeValueAsString(tampered));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r)).contains("signature does not match");
        // signed by another key than the one presented
        RegistrationRequest other = TestApi.signed(Keys.generateRsa(), "agent-sig");
        RegisterRequest swapped = new RegisterRequest(good.hostname(), good.machineId(), good.publicKeyPem(),
                other.timestamp(), other.nonce(), other.hardware(), other.signature());
        HttpResponse<String> r2 = api.send("POST", "/api/register", api.adminToken, Json.mapper().writeValueAsString(swapped));
        assertThat(r2.statusCode()).isEqualTo(401);
        assertThat(error(r2)).contains("signature");
    }

    @Test
    void aStaleTimestampIsRefused() {
        RegistrationRequest stale = RegistrationRequest.sign(Keys.generateRsa(), "agent-stale", "", Map.of(),
                Instant.now().minusSeconds(3600), Tokens.generate());
        assertThatThrownBy(() -> api.client.register(stale, api.adminToken))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.serverError()).contains("timestamp").contains("away from the server's clock");
                });
    }

    @Test
    void aReplayedNonceIsRefused() throws Exception {
        RegistrationRequest once = TestApi.signed(Keys.generateRsa(), "agent-replay");
        api.client.register(once, api.adminToken);
        assertThatThrownBy(() -> api.client.register(once, api.adminToken))
                .isInstanceOfSatisfying(DcmonClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.serverError()).contains("nonce was already used");
                });
    }

    @Test
    void aForgedClientTokenIsRefused() {
        for (String forged : List.of(Tokens.generate(), agent.clientToken() + "x", agent.clientToken().substring(1),
                "x".repeat(300))) {
            assertThatThrownBy(() -> api.client.verify(forged))
                    .isInstanceOfSatisfying(DcmonClientException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.serverError()).contains("bearer token is not valid");
                    });
            assertThatThrownBy(() -> api.client.push(forged, List.of(Sample.of(SeriesKey.of("x_total"), 1, 1L))))
                    .isInstanceOfSatisfying(DcmonClientException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
    }

    @Test
    void pushedMetricsLandAndReadBackWithIntegersKeptIntegral() throws Exception {
        RegisterResponse me = api.client.register(TestApi.signed(Keys.generateRsa(), "agent-push"), api.adminToken);
        long t = (Instant.now().toEpochMilli() / 1000) * 1000 - 60_000;
        List<Sample> batch = List.of(
                Sample.of(SeriesKey.of("node_memory_total_bytes"), t, 67_412_344_832L),
                Sample.of(SeriesKey.of("node_memory_total_bytes"), t + 30_000, 67_412_344_833L),
                Sample.of(SeriesKey.of("node_load1", "cpu", "all"), t, 0.25));
        MetricsResponse first = api.client.push(me.clientToken(), batch);
        assertThat(first.received()).isEqualTo(3);
        assertThat(first.stored()).isEqualTo(3);
        assertThat(first.rejected()).isEmpty();
        // a replayed batch (agent spool) stores nothing twice
        assertThat(api.client.push(me.clientToken(), batch).stored()).isZero();

        HttpResponse<String> r = api.send("GET", "/api/metrics?metric=node_memory_total_bytes&client_id=" + me.clientId()
                + "&from=" + (t / 1000 - 10) + "&to=" + (t / 1000 + 100), api.adminToken, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode series = json(r).get("series");
        assertThat(series).hasSize(1);
        JsonNode points = series.get(0).get("points");
        assertThat(points).hasSize(2);
        assertThat(points.get(0).get("ts_ms").asLong()).isEqualTo(t);
        assertThat(points.get(0).get("value").isIntegralNumber()).isTrue();
        assertThat(points.get(0).get("value").asLong()).isEqualTo(67_412_344_832L);
        assertThat(points.get(1).get("value").asLong()).isEqualTo(67_412_344_833L);

        HttpResponse<String> load = api.send("GET", "/api/metrics?metric=node_load1&label=cpu:all&client_id="
                + me.clientId() + "&from_ms=" + (t - 1) + "&to_ms=" + (t + 1), api.adminToken, null);
        JsonNode lp = json(load).get("series").get(0);
        assertThat(lp.get("labels").get("cpu").asText()).isEqualTo("all");
        assertThat(lp.get("points").get(0).get("value").isFloatingPointNumber()).isTrue();
        assertThat(lp.get("points").get(0).get("value").asDouble()).isEqualTo(0.25);
    }

    @Test
    void aGzipBodyAndAPlainBodyAreBothAccepted() throws Exception {
        long t = Instant.now().toEpochMilli() - 5_000;
        String body = "{\"samples\":[{\"metric\":\"gz_test_total\",\"labels\":{},\"ts_ms\":" + t + ",\"value\":7}]}";
        HttpResponse<String> gz = api.sendBytes("POST", "/api/metrics", agent.clientToken(), TestApi.gzip(body),
                Map.of("Content-Encoding", "gzip"));
        assertThat(gz.statusCode()).as(gz.body()).isEqualTo(200);
        assertThat(json(gz).get("stored").asInt()).isEqualTo(1);
        String plain = body.replace("gz_test_total", "plain_test_total");
        HttpResponse<String> pr = api.send("POST", "/api/metrics", agent.clientToken(), plain);
        assertThat(pr.statusCode()).as(pr.body()).isEqualTo(200);
        assertThat(json(pr).get("stored").asInt()).isEqualTo(1);
    }

    @Test
    void malformedJsonIsA400WithAMessageNotA500() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"samples\":[{\"metric\":", "malformed JSON",
                "not json at all", "malformed JSON",
                "{\"samples\": 5}", "samples",
                "{\"samples\":[{\"metric\":\"a\",\"ts_ms\":\"yesterday\",\"value\":1}]}", "ts_ms",
                "{\"samples\":[],\"extra\":1}", "unknown property 'extra'",
                "{\"samples\":[{\"metric\":\"a\",\"ts_ms\":1,\"value\":true}]}", "value");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = api.send("POST", "/api/metrics", agent.clientToken(), c.getKey());
            assertThat(r.statusCode()).as(c.getKey() + " -> " + r.body()).isEqualTo(400);
            assertThat(error(r)).as(c.getKey()).contains(c.getValue());
        }
        HttpResponse<String> reg = api.send("POST", "/api/register", api.adminToken, "{\"hostname\": [}");
        assertThat(reg.statusCode()).isEqualTo(400);
        assertThat(error(reg)).contains("malformed JSON");
        HttpResponse<String> empty = api.send("POST", "/api/register", api.adminToken, "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(error(empty)).contains("empty");
    }

    @Test
    void errorsDoNotEchoLongInputBack() throws Exception {
        String huge = "\"" + "A".repeat(50_000);
        HttpResponse<String> r = api.send("POST", "/api/metrics", agent.clientToken(), "{\"samples\":[{\"metric\":" + huge + "}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body().length()).isLessThan(1_000);
    }

    @Test
    void badSamplesAreReportedWhileTheRestOfTheBatchIsStored() throws Exception {
        long t = Instant.now().toEpochMilli() - 1_000;
        String body = "{\"samples\":["
                + "{\"metric\":\"ok_metric\",\"labels\":{},\"ts_ms\":" + t + ",\"value\":1},"
                + "{\"metric\":\"bad name!\",\"labels\":{},\"ts_ms\":" + t + ",\"value\":1},"
                + "{\"metric\":\"future_metric\",\"labels\":{},\"ts_ms\":" + (t + 86_400_000L) + ",\"value\":1}]}";
        HttpResponse<String> r = api.send("POST", "/api/metrics", agent.clientToken(), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode n = json(r);
        assertThat(n.get("received").asInt()).isEqualTo(3);
        assertThat(n.get("stored").asInt()).isEqualTo(1);
        assertThat(n.get("rejected").findValuesAsText("index")).containsExactly("1", "2");
        assertThat(n.get("rejected").get(0).get("error").asText()).contains("metric name");
        assertThat(n.get("rejected").get(1).get("error").asText()).contains("future");

        HttpResponse<String> allBad = api.send("POST", "/api/metrics", agent.clientToken(),
                "{\"samples\":[{\"metric\":\"9bad\",\"labels\":{},\"ts_ms\":1,\"value\":1}]}");
        assertThat(allBad.statusCode()).isEqualTo(400);
        assertThat(error(allBad)).contains("all 1 samples were refused");
    }

    @Test
    void metricsQueryDownsamplesAndComputesRatesInTheStore() throws Exception {
        RegisterResponse me = api.client.register(TestApi.signed(Keys.generateRsa(), "agent-step"), api.adminToken);
        long t0 = (Instant.now().toEpochMilli() / 600_000) * 600_000 - 3_600_000; // an hour ago, on a 10-minute boundary
        List<Sample> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) { // one sample a minute: temperature 40..49 repeating; a counter +120/min, reset at 30
            batch.add(Sample.of(SeriesKey.of("gpu_temp_celsius"), t0 + i * 60_000L, 40L + i % 10));
            batch.add(Sample.of(SeriesKey.of("rx_bytes_total"), t0 + i * 60_000L, (i < 30 ? i : i - 30) * 120L));
        }
        api.client.push(me.clientToken(), batch);
        String range = "&client_id=" + me.clientId() + "&from_ms=" + t0 + "&to_ms=" + (t0 + 3_599_999);

        JsonNode max = json(api.send("GET", "/api/metrics?metric=gpu_temp_celsius&step=600&agg=max" + range, api.adminToken, null))
                .get("series").get(0).get("points");
        assertThat(max).hasSize(6);
        assertThat(max.get(0).get("ts_ms").asLong()).isEqualTo(t0);
        assertThat(max.findValues("value")).allSatisfy(v -> assertThat(v.asLong()).isEqualTo(49));

        JsonNode avg = json(api.send("GET", "/api/metrics?metric=gpu_temp_celsius&step=600" + range, api.adminToken, null))
                .get("series").get(0).get("points");
        assertThat(avg.get(0).get("value").asDouble()).isEqualTo(44.5);

        JsonNode rate = json(api.send("GET", "/api/metrics?metric=rx_bytes_total&step=600&agg=rate" + range, api.adminToken, null))
                .get("series").get(0).get("points");
        // 2 bytes/s throughout: the reset at minute 30 does not show as a negative rate
        assertThat(rate.findValues("value")).isNotEmpty().allSatisfy(v -> assertThat(v.asDouble()).isBetween(0.0, 2.0001));
        assertThat(rate.get(1).get("value").asDouble()).isEqualTo(2.0);

        assertThat(error(api.send("GET", "/api/metrics?metric=a&step=60&agg=median", api.adminToken, null))).contains("use avg, min");
        assertThat(error(api.send("GET", "/api/metrics?metric=a&agg=max", api.adminToken, null))).contains("agg needs step");
        assertThat(error(api.send("GET", "/api/metrics?metric=a&step=1&from=0", api.adminToken, null))).contains("use a larger step");
    }

    @Test
    void metricsQueryValidatesItsParameters() throws Exception {
        assertThat(error(api.send("GET", "/api/metrics", api.adminToken, null))).contains("'metric' is required");
        HttpResponse<String> both = api.send("GET", "/api/metrics?metric=a&from=1&from_ms=1", api.adminToken, null);
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(error(both)).contains("not both");
        assertThat(api.send("GET", "/api/metrics?metric=a&limit=0", api.adminToken, null).statusCode()).isEqualTo(400);
        assertThat(error(api.send("GET", "/api/metrics?metric=a&from=abc", api.adminToken, null))).contains("'from' was 'abc'");
        assertThat(error(api.send("GET", "/api/metrics?metric=a&label=novalue", api.adminToken, null))).contains("name:value");
        HttpResponse<String> unknownClient = api.send("GET", "/api/metrics?metric=a&client_id=999999", api.adminToken, null);
        assertThat(unknownClient.statusCode()).isEqualTo(404);
    }

    @Test
    void healthAnswersTheAdmin() throws Exception {
        HttpResponse<String> r = api.send("GET", "/health", api.adminToken, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("ok");
        assertThat(json(r).get("database").asText()).isEqualTo("ok");
    }
}
