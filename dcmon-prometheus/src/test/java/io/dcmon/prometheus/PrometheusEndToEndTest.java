package io.dcmon.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcmon.core.model.Client;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.Keys;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationRequest;
import io.dcmon.core.service.RegistrationService;
import io.dcmon.core.service.Tokens;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.auth.CaffeineNonceGuard;
import io.dcmon.transport.client.DcmonClient;
import io.dcmon.transport.server.DcmonServer;
import io.dcmon.transport.server.DcmonServices;
import io.dcmon.transport.server.PrometheusHooks;
import io.dcmon.transport.wire.RegisterResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dcmon and a real Prometheus 2.x process, both on 127.0.0.1: Prometheus scrapes dcmon with the scrape token, and
 * dcmon forwards batches to Prometheus's remote-write receiver. Each test asks Prometheus's HTTP API for what
 * dcmon stored.
 */
class PrometheusEndToEndTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    /** A real dcmon API (SQLite, Jetty, Jersey) with the Prometheus hooks. */
    private static final class Dcmon implements AutoCloseable {
        final SqliteStorage storage;
        final DcmonServer server;
        final String adminToken = Tokens.generate();
        final String scrapeToken = Tokens.generate();
        final RemoteWriteForwarder forwarder;

        Dcmon(Path dir, RemoteWriteConfig remoteWrite) throws Exception {
            Clock clock = Clock.systemUTC();
            storage = SqliteStorage.open(dir.resolve("dcmon.db"));
            forwarder = remoteWrite == null ? null : RemoteWriteForwarder.start(remoteWrite);
            DcmonServices services = new DcmonServices(new ClientAuthenticator(adminToken, storage),
                    new RegistrationService(storage, new CaffeineNonceGuard(), clock),
                    new IngestService(storage, storage, clock), new QueryService(storage, storage), clock, false)
                    .withClients(storage).withCommands(storage.commands())
                    .withPrometheus(new PrometheusHooks(scrapeToken,
                            new PrometheusExposition(storage, storage, clock, PrometheusExposition.DEFAULT_MAX_AGE,
                                    MetricCatalog.builtIn()),
                            forwarder, forwarder == null ? null : forwarder::counters));
            server = DcmonServer.create("127.0.0.1", 0, services);
            server.start();
        }

        RegisterResponse register(String hostname) throws Exception {
            return DcmonClient.create(server.uri()).register(RegistrationRequest.sign(Keys.generateRsa(), hostname,
                    "machine-" + hostname, Map.of(), Instant.now(), Tokens.generate()), adminToken);
        }

        void push(RegisterResponse agent, List<Sample> samples) throws Exception {
            DcmonClient.create(server.uri()).push(agent.clientToken(), samples);
        }

        @Override
        public void close() {
            server.close();
            if (forwarder != null) {
                forwarder.close();
            }
            storage.close();
        }
    }

    @Test
    void prometheusScrapesDcmonWithTheScrapeTokenAndGetsTheStoredValue(@TempDir Path dir) throws Exception {
        RealPrometheus.binary();
        try (Dcmon dcmon = new Dcmon(dir, null)) {
            RegisterResponse agent = dcmon.register("prom-test-agent");
            long now = System.currentTimeMillis();
            long memTotal = 25_276_026_880L;
            dcmon.push(agent, List.of(
                    Sample.of(SeriesKey.of("node_memory_total_bytes"), now, memTotal),
                    Sample.of(SeriesKey.of("node_load1"), now, 0.75),
                    Sample.of(SeriesKey.of("node_cpu_seconds_total", "cpu", "all", "mode", "idle"), now, 12_345.25)));
            List<SeriesData> stored = dcmon.storage.query(new SampleQuery(OptionalLong.of(agent.clientId()),
                    "node_memory_total_bytes", Map.of(), now - 1000, now + 1000, 10));
            assertThat(stored).hasSize(1);
            Number storedValue = stored.get(0).points().get(0).value();

            Path tokenFile = Files.writeString(dir.resolve("scrape_token"), dcmon.scrapeToken + "\n");
            String config = """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: dcmon
                        honor_labels: true
                        metrics_path: /api/prometheus/metrics
                        authorization:
                          type: Bearer
                          credentials_file: %s
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(tokenFile, dcmon.server.uri().getPort());
            try (RealPrometheus prom = RealPrometheus.start(dir, config)) {
                String promql = "node_memory_total_bytes{client=\"" + agent.clientId() + "\"}";
                JsonNode result = prom.awaitQuery(promql, System.currentTimeMillis() / 1000.0, WITHIN);
                assertThat(result).as("Prometheus log:\n%s", prom.logTail()).hasSize(1);
                JsonNode series = result.get(0);
                assertThat(series.get("metric").get("instance").asText()).isEqualTo("prom-test-agent");
                assertThat(series.get("metric").get("job").asText()).isEqualTo("dcmon");
                assertThat(Long.parseLong(series.get("value").get(1).asText())).isEqualTo(storedValue.longValue())
                        .isEqualTo(memTotal);
                // the stored sample keeps the agent's timestamp, not the scrape's (raw samples of a range selector)
                JsonNode raw = prom.query(promql + "[5m]", System.currentTimeMillis() / 1000.0);
                assertThat(raw.get(0).get("values")).isNotEmpty().allSatisfy(v ->
                        assertThat(Math.round(v.get(0).asDouble() * 1000)).isEqualTo(now));

                JsonNode load = prom.query("node_load1{instance=\"prom-test-agent\"}", System.currentTimeMillis() / 1000.0);
                assertThat(load.get(0).get("value").get(1).asText()).isEqualTo("0.75");
                // the target is healthy: the scrape token was accepted
                JsonNode up = prom.query("up{job=\"dcmon\"}", System.currentTimeMillis() / 1000.0);
                assertThat(up.get(0).get("value").get(1).asText()).isEqualTo("1");
                // HELP/TYPE reached Prometheus's metadata
                JsonNode meta = prom.api("/api/v1/metadata?metric=node_cpu_seconds_total").get("data");
                for (int i = 0; i < 40 && meta.isEmpty(); i++) {
                    Thread.sleep(250);
                    meta = prom.api("/api/v1/metadata?metric=node_cpu_seconds_total").get("data");
                }
                assertThat(meta.get("node_cpu_seconds_total").get(0).get("type").asText()).isEqualTo("counter");

                // every query of the Grafana dashboards parses and runs in this Prometheus
                int run = 0;
                for (String file : new String[]{"grafana-dcmon-fleet.json", "grafana-dcmon-machine.json"}) {
                    for (String expr : GrafanaDashboardsTest.expressions(GrafanaDashboardsTest.dashboard(file))) {
                        if (expr.startsWith("label_values(")) {
                            continue;   // a Grafana function, not PromQL
                        }
                        String q = expr.replace("$instance", "prom-test-agent");
                        assertThat(prom.api("/api/v1/query?query=" + java.net.URLEncoder.encode(q,
                                java.nio.charset.StandardCharsets.UTF_8)).get("status").asText()).as(q).isEqualTo("success");
                        run++;
                    }
                }
                assertThat(run).isGreaterThan(40);
            }
        }
    }

    @Test
    void dcmonForwardsAcceptedBatchesToPrometheusRemoteWriteWithTheirTimestamps(@TempDir Path dir) throws Exception {
        RealPrometheus.binary();
        String config = """
                global:
                  scrape_interval: 1m
                scrape_configs: []
                """;
        try (RealPrometheus prom = RealPrometheus.start(dir, config, "--web.enable-remote-write-receiver")) {
            RemoteWriteConfig rw = RemoteWriteConfig.of(URI.create("http://127.0.0.1:" + prom.port + "/api/v1/write"))
                    .withTiming(Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofSeconds(1));
            try (Dcmon dcmon = new Dcmon(dir, rw)) {
                RegisterResponse agent = dcmon.register("rw-agent");
                long t0 = (System.currentTimeMillis() / 1000) * 1000 - 90_000 + 123;
                List<Sample> batch = List.of(
                        Sample.of(SeriesKey.of("node_load5", "note", "first"), t0, 1.25),
                        Sample.of(SeriesKey.of("node_load5", "note", "first"), t0 + 30_000, 2.5),
                        Sample.of(SeriesKey.of("node_load5", "note", "first"), t0 + 60_000, 3.75),
                        Sample.of(SeriesKey.of("nvidia_gpu_temperature_celsius", "gpu", "0"), t0 + 60_000, 41L));
                dcmon.push(agent, batch);
                double at = (t0 + 61_000) / 1000.0;
                JsonNode result = prom.awaitQuery("node_load5{client=\"" + agent.clientId() + "\"}[2m]", at, WITHIN);
                assertThat(result).as("Prometheus log:\n%s\nforwarder: %s", prom.logTail(), dcmon.forwarder.counters()).hasSize(1);
                JsonNode s = result.get(0);
                assertThat(s.get("metric").get("instance").asText()).isEqualTo("rw-agent");
                assertThat(s.get("metric").get("note").asText()).isEqualTo("first");
                JsonNode values = s.get("values");
                assertThat(values).hasSize(3);
                long[] ts = new long[3];
                String[] vs = new String[3];
                for (int i = 0; i < 3; i++) {
                    ts[i] = Math.round(values.get(i).get(0).asDouble() * 1000);
                    vs[i] = values.get(i).get(1).asText();
                }
                assertThat(ts).containsExactly(t0, t0 + 30_000, t0 + 60_000);
                assertThat(vs).containsExactly("1.25", "2.5", "3.75");
                JsonNode gpu = prom.awaitQuery("nvidia_gpu_temperature_celsius{instance=\"rw-agent\",gpu=\"0\"}", at, WITHIN);
                assertThat(gpu.get(0).get("value").get(1).asText()).isEqualTo("41");

                // the counters reach GET /api/stats
                HttpResponse<String> stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                dcmon.server.uri().resolve("api/stats")).header("Authorization", "Bearer " + dcmon.adminToken).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode rwStats = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stats.body()).get("remote_write");
                assertThat(rwStats.get("forwarded_samples").asLong()).isEqualTo(4);
                assertThat(rwStats.get("forwarded_batches").asLong()).isEqualTo(1);
                assertThat(rwStats.get("dropped_samples").asLong()).isZero();

                // an agent replaying the same batch (its answer was lost) stores nothing new, and nothing is forwarded
                // again; a new sample after it is, and the sender keeps arrival order, so once it is forwarded the
                // replay would have been too
                dcmon.push(agent, batch);
                dcmon.push(agent, List.of(Sample.of(SeriesKey.of("node_load5", "note", "first"), t0 + 61_000, 5.0)));
                long deadline = System.nanoTime() + WITHIN.toNanos();
                while (dcmon.forwarder.counters().get("forwarded_samples") < 5 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(dcmon.forwarder.counters()).containsEntry("forwarded_samples", 5L).containsEntry("dropped_samples", 0L);
            }
        }
    }
}
