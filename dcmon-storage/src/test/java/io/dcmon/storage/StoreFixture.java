package io.dcmon.storage;

import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.CommandStore;
import io.dcmon.core.port.SampleStore;
import io.dcmon.core.port.StoreMonitor;

import java.time.Instant;
import java.util.Map;

/**
 * The stores under test, as one implementation provides them. Contract kits get a fresh, empty one per test.
 */
public interface StoreFixture extends AutoCloseable {

    /** The client port. */
    ClientStore clients();

    /** The sample port. */
    SampleStore samples();

    /** The command port. */
    CommandStore commands();

    /** The statistics port; by default the sample store itself, which dcmon's stores all implement it on. */
    default StoreMonitor monitor() {
        return (StoreMonitor) samples();
    }

    /** Releases the stores. */
    @Override
    void close();

    /** Registers a client with a key fingerprint derived from {@code name}; returns its id. */
    default long register(String name) {
        return clients().upsert(name, "machine-" + name, "-----BEGIN PUBLIC KEY-----\n" + name + "\n-----END PUBLIC KEY-----\n",
                "fp-" + name, Map.of("cpu", "test"), "hash-" + name, Instant.ofEpochMilli(1_700_000_000_000L)).id();
    }
}
