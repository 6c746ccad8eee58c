package io.dcmon.storage.postgres;

import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.CommandStore;
import io.dcmon.core.port.SampleStore;
import io.dcmon.storage.StoreFixture;

import java.nio.file.Path;

/** The contract kits' view of a {@link PostgresStorage} in a fresh schema of the real test server. */
final class PgFixture implements StoreFixture {

    final PostgresStorage storage;
    private final TestDatabase.Server server;
    private final String schema;

    private PgFixture(PostgresStorage storage, TestDatabase.Server server, String schema) {
        this.storage = storage;
        this.server = server;
        this.schema = schema;
    }

    static PgFixture in(Path dir) {
        TestDatabase.Server server = TestDatabase.require();
        String schema = TestDatabase.freshSchema("k");
        return new PgFixture(PostgresStorage.open(TestDatabase.config(server, dir, schema)), server, schema);
    }

    @Override
    public ClientStore clients() {
        return storage.clients();
    }

    @Override
    public SampleStore samples() {
        return storage.samples();
    }

    @Override
    public CommandStore commands() {
        return storage.commands();
    }

    @Override
    public void close() {
        storage.close();
        TestDatabase.drop(server, schema);
    }
}
