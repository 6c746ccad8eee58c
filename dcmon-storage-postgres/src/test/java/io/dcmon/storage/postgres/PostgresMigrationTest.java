package io.dcmon.storage.postgres;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.Command;
import io.dcmon.core.model.CommandOutcome;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.storage.StorageConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A populated SQLite database (hot rows and compressed chunks, revoked clients, commands in every state) is
 * copied into PostgreSQL, and every read answers the same from both.
 */
class PostgresMigrationTest {

    static final long T0 = SqliteEquivalenceTest.T0;

    @TempDir
    Path dir;
    PostgresStorage pg;
    TestDatabase.Server server;
    String schema;

    @BeforeEach
    void open() {
        server = TestDatabase.require();
        schema = TestDatabase.freshSchema("mig");
        pg = PostgresStorage.open(TestDatabase.config(server, dir, schema));
    }

    @AfterEach
    void close() {
        if (pg != null) {
            pg.close();
            TestDatabase.drop(server, schema);
        }
    }

    @Test
    void migratedDatabaseAnswersEveryQueryAlike() {
        Path file = dir.resolve("dcmon.db");
        // a clock well after the workload, so compaction moves most samples into chunks
        Clock later = Clock.fixed(Instant.ofEpochMilli(T0 + 40 * 300_000L), ZoneOffset.UTC);
        List<Long> clients;
        long revoked;
        try (SqliteStorage sqlite = SqliteStorage.open(StorageConfig.of(file).withClock(later).withCompactAfter(Duration.ofHours(1))
                .withMaintenanceInterval(Duration.ZERO))) {
            clients = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(sqlite.upsert("host-" + i, "m-" + i, "PEM-" + i, "fp-" + i, Map.of("gpus", "8", "n", "x\"y"),
                        "th-" + i, Instant.ofEpochMilli(T0)).id());
            }
            int i = 0;
            for (List<Sample> batch : SqliteEquivalenceTest.workload(7)) {
                sqlite.append(clients.get(i++ % 2), batch);
            }
            assertThat(sqlite.compact()).as("samples moved into chunks").isPositive();
            sqlite.append(clients.get(0), List.of(Sample.of(SeriesKey.of("late_sample"), T0 + 5, 1L))); // a row below the chunks
            // a year-long gap: the copy jumps over it instead of querying ~11 000 empty windows
            sqlite.append(clients.get(1), List.of(Sample.of(SeriesKey.of("late_sample"), T0 + 365L * 86_400_000, 2L)));
            sqlite.touch(clients.get(1), Instant.ofEpochMilli(T0 + 99_000));
            revoked = clients.get(2);
            sqlite.revoke(revoked);
            Command done = sqlite.commands().enqueue(clients.get(0), "fan_control", Map.of("mode", "full"), "admin",
                    Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 60_000));
            sqlite.commands().enqueue(clients.get(1), "reboot", Map.of(), "admin", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 60_000));
            sqlite.commands().takeQueued(clients.get(0), Instant.ofEpochMilli(T0 + 1));
            sqlite.commands().finish(done.id(), clients.get(0), new CommandOutcome(0, "ok", ""), Instant.ofEpochMilli(T0 + 2));
        }

        PostgresMigration.Result result = PostgresMigration.copy(file, pg, Duration.ofMinutes(45));
        assertThat(result.clients()).isEqualTo(3);
        assertThat(result.commands()).isEqualTo(2);
        assertThat(result.series()).as("9 series of each of two clients, plus the late ones").isEqualTo(20);

        try (SqliteStorage sqlite = SqliteStorage.open(StorageConfig.of(file).withMaintenanceInterval(Duration.ZERO))) {
            long stored = 0;
            for (String metric : sqlite.metrics(OptionalLong.empty())) {
                stored += sqlite.query(new SampleQuery(OptionalLong.empty(), metric, Map.of(), 0, Long.MAX_VALUE, Integer.MAX_VALUE))
                        .stream().mapToLong(d -> d.points().size()).sum();
            }
            assertThat(result.samples()).as("every sample of the SQLite file").isEqualTo(stored).isGreaterThanOrEqualTo(3600);
            SqliteEquivalenceTest.assertSameAnswers(sqlite, pg, clients.subList(0, 2));
            SameAnswers.assertSame("late sample", sqlite.latest(OptionalLong.empty(), Optional.of("late_sample"), Map.of()),
                    pg.latest(OptionalLong.empty(), Optional.of("late_sample"), Map.of()));
            assertThat(pg.list()).isEqualTo(sqlite.list()).extracting(Client::id).doesNotContain(revoked);
            assertThat(pg.find(clients.get(1))).isEqualTo(sqlite.find(clients.get(1)));
            assertThat(pg.findByTokenHash("th-0")).isEqualTo(sqlite.findByTokenHash("th-0")).isPresent();
            assertThat(pg.commands().list(Optional.empty(), Optional.empty(), 10))
                    .isEqualTo(sqlite.commands().list(Optional.empty(), Optional.empty(), 10)).hasSize(2);
        }
        // the key and token hash came along: the revoked client registers again under its old id,
        // and new rows get ids above the copied ones
        assertThat(pg.upsert("host-2", "m-2", "PEM-2", "fp-2", Map.of(), "th-new", Instant.ofEpochMilli(T0)).id()).isEqualTo(revoked);
        assertThat(pg.upsert("host-9", "m-9", "PEM-9", "fp-9", Map.of(), "th-9", Instant.ofEpochMilli(T0)).id()).isGreaterThan(revoked);
        assertThat(pg.commands().enqueue(clients.get(0), "reboot", Map.of(), "admin", Instant.ofEpochMilli(T0),
                Instant.ofEpochMilli(T0 + 1)).id()).isGreaterThan(2);
    }

    @Test
    void refusesATargetThatAlreadyHoldsClientsAndAMissingFile() {
        pg.upsert("a", "", "PEM", "fp-a", Map.of(), "th-a", Instant.ofEpochMilli(T0));
        Path file = dir.resolve("empty.db");
        try (SqliteStorage sqlite = SqliteStorage.open(file)) {
            assertThat(sqlite.list()).isEmpty();
        }
        assertThatThrownBy(() -> PostgresMigration.copy(file, pg, Duration.ofHours(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already holds 1 clients");
        assertThatThrownBy(() -> PostgresMigration.copy(dir.resolve("nope.db"), pg, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope.db");
    }
}
