package io.dcmon.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code --storage postgres}: the run's own database on a real PostgreSQL ({@code DCMON_PG_URL}, {@code DCMON_PG_USER},
 * {@code DCMON_PG_PASSWORD}, as {@code .ci/run} exports them; skipped with the reason locally without them, failed
 * under {@code CI=true}).
 */
class PostgresTargetTest {

    @TempDir
    Path dir;

    @Test
    void theServerUrlNamesTheRunsDatabaseAndKeepsTheParameters() {
        assertThat(PostgresTarget.urlFor("jdbc:postgresql://127.0.0.1:5432/postgres", "dcmon_sim_1"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/dcmon_sim_1");
        assertThat(PostgresTarget.urlFor("jdbc:postgresql://127.0.0.1:5432/postgres?sslmode=disable", "x"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/x?sslmode=disable");
        assertThat(PostgresTarget.urlFor("jdbc:postgresql://127.0.0.1:5432", "x")).isEqualTo("jdbc:postgresql://127.0.0.1:5432/x");
    }

    @Test
    void onlyAPostgresOnThisMachineIsUsed() {
        assertThatThrownBy(() -> PostgresTarget.open("jdbc:postgresql://10.1.2.3:5432/postgres", "u", null, true, false))
                .hasMessageContaining("only talks to 127.0.0.1");
        assertThatThrownBy(() -> PostgresTarget.open("jdbc:mysql://127.0.0.1/x", "u", null, true, false))
                .hasMessageContaining("must be jdbc:postgresql://");
    }

    @Test
    void aFreshDatabaseIsCreatedMeasuredAndDroppedAfterTheRun() throws Exception {
        String url = System.getenv("DCMON_PG_URL");
        String user = System.getenv("DCMON_PG_USER");
        String password = System.getenv("DCMON_PG_PASSWORD");
        if (url == null || url.isBlank() || user == null || user.isBlank()) {
            String why = "no PostgreSQL server to test against: DCMON_PG_URL and DCMON_PG_USER (and DCMON_PG_PASSWORD) are not set";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (CI=true: the PostgreSQL tests must run in CI)");
            }
            throw new TestAbortedException(why);
        }
        Path pw = dir.resolve("pw");
        Files.writeString(pw, (password == null ? "" : password) + "\n");
        String name;
        try (PostgresTarget pg = PostgresTarget.open(url, user, pw, true, false)) {
            name = pg.database();
            assertThat(name).startsWith("dcmon_sim_");
            assertThat(pg.serverConfigYaml()).contains("storage: postgres").contains(pg.serverUrl()).contains(pw.toAbsolutePath().toString());
            try (Connection c = DriverManager.getConnection(pg.serverUrl(), user, password);
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t AS SELECT g AS v FROM generate_series(1, 20000) g");
                assertThat(pg.databaseBytes().getAsLong()).isGreaterThan(500_000);
                Map<Long, Long> cpu = pg.backendCpuNanos();
                assertThat(cpu).hasSize(1); // this connection, not the target's own
                assertThat(PostgresTarget.cpuBetween(Map.of(), cpu)).isEqualTo(cpu.values().iterator().next());
            }
        }
        try (Connection c = DriverManager.getConnection(url, user, password);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getInt(1)).as("the run's database is dropped at the end").isZero();
            }
        }
    }
}
