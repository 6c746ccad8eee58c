package io.dcmon.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.service.Keys;
import io.dcmon.core.service.RegistrationRequest;
import io.dcmon.core.service.Tokens;
import io.dcmon.transport.wire.Json;
import io.dcmon.transport.wire.RegisterRequest;
import io.dcmon.transport.wire.RegisterResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated hostile requests against a running server: malformed and truncated JSON, wrong types, huge numbers,
 * NaN, deep nesting, 10 MB strings, a 1 GiB gzip bomb, bad UTF-8, oversized label sets, forged/expired/replayed
 * registrations and revoked tokens. None may produce a 5xx, each refusal is a JSON error, and the data accepted
 * before the suite is all still there afterwards.
 */
class HostileInputTest {

    @TempDir
    static Path dir;
    static TestApi api;
    static RegisterResponse agent;
    static RegisterResponse revoked;
    static long t0;
    static final int BEFORE = 50;

    /** One hostile request: where, with which token, what body, extra headers, and whether it must be refused. */
    record Case(String name, String method, String path, String token, byte[] body, Map<String, String> headers, boolean mustRefuse) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        api = TestApi.start(dir);
        agent = api.register("hostile-target");
        revoked = api.register("hostile-revoked");
        assertThat(api.send("DELETE", "/api/clients/" + revoked.clientId(), api.adminToken, null).statusCode()).isEqualTo(204);
        t0 = Instant.now().toEpochMilli() - 3_600_000L;
        List<Sample> before = new ArrayList<>();
        for (int i = 0; i < BEFORE; i++) {
            before.add(Sample.of(SeriesKey.of("hostile_before_total", "i", Integer.toString(i % 5)), t0 + i * 1000L, (long) i * 1_000_003L));
        }
        assertThat(api.client.push(agent.clientToken(), before).stored()).isEqualTo(BEFORE);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @TestFactory
    Stream<DynamicTest> noHostileRequestCausesA5xxAndAcceptedDataSurvives() throws Exception {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c)));
        }
        tests.add(DynamicTest.dynamicTest("data accepted before the suite is unchanged", HostileInputTest::dataSurvived));
        return tests.stream();
    }

    static void check(Case c) throws Exception {
        HttpResponse<String> r;
        try {
            r = api.sendBytes(c.method(), c.path(), c.token(), c.body(), c.headers());
        } catch (java.io.IOException e) {
            throw new AssertionError("case '" + c.name() + "': no HTTP answer in three tries (" + e.getMessage() + ")", e);
        }
        assertThat(r.statusCode()).as("%s -> %s", c.name(), r.body()).isLessThan(500);
        if (c.mustRefuse()) {
            assertThat(r.statusCode()).as("%s -> %s", c.name(), r.body()).isBetween(400, 499);
            JsonNode err = Json.mapper().readTree(r.body());
            assertThat(err.get("error").asText()).as(c.name()).isNotBlank();
            assertThat(r.body().length()).as("error stays short: %s", c.name()).isLessThan(2_000);
        }
    }

    static void dataSurvived() throws Exception {
        HttpResponse<String> r = api.send("GET", "/api/metrics?metric=hostile_before_total&client_id=" + agent.clientId()
                + "&from_ms=" + t0 + "&to_ms=" + (t0 + BEFORE * 1000L), api.adminToken, null);
        assertThat(r.statusCode()).isEqualTo(200);
        Map<Long, Long> values = new LinkedHashMap<>();
        for (JsonNode s : Json.mapper().readTree(r.body()).get("series")) {
            for (JsonNode p : s.get("points")) {
                values.put(p.get("ts_ms").asLong(), p.get("value").asLong());
            }
        }
        assertThat(values).hasSize(BEFORE);
        for (int i = 0; i < BEFORE; i++) {
            assertThat(values).containsEntry(t0 + i * 1000L, (long) i * 1_000_003L);
        }
        assertThat(api.client.verify(agent.clientToken()).clientId()).isEqualTo(agent.clientId());
    }

    static List<Case> cases() throws Exception {
        List<Case> out = new ArrayList<>();
        String tok = agent.clientToken();
        String adm = api.adminToken;
        long now = Instant.now().toEpochMilli();
        String valid = "{\"samples\":[{\"metric\":\"hostile_ok_total\",\"labels\":{\"a\":\"b\"},\"ts_ms\":" + now + ",\"value\":1}]}";
        String validCommand = "{\"client_id\":" + agent.clientId() + ",\"type\":\"fan_control\",\"params\":{\"action\":\"set_duty\",\"zone\":0,\"percent\":50}}";
        String validRegister = Json.mapper().writeValueAsString(RegisterRequest.from(TestApi.signed(Keys.generateRsa(), "hostile-reg")));

        // 1. every truncation of valid bodies (malformed / truncated JSON)
        for (int cut = 0; cut < valid.length() - 1; cut += 3) {
            out.add(post("metrics truncated at " + cut, "/api/metrics", tok, valid.substring(0, cut), true));
        }
        for (int cut = 0; cut < validCommand.length() - 1; cut += 5) {
            out.add(post("command truncated at " + cut, "/api/commands", adm, validCommand.substring(0, cut), true));
        }
        for (int cut = 0; cut < validRegister.length() - 1; cut += 60) {
            out.add(post("register truncated at " + cut, "/api/register", adm, validRegister.substring(0, cut), true));
        }

        // 2. wrong types and extreme numbers in every sample field
        String[] weird = {"null", "true", "[]", "{}", "\"text\"", "1.5", "-1", "1e400", "-1e400", "99999999999999999999999999",
                "NaN", "Infinity", "\"NaN\"", "0x10", "1" + "0".repeat(70), "\"\\u0000\""};
        String[] fields = {"metric", "labels", "ts_ms", "value"};
        for (String f : fields) {
            for (String w : weird) {
                String body = "{\"samples\":[{" + sampleFields(now, f, w) + "}]}";
                out.add(post("sample." + f + " = " + w, "/api/metrics", tok, body, false));
            }
        }
        for (String w : weird) {
            out.add(post("samples = " + w, "/api/metrics", tok, "{\"samples\":" + w + "}", !w.equals("null") && !w.equals("[]")));
            out.add(post("command params = " + w, "/api/commands", adm,
                    "{\"client_id\":" + agent.clientId() + ",\"type\":\"fan_control\",\"params\":" + w + "}", true));
            out.add(post("command client_id = " + w, "/api/commands", adm, "{\"client_id\":" + w + ",\"type\":\"reboot\"}", true));
            out.add(post("result command_id = " + w, "/api/command-results", tok, "{\"command_id\":" + w + ",\"exit_status\":0}", true));
            out.add(post("register timestamp = " + w, "/api/register", adm, validRegister.replaceFirst("\"timestamp\":\\d+", "\"timestamp\":" + Matcher(w)), true));
        }

        // 3. deep nesting, huge strings, huge documents
        out.add(post("deep array nesting", "/api/metrics", tok, "{\"samples\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", true));
        out.add(post("deep object nesting", "/api/metrics", tok, "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000), true));
        String tenMb = "x".repeat(10 * 1024 * 1024);
        out.add(gzip("10 MB metric name (gzip)", "/api/metrics", tok, "{\"samples\":[{\"metric\":\"" + tenMb + "\",\"ts_ms\":1,\"value\":1}]}"));
        out.add(post("10 MB body over the wire limit", "/api/metrics", tok, "{\"samples\":[{\"metric\":\"" + tenMb + "\"}]}", true));
        out.add(gzip("10 MB hostname (gzip)", "/api/register", adm, validRegister.replace("\"hostname\":\"hostile-reg\"", "\"hostname\":\"" + tenMb + "\"")));
        out.add(new Case("1 GiB gzip bomb", "POST", "/api/metrics", tok, HardeningEndToEndTest.gzipBomb(1024),
                Map.of("Content-Encoding", "gzip"), true));
        out.add(new Case("garbage claiming gzip", "POST", "/api/metrics", tok, "not gzip at all".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Encoding", "gzip"), true));
        byte[] truncatedGzip = TestApi.gzip(valid);
        out.add(new Case("truncated gzip", "POST", "/api/metrics", tok, java.util.Arrays.copyOf(truncatedGzip, truncatedGzip.length / 2),
                Map.of("Content-Encoding", "gzip"), true));
        out.add(new Case("unsupported encoding", "POST", "/api/metrics", tok, valid.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Encoding", "deflate"), true));
        out.add(post("a batch over the sample limit", "/api/metrics", tok, bigBatch(now, 10_001), true));

        // 4. bad UTF-8 in strings
        byte[][] badUtf8 = {{(byte) 0xc3, 0x28}, {(byte) 0xff}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        for (int i = 0; i < badUtf8.length; i++) {
            out.add(new Case("bad UTF-8 #" + i + " in a metric name", "POST", "/api/metrics", tok,
                    concat("{\"samples\":[{\"metric\":\"m", badUtf8[i], "\",\"ts_ms\":1,\"value\":1}]}"), Map.of(), false));
            out.add(new Case("bad UTF-8 #" + i + " in a label value", "POST", "/api/metrics", tok,
                    concat("{\"samples\":[{\"metric\":\"m\",\"labels\":{\"a\":\"", badUtf8[i], "\"},\"ts_ms\":1,\"value\":1}]}"), Map.of(), false));
            out.add(new Case("bad UTF-8 #" + i + " in a hostname", "POST", "/api/register", adm,
                    concat("{\"hostname\":\"h", badUtf8[i], "\"}"), Map.of(), true));
        }

        // 5. oversized and invalid label sets
        for (int n : new int[] {33, 100, 1000}) {
            StringBuilder labels = new StringBuilder();
            for (int i = 0; i < n; i++) {
                labels.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":\"v\"");
            }
            out.add(post(n + " labels on one sample", "/api/metrics", tok,
                    "{\"samples\":[{\"metric\":\"m\",\"labels\":{" + labels + "},\"ts_ms\":" + now + ",\"value\":1}]}", true));
        }
        for (String bad : new String[] {"\"9x\":\"v\"", "\"a-b\":\"v\"", "\"\":\"v\"", "\"a\":\"" + "v".repeat(300) + "\"",
                "\"" + "n".repeat(300) + "\":\"v\"", "\"a\":null", "\"a\":1", "\"a\":\"x\",\"a\":\"y\""}) {
            out.add(post("label " + (bad.length() > 30 ? bad.substring(0, 30) : bad), "/api/metrics", tok,
                    "{\"samples\":[{\"metric\":\"m\",\"labels\":{" + bad + "},\"ts_ms\":" + now + ",\"value\":1}]}", true));
        }
        for (String m : new String[] {"9starts_with_digit", "has space", "dash-ed", "", "x".repeat(201), "ünïcode", "a{b}"}) {
            out.add(post("metric name '" + (m.length() > 20 ? m.substring(0, 20) : m) + "'", "/api/metrics", tok,
                    "{\"samples\":[{\"metric\":\"" + m + "\",\"labels\":{},\"ts_ms\":" + now + ",\"value\":1}]}", true));
        }
        out.add(post("sample stamped a day ahead", "/api/metrics", tok,
                "{\"samples\":[{\"metric\":\"m\",\"labels\":{},\"ts_ms\":" + (now + 86_400_000L) + ",\"value\":1}]}", true));
        out.add(post("negative timestamp", "/api/metrics", tok, "{\"samples\":[{\"metric\":\"m\",\"labels\":{},\"ts_ms\":-5,\"value\":1}]}", true));

        // 6. forged, expired and replayed registrations
        KeyPair keys = Keys.generateRsa();
        RegistrationRequest good = RegistrationRequest.sign(keys, "hostile-reg2", "", Map.of(), Instant.now(), Tokens.generate());
        String goodJson = Json.mapper().writeValueAsString(RegisterRequest.from(good));
        out.add(post("registration (first use, accepted)", "/api/register", adm, goodJson, false));
        out.add(post("registration replayed", "/api/register", adm, goodJson, true));
        out.add(post("registration replayed with a client token", "/api/register", tok, goodJson, true));
        for (long skew : new long[] {-86_400, -400, 400, 86_400 * 365L}) {
            RegistrationRequest stale = RegistrationRequest.sign(keys, "hostile-stale", "", Map.of(), Instant.now().plusSeconds(skew), Tokens.generate());
            out.add(post("registration skewed " + skew + " s", "/api/register", adm, Json.mapper().writeValueAsString(RegisterRequest.from(stale)), true));
        }
        String[][] tamper = {{"hostile-reg2", "hostile-evil"}, {"\"signature\":\"", "\"signature\":\"AAAA"}, {"\"nonce\":\"", "\"nonce\":\"x"}};
        for (String[] t : tamper) {
            RegistrationRequest fresh = RegistrationRequest.sign(keys, "hostile-reg2", "", Map.of(), Instant.now(), Tokens.generate());
            out.add(post("registration tampered: " + t[1], "/api/register", adm,
                    Json.mapper().writeValueAsString(RegisterRequest.from(fresh)).replace(t[0], t[1]), true));
        }
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        out.add(post("registration with a 1024-bit key", "/api/register", adm, Json.mapper().writeValueAsString(RegisterRequest.from(
                RegistrationRequest.sign(small.generateKeyPair(), "weak", "", Map.of(), Instant.now(), Tokens.generate()))), true));
        out.add(post("registration with a garbage key", "/api/register", adm,
                goodJson.replaceFirst("MII[A-Za-z0-9+/]+", "MIIgarbage"), true));
        out.add(post("registration with a short nonce", "/api/register", adm, Json.mapper().writeValueAsString(RegisterRequest.from(
                RegistrationRequest.sign(keys, "h", "", Map.of(), Instant.now(), "short"))), true));
        out.add(post("registration with a control character in the hostname", "/api/register", adm, Json.mapper().writeValueAsString(
                RegisterRequest.from(RegistrationRequest.sign(keys, "evil\nhost", "", Map.of(), Instant.now(), Tokens.generate()))), true));

        // 7. revoked, forged and malformed tokens on every client route
        String[] tokens = {revoked.clientToken(), Tokens.generate(), "", " ", "x".repeat(10_000), tok + "%00", "Bearer", adm.substring(1)};
        for (String t : tokens) {
            out.add(new Case("push with token '" + (t.length() > 12 ? t.substring(0, 12) + "…" : t) + "'", "POST", "/api/metrics", t.isEmpty() ? null : t,
                    valid.getBytes(StandardCharsets.UTF_8), Map.of(), true));
            out.add(new Case("poll with token '" + (t.length() > 12 ? t.substring(0, 12) + "…" : t) + "'", "GET",
                    "/api/commands/" + revoked.clientId() + "?wait=0", t.isEmpty() ? null : t, new byte[0], Map.of(), true));
        }

        // 8. hostile query strings
        String[] queries = {"metric=", "metric=a&from=-1", "metric=a&to=99999999999999999999", "metric=a&limit=-5", "metric=a&limit=1000000000",
                "metric=a&client_id=abc", "metric=a&label=", "metric=a&label=:v", "metric=a&from=10&to=5", "metric=a%00b",
                "metric=" + "m".repeat(5000), "metric=a&from_ms=1&from=1"};
        for (String q : queries) {
            out.add(new Case("query " + (q.length() > 40 ? q.substring(0, 40) : q), "GET", "/api/metrics?" + q, adm, new byte[0], Map.of(), true));
        }
        for (String q : new String[] {"status=x", "client_id=-1&status=queued", "limit=0", "limit=abc", "client_id=" + "9".repeat(30)}) {
            out.add(new Case("commands query " + q, "GET", "/api/commands?" + q, adm, new byte[0], Map.of(), !q.startsWith("client_id=-1")));
        }
        return out;
    }

    private static String Matcher(String w) {
        return java.util.regex.Matcher.quoteReplacement(w);
    }

    private static String sampleFields(long now, String override, String value) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("metric", "\"hostile_typed_total\"");
        f.put("labels", "{}");
        f.put("ts_ms", Long.toString(now));
        f.put("value", "1");
        f.put(override, value);
        StringBuilder sb = new StringBuilder();
        f.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append('"').append(k).append("\":").append(v));
        return sb.toString();
    }

    private static String bigBatch(long now, int n) {
        StringBuilder sb = new StringBuilder("{\"samples\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"metric\":\"b\",\"labels\":{},\"ts_ms\":").append(now - i).append(",\"value\":1}");
        }
        return sb.append("]}").toString();
    }

    private static Case post(String name, String path, String token, String body, boolean mustRefuse) {
        return new Case(name, "POST", path, token, body.getBytes(StandardCharsets.UTF_8), Map.of(), mustRefuse);
    }

    private static Case gzip(String name, String path, String token, String body) throws Exception {
        return new Case(name, "POST", path, token, TestApi.gzip(body), Map.of("Content-Encoding", "gzip"), true);
    }

    private static byte[] concat(String a, byte[] b, String c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(b);
        out.writeBytes(c.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

}
