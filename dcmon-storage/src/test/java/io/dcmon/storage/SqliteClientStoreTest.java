package io.dcmon.storage;

import java.nio.file.Path;

/** {@link SqliteStorage} against the client store contract. */
class SqliteClientStoreTest extends ClientStoreContract {
    @Override
    protected StoreFixture open(Path dir) {
        return SqliteFixture.in(dir);
    }
}
