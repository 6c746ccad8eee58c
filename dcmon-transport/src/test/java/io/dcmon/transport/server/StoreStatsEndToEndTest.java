package io.dcmon.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcmon.core.model.ClientSeries;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.Aggregation;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.port.LabelMatcher;
import io.dcmon.core.port.SampleStore;
import io.dcmon.core.port.StoreMonitor;
import io.dcmon.core.port.StoreStats;
import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.OverloadedException;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationService;
import io.dcmon.core.service.Tokens;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.auth.CaffeineNonceGuard;
import io.dcmon.transport.client.DcmonClient;
import io.dcmon.transport.client.DcmonClientException;
import io.dcmon.transport.wire.RegisterResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code GET /api/stats} and {@code GET /health} report the store's size, activity and writer queue, and an
 * overloaded store turns an ingest into 503 with Retry-After and a JSON error (which the agent spools and retries).
 */
class StoreStatsEndToEndTest {

    @TempDir
    Path dir;

    /**
     * The real SQLite store, with its appends refused as overloaded while {@link #overloaded} is set. The store's
     * own bounded queue is tested in dcmon-storage; here only the HTTP mapping of its refusal is under test.
     */
    private static final class Switchable implements SampleStore, StoreMonitor {
        final SqliteStorage storage;
        volatile boolean overloaded;

        Switchable(SqliteStorage storage) {
            this.storage = storage;
        }

        @Override
        public int append(long clientId, List<Sample> samples) {
            if (overloaded) {
                throw new OverloadedException("storage[dcmon.db]: the write queue is full (1024 writes waiting); retry shortly",
                        Duration.ofSeconds(1));
            }
            return storage.append(clientId, samples);
        }

        @Override
        public List<SeriesData> query(SampleQuery query) {
            return storage.query(query);
        }

        @Override
        public List<SeriesData> query(SampleQuery query, long stepMs, Aggregation aggregation) {
            return storage.query(query, stepMs, aggregation);
        }

        @Override
        public List<SeriesData> rate(SampleQuery query, long stepMs) {
            return storage.rate(query, stepMs);
        }

        @Override
        public List<SeriesData> latest(OptionalLong clientId, Optional<String> metric, Map<String, String> labels) {
            return storage.latest(clientId, metric, labels);
        }

        @Override
        public List<ClientSeries> findSeries(OptionalLong clientId, Optional<String> metric, List<LabelMatcher> matchers) {
            return storage.findSeries(clientId, metric, matchers);
        }

        @Override
        public List<String> metrics(OptionalLong clientId) {
            return storage.metrics(clientId);
        }

        @Override
        public List<String> labelValues(String metric, String labelName, OptionalLong clientId) {
            return storage.labelValues(metric, labelName, clientId);
        }

        @Override
        public StoreStats stats() {
            return storage.stats();
        }
    }

    @Test
    void statsAndHealthReportTheStoreAndAnOverloadedStoreAnswers503WithRetryAfter() throws Exception {
        Clock clock = Clock.systemUTC();
        String admin = Tokens.generate();
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("dcmon.db"))) {
            Switchable samples = new Switchable(storage);
            DcmonServices services = new DcmonServices(new ClientAuthenticator(admin, storage),
                    new RegistrationService(storage, new CaffeineNonceGuard(), clock), new IngestService(storage, samples, clock),
                    new QueryService(storage, samples), clock, false).withClients(storage).withCommands(storage.commands());
            try (DcmonServer server = DcmonServer.create("127.0.0.1", 0, services)) {
                server.start();
                DcmonClient client = DcmonClient.create(server.uri());
                RegisterResponse agent = client.register(TestApi.signed(io.dcmon.core.service.Keys.generateRsa(), "stats-agent"), admin);
                long t = Instant.now().toEpochMilli();
                client.push(agent.clientToken(), List.of(Sample.of(SeriesKey.of("a_total"), t - 60_000, 1L),
                        Sample.of(SeriesKey.of("a_total"), t, 2L), Sample.of(SeriesKey.of("b_ratio", "gpu", "0"), t, 0.5)));

                JsonNode stats = get(server.uri(), "/api/stats", admin);
                assertThat(stats.get("series").asLong()).isEqualTo(2);
                assertThat(stats.get("samples").asLong()).isEqualTo(3);
                assertThat(stats.get("database_bytes").asLong()).isPositive();
                assertThat(stats.get("oldest_sample").asLong()).isEqualTo((t - 60_000) / 1000);
                assertThat(stats.get("ingest_per_second").asDouble()).isPositive();
                assertThat(stats.get("write_queue_depth").asInt()).isZero();

                JsonNode health = get(server.uri(), "/health", admin);
                assertThat(health.get("status").asText()).isEqualTo("ok");
                assertThat(health.get("write_queue_depth").asInt()).isZero();
                assertThat(health.get("write_queue_capacity").asInt()).isEqualTo(storage.config().writeQueueCapacity());

                samples.overloaded = true;
                assertThatThrownBy(() -> client.push(agent.clientToken(), List.of(Sample.of(SeriesKey.of("a_total"), t + 1000, 3L))))
                        .isInstanceOfSatisfying(DcmonClientException.class, e -> {
                            assertThat(e.status()).isEqualTo(503);
                            assertThat(e.retryAfterSeconds()).isEqualTo(1);
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.serverError()).contains("write queue is full");
                        });
                samples.overloaded = false;
                assertThat(client.push(agent.clientToken(), List.of(Sample.of(SeriesKey.of("a_total"), t + 1000, 3L))).stored())
                        .isEqualTo(1);
                assertThat(get(server.uri(), "/api/stats", admin).get("samples").asLong()).isEqualTo(4);
            }
        }
    }

    private static JsonNode get(URI base, String path, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path.substring(1)))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return HardeningEndToEndTest.json(r.body());
    }
}
