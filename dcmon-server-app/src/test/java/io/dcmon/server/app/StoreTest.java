package io.dcmon.server.app;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.core.port.SampleQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/** The launcher opens the store its configuration names, SQLite or PostgreSQL, behind the same ports. */
class StoreTest {

    @TempDir
    Path tmp;

    static void roundTrip(ServerLauncher.Store store) {
        var client = store.clients().upsert("store-test-" + System.nanoTime(), "", "pem", "fp-" + System.nanoTime(), Map.of(),
                "hash-" + System.nanoTime(), Instant.now());
        long t = System.currentTimeMillis();
        assertThat(store.samples().append(client.id(), List.of(Sample.of(SeriesKey.of("store_test"), t, 42L)))).isEqualTo(1);
        assertThat(store.samples().query(SampleQuery.of(client.id(), "store_test", t - 1, t + 1)).get(0).points().get(0).value())
                .isEqualTo(42L);
    }

    @Test
    void sqliteIsTheDefault() throws Exception {
        try (ServerLauncher.Store store = ServerLauncher.Store.open(ServerConfig.dev(tmp))) {
            assertThat(store.owner()).isInstanceOf(io.dcmon.storage.SqliteStorage.class);
            roundTrip(store);
        }
        assertThat(tmp.resolve("dcmon.db")).exists();
    }

    @Test
    void postgresWhenConfigured() throws Exception {
        String url = System.getenv("DCMON_PG_URL");
        if (url == null) {
            assertThat(System.getenv("CI")).as("CI must provide PostgreSQL (DCMON_PG_URL; .ci/run starts one)").isNotEqualTo("true");
            abort("no PostgreSQL: set DCMON_PG_URL, DCMON_PG_USER, DCMON_PG_PASSWORD (as .ci/run does)");
        }
        Path pw = tmp.resolve("pg.pass");
        Files.writeString(pw, System.getenv("DCMON_PG_PASSWORD") == null ? "" : System.getenv("DCMON_PG_PASSWORD"));
        ServerConfig dev = ServerConfig.dev(tmp);
        ServerConfig pg = new ServerConfig(dev.host(), dev.port(), dev.authDir(), dev.dbPath(), true, false, 7, 3600, "info",
                null, null, new ServerConfig.Postgres(url, System.getenv("DCMON_PG_USER"), pw));
        try (ServerLauncher.Store store = ServerLauncher.Store.open(pg)) {
            assertThat(store.owner()).isInstanceOf(io.dcmon.storage.postgres.PostgresStorage.class);
            roundTrip(store);
        }
    }
}
