package io.dcmon.storage;

import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.CommandStore;
import io.dcmon.core.port.SampleStore;

import java.nio.file.Path;

/** The contract kits' view of a {@link SqliteStorage} on a real file. */
final class SqliteFixture implements StoreFixture {

    final SqliteStorage storage;

    SqliteFixture(SqliteStorage storage) {
        this.storage = storage;
    }

    static SqliteFixture in(Path dir) {
        return new SqliteFixture(SqliteStorage.open(dir.resolve("dcmon.db")));
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
    }
}
