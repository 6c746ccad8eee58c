package io.dcmon.storage.postgres;

import io.dcmon.storage.ClientStoreContract;
import io.dcmon.storage.StoreFixture;

import java.nio.file.Path;

/** {@link PostgresStorage} against the client store contract of dcmon-storage, on a real PostgreSQL server. */
class PgClientStoreTest extends ClientStoreContract {
    @Override
    protected StoreFixture open(Path dir) {
        return PgFixture.in(dir);
    }
}
