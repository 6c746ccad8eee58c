package io.dcmon.storage;

import java.nio.file.Path;

/** {@link SqliteStorage} against the command store contract. */
class SqliteCommandStoreTest extends CommandStoreContract {
    @Override
    protected StoreFixture open(Path dir) {
        return SqliteFixture.in(dir);
    }
}
