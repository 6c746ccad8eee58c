package io.dcmon.storage.postgres;

import io.dcmon.storage.CommandStoreContract;
import io.dcmon.storage.StoreFixture;

import java.nio.file.Path;

/** {@link PostgresStorage} against the command store contract of dcmon-storage, on a real PostgreSQL server. */
class PgCommandStoreTest extends CommandStoreContract {
    @Override
    protected StoreFixture open(Path dir) {
        return PgFixture.in(dir);
    }
}
