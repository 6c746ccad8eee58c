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
    void storageTuningKeysReachTheSqliteStore() throws Exception {
        Path file = tmp.resolve("tuning.yaml");
        Files.writeString(file, "write_queue_capacity: 64\nseries_cache_size: 5000\nsqlite_cache_mib: 8\nsqlite_mmap_mib: 16\n");
        ServerConfig c = ConfigLoader.load(file, ServerConfig.dev(tmp));
        try (ServerLauncher.Store store = ServerLauncher.Store.open(c)) {
            io.dcmon.storage.StorageConfig s = ((io.dcmon.storage.SqliteStorage) store.owner()).config();
            assertThat(s.writeQueueCapacity()).isEqualTo(64);
            assertThat(s.seriesCacheSize()).isEqualTo(5000);
            assertThat(s.writerCacheKib()).isEqualTo(8 * 1024);
            assertThat(s.readerCacheKib()).isEqualTo(2 * 1024);
            assertThat(s.mmapBytes()).isEqualTo(16L << 20);
        }
        ServerConfig.StorageTuning d = ServerConfig.dev(tmp).storageTuning();
        assertThat(d).isEqualTo(ServerConfig.StorageTuning.defaults());
        assertThat(d.sqliteMmapMib()).as("mapped pages count in the RSS once per connection").isZero();
        Files.writeString(file, "write_queue_capacity: 0\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(file, ServerConfig.dev(tmp)))
                .hasMessageContaining("write_queue_capacity was 0 but it must be at least 1");
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
