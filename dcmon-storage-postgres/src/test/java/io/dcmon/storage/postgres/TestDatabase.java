package io.dcmon.storage.postgres;

import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real PostgreSQL server the tests run against: {@code DCMON_PG_URL}, {@code DCMON_PG_USER} and
 * {@code DCMON_PG_PASSWORD}, which {@code .ci/run} exports after starting a throwaway server on 127.0.0.1.
 * Without them a test is skipped with the reason, except under {@code CI=true}, where it fails: CI must
 * never pass by skipping the PostgreSQL store. Every store gets a fresh schema, dropped when it closes.
 */
final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);

    private TestDatabase() {
    }

    /** JDBC URL, user, password of the server. */
    record Server(String url, String user, String password) {
    }

    /** The server from the environment, or a skip (locally) / failure (CI) naming what is missing. */
    static Server require() {
        String url = System.getenv("DCMON_PG_URL");
        String user = System.getenv("DCMON_PG_USER");
        String password = System.getenv("DCMON_PG_PASSWORD");
        if (url == null || url.isBlank() || user == null || user.isBlank()) {
            String why = "no PostgreSQL server to test against: DCMON_PG_URL and DCMON_PG_USER (and DCMON_PG_PASSWORD) are not set; "
                    + "run .ci/run, or start a throwaway server as it does and export them";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " (CI=true: the PostgreSQL tests must run in CI)");
            }
            throw new TestAbortedException(why);
        }
        return new Server(url, user, password == null ? "" : password);
    }

    /** A new, unused schema name. */
    static String freshSchema(String prefix) {
        return String.format(Locale.ROOT, "t_%s_%s_%d", prefix, RUN, COUNTER.incrementAndGet());
    }

    /** A config for a fresh schema; the password goes through a file in {@code dir}, as in production. */
    static PostgresConfig config(Server server, Path dir, String schema) {
        Path pw = dir.resolve("pg-" + schema + ".password");
        try {
            Files.writeString(pw, server.password() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PostgresConfig.of(server.url(), server.user(), pw).withSchema(schema).withPoolSize(4)
                .withMaintenanceInterval(java.time.Duration.ZERO);
    }

    /** A plain connection (for checks behind the store's back and for dropping schemas). */
    static Connection connect(Server server) throws SQLException {
        return DriverManager.getConnection(server.url(), server.user(), server.password());
    }

    /** Drops a test schema with everything in it. */
    static void drop(Server server, String schema) {
        try (Connection c = connect(server); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema + ": " + e.getMessage(), e);
        }
    }
}
