package io.dcmon.storage.postgres;

import io.dcmon.storage.SampleStoreContract;
import io.dcmon.storage.StoreFixture;

import java.nio.file.Path;

/** {@link PostgresStorage} against the sample store contract of dcmon-storage, on a real PostgreSQL server. */
class PgSampleStoreTest extends SampleStoreContract {
    @Override
    protected StoreFixture open(Path dir) {
        return PgFixture.in(dir);
    }
}
