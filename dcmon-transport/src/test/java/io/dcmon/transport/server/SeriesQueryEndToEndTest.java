package io.dcmon.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.transport.wire.RegisterResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.dcmon.transport.server.ApiSecurityEndToEndTest.error;
import static io.dcmon.transport.server.ApiSecurityEndToEndTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Label matchers on {@code GET /api/metrics} and the picker listings under {@code /api/series}, over real HTTP. */
class SeriesQueryEndToEndTest {

    @TempDir
    static Path dir;
    static TestApi api;
    static RegisterResponse me;
    static long t0;

    @BeforeAll
    static void start() throws Exception {
        api = TestApi.start(dir);
        me = api.register("agent-series");
        t0 = Instant.now().toEpochMilli() - 600_000;
        List<Sample> batch = new ArrayList<>();
        for (String gpu : List.of("0", "1", "10", "11")) {
            batch.add(Sample.of(SeriesKey.of("gpu_temp_celsius", "gpu", gpu), t0, 40L + gpu.length()));
        }
        batch.add(Sample.of(SeriesKey.of("gpu_temp_celsius", "sensor", "board"), t0, 30L));
        batch.add(Sample.of(SeriesKey.of("node_load1"), t0, 0.5));
        api.client.push(me.clientToken(), batch);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return api.send("GET", pathAndQuery, api.adminToken, null);
    }

    private static List<String> gpus(JsonNode series) {
        List<String> out = new ArrayList<>();
        series.forEach(s -> out.add(s.get("labels").path("gpu").asText("-")));
        return out;
    }

    @Test
    void metricsQueryTakesRepeatableMatchers() throws Exception {
        String base = "/api/metrics?metric=gpu_temp_celsius&client_id=" + me.clientId() + "&from_ms=" + (t0 - 1000) + "&match=";
        HttpResponse<String> r = get(base + enc("gpu=~\"1.*\""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(gpus(json(r).get("series"))).containsExactly("1", "10", "11");
        assertThat(gpus(json(get(base + enc("gpu=~1.*") + "&match=" + enc("gpu!=10"))).get("series"))).containsExactly("1", "11");
        assertThat(gpus(json(get(base + enc("gpu!~1.*"))).get("series"))).containsExactlyInAnyOrder("0", "-");
        // anchored: "1" is not a substring search
        assertThat(gpus(json(get(base + enc("gpu=~1"))).get("series"))).containsExactly("1");
        JsonNode down = json(get(base + enc("gpu=~\"0|11\"") + "&step=60&agg=max")).get("series");
        assertThat(gpus(down)).containsExactly("0", "11");
        assertThat(down.get(1).get("points").get(0).get("value").asLong()).isEqualTo(42);
    }

    @Test
    void badMatcherOrRegexIsA400NamingTheParameter() throws Exception {
        HttpResponse<String> badRegex = get("/api/metrics?metric=gpu_temp_celsius&match=" + enc("gpu=~\"(unclosed\""));
        assertThat(badRegex.statusCode()).isEqualTo(400);
        assertThat(error(badRegex)).contains("'match'").contains("not a valid Java regex");
        HttpResponse<String> noOperator = get("/api/series?match=" + enc("gpu"));
        assertThat(noOperator.statusCode()).isEqualTo(400);
        assertThat(error(noOperator)).contains("'match'").contains("name=~regex");
    }

    @Test
    void seriesMetricNamesAndLabelValuesAreListed() throws Exception {
        JsonNode all = json(get("/api/series?client_id=" + me.clientId()));
        assertThat(all.get("series")).hasSize(6);
        assertThat(all.get("truncated").asBoolean()).isFalse();
        JsonNode some = json(get("/api/series?metric=gpu_temp_celsius&match=" + enc("gpu=~1.")));
        assertThat(gpus(some.get("series"))).containsExactly("10", "11");
        assertThat(some.get("series").get(0).get("client_id").asLong()).isEqualTo(me.clientId());
        assertThat(json(get("/api/series/metrics?client_id=" + me.clientId())).get("values"))
                .extracting(JsonNode::asText).containsExactly("gpu_temp_celsius", "node_load1");
        assertThat(json(get("/api/series/label-values?metric=gpu_temp_celsius&label=gpu")).get("values"))
                .extracting(JsonNode::asText).containsExactly("0", "1", "10", "11");
        assertThat(error(get("/api/series/label-values?metric=gpu_temp_celsius"))).contains("'label' is required");
        assertThat(get("/api/series/metrics?client_id=999999").statusCode()).isEqualTo(404);
        assertThat(api.send("GET", "/api/series", me.clientToken(), null).statusCode()).isEqualTo(403);
    }
}
