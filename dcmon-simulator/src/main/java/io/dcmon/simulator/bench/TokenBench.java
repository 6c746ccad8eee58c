package io.dcmon.simulator.bench;

import io.dcmon.core.model.Client;
import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.Keys;
import io.dcmon.core.service.Tokens;
import io.dcmon.storage.SqliteStorage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Token checks on every request: the admin comparison, hashing a client token (the cache key), and resolving a
 * client token in SQLite (what a cache miss costs; the server caches resolved tokens for 30 s).
 * Run: {@code java -cp dcmon-simulator/target/dcmon-simulator.jar org.openjdk.jmh.Main TokenBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenBench {

    private Path dir;
    private SqliteStorage storage;
    private ClientAuthenticator auth;
    private final String admin = Tokens.generate();
    private final String clientToken = Tokens.generate();
    private final String otherToken = Tokens.generate();

    /** One registered client in a fresh SQLite database. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("dcmon-bench-");
        storage = SqliteStorage.open(dir.resolve("dcmon.db"));
        KeyPair k = Keys.generateRsa();
        storage.upsert("bench-host", "m1", Keys.toPem(k.getPublic()), Keys.fingerprint(k.getPublic()), Map.of(),
                Tokens.hash(clientToken), Instant.now());
        auth = new ClientAuthenticator(admin, storage);
    }

    /** Removes the database. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        storage.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Constant-time comparison with the admin token (a client token: the comparison runs to the end). */
    @Benchmark
    public boolean adminCheck() {
        return auth.isAdmin(otherToken);
    }

    /** SHA-256 of a client token. */
    @Benchmark
    public String tokenHash() {
        return Tokens.hash(clientToken);
    }

    /** Hash + SQLite lookup of a client token: the uncached path. */
    @Benchmark
    public Optional<Client> clientLookupUncached() {
        return auth.client(clientToken);
    }
}
