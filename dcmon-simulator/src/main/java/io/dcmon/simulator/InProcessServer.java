package io.dcmon.simulator;

import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationService;
import io.dcmon.core.service.Tokens;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.storage.StorageConfig;
import io.dcmon.transport.auth.CaffeineNonceGuard;
import io.dcmon.transport.server.ApiOptions;
import io.dcmon.transport.server.DcmonServer;
import io.dcmon.transport.server.DcmonServices;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * A real dcmon server in this JVM on 127.0.0.1 and a free port, wired the way the server launcher wires it
 * (SQLite storage with its defaults, core services, the HTTP API with commands), its database in a directory the
 * caller owns. Its RSS and CPU are this JVM's, so they include the simulator: use {@link ProcessServer} for
 * clean server numbers.
 */
public final class InProcessServer implements ServerUnderTest {

    private final Path dbFile;
    private final SqliteStorage storage;
    private final DcmonServer server;
    private final String adminToken;
    private boolean closed;

    /**
     * Starts a server whose database lives in {@code dataDir}.
     *
     * @param dataDir         a writable directory (the database file {@code dcmon.db} is created there or reused)
     * @param seriesCacheSize series ids the storage caches, 0 for the storage's default
     */
    public static InProcessServer start(Path dataDir, long seriesCacheSize) throws Exception {
        Files.createDirectories(dataDir);
        Path db = dataDir.resolve("dcmon.db");
        // server defaults, except that compaction runs only when asked (compactNow), not on a background timer
        StorageConfig config = StorageConfig.of(db).withCompactAfter(Duration.ZERO).withMaintenanceInterval(Duration.ZERO);
        SqliteStorage storage = SqliteStorage.open(seriesCacheSize > 0 ? config.withSeriesCacheSize(seriesCacheSize) : config);
        Clock clock = Clock.systemUTC();
        try {
            String token = Tokens.generate();
            DcmonServices services = new DcmonServices(
                    new ClientAuthenticator(token, storage),
                    new RegistrationService(storage, new CaffeineNonceGuard(), clock),
                    new IngestService(storage, storage, clock),
                    new QueryService(storage, storage),
                    clock, true)
                    .withClients(storage)
                    .withCommands(storage.commands())
                    .withOptions(ApiOptions.defaults());
            DcmonServer server = DcmonServer.create("127.0.0.1", 0, services);
            server.start();
            return new InProcessServer(db, storage, server, token);
        } catch (Exception | Error e) {
            storage.close();
            throw e;
        }
    }

    private InProcessServer(Path dbFile, SqliteStorage storage, DcmonServer server, String token) {
        this.dbFile = dbFile;
        this.storage = storage;
        this.server = server;
        this.adminToken = token;
    }

    @Override
    public URI uri() {
        return server.uri();
    }

    @Override
    public String adminToken() {
        return adminToken;
    }

    @Override
    public OptionalLong rssBytes() {
        return ProcFs.rss(ProcessHandle.current().pid());
    }

    @Override
    public OptionalLong rssAnonBytes() {
        return ProcFs.rssAnon(ProcessHandle.current().pid());
    }

    @Override
    public OptionalLong peakRssBytes() {
        return ProcFs.peakRss(ProcessHandle.current().pid());
    }

    @Override
    public OptionalLong cpuNanos() {
        return ProcFs.cpuNanos(ProcessHandle.current().pid());
    }

    @Override
    public OptionalLong databaseBytes() {
        return ProcFs.sqliteBytes(dbFile);
    }

    /**
     * Compresses every stored sample into chunks now (what the server's background maintenance does to samples
     * older than two hours) and returns the database size afterwards, {@code page_count × page_size}.
     */
    public long compactNow() {
        storage.compact();
        return storage.databaseSizeBytes();
    }

    @Override
    public String kind() {
        return "in-process";
    }

    @Override
    public boolean sharesJvm() {
        return true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } finally {
            storage.close();
        }
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a leftover temp file is harmless and named in the report
                }
            });
        } catch (IOException e) {
            // same as above
        }
    }
}
