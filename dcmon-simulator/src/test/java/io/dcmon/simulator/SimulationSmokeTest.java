package io.dcmon.simulator;

import io.dcmon.core.port.SampleQuery;
import io.dcmon.storage.SqliteStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny fleet (2 agents, 5 seconds) against a real in-process server: the simulator's plumbing works end to
 * end. Not a load test: nothing here is timed.
 */
class SimulationSmokeTest {

    @TempDir
    Path dir;

    @Test
    void tinyFleetRegistersPushesAndReceivesCommandsWithoutErrors() throws Exception {
        SimulationConfig cfg = new SimulationConfig(2, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1), 4,
                2, Duration.ofMillis(500), 7, dir.resolve("keys.pem"), true, Duration.ofMinutes(2), 0, 1);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Report report;
        try (InProcessServer server = InProcessServer.start(dir.resolve("data"), 0)) {
            report = Simulation.run(server, cfg, new PrintStream(progress, true, StandardCharsets.UTF_8));
        }

        assertThat(report.errors()).as("errors, examples %s", report.errorExamples()).isEmpty();
        assertThat(report.setup().agents()).isEqualTo(2);
        assertThat(report.setup().seriesPerAgent()).isBetween(240, 270);
        assertThat(report.throughput().pushes()).isPositive();
        assertThat(report.throughput().samplesStored()).isEqualTo(report.throughput().samplesSent());
        assertThat(report.throughput().samplesStoredTotal()).isGreaterThan(report.throughput().samplesStored());
        assertThat(report.latency().p99Ms()).isPositive();
        assertThat(report.server().databaseBytes()).isPositive();
        assertThat(report.server().compactedDatabaseBytes()).isPositive();
        assertThat(report.commands()).isNotNull();
        assertThat(report.commands().delivered()).isEqualTo(report.commands().queued()).isPositive();
        assertThat(report.commands().resultsReported()).isEqualTo(report.commands().delivered());
        assertThat(report.table()).contains("errors             none").contains("2 agents x");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("registered 2 of 2 agents");

        // what the agents pushed really is in the database, with the shapes the model promises
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("data").resolve("dcmon.db"))) {
            var temps = storage.query(new SampleQuery(OptionalLong.empty(), "nvidia_gpu_temperature_celsius", Map.of("gpu", "0"),
                    0, Long.MAX_VALUE, 10_000));
            assertThat(temps).hasSize(2);
            assertThat(temps.get(0).points()).hasSizeGreaterThan(2)
                    .allSatisfy(p -> assertThat(p.value()).isInstanceOf(Long.class));
        }

        Path json = dir.resolve("report.json");
        report.writeJson(json);
        assertThat(Files.readString(json)).contains("\"samples_stored\"").contains("\"p99_ms\"");
        // the second run reuses the cached keys
        assertThat(Files.readString(dir.resolve("keys.pem"))).contains("BEGIN PRIVATE KEY");
    }
}
