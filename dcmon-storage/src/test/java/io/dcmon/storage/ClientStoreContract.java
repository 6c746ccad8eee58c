package io.dcmon.storage;

import io.dcmon.core.model.Client;
import io.dcmon.core.port.ClientStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Behaviour every {@link ClientStore} must show; an implementation's test extends it. */
public abstract class ClientStoreContract {

    private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);
    private static final String PEM = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n";

    @TempDir
    protected Path dir;
    protected StoreFixture fixture;
    protected ClientStore store;

    /** A fresh, empty set of stores in {@code dir}. */
    protected abstract StoreFixture open(Path dir);

    @BeforeEach
    void openStore() {
        fixture = open(dir);
        store = fixture.clients();
    }

    @AfterEach
    void closeStore() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private Client register(String host, String fingerprint, String tokenHash, Instant now) {
        return store.upsert(host, "mid-" + host, PEM, fingerprint, Map.of("gpus", "8", "board", "X12 \"DPG\""), tokenHash, now);
    }

    @Test
    void upsertRegistersAndTheTokenHashFindsTheClient() {
        Client c = register("gpu-01", "fp1", "h1", T0);
        assertThat(c.hostname()).isEqualTo("gpu-01");
        assertThat(c.machineId()).isEqualTo("mid-gpu-01");
        assertThat(c.keyFingerprint()).isEqualTo("fp1");
        assertThat(c.hardware()).containsEntry("board", "X12 \"DPG\"").containsEntry("gpus", "8");
        assertThat(c.registeredAt()).isEqualTo(T0);
        assertThat(c.lastSeen()).isNull();
        assertThat(store.findByTokenHash("h1")).contains(c);
        assertThat(store.find(c.id())).contains(c);
        assertThat(store.findByTokenHash("nope")).isEmpty();
    }

    @Test
    void reRegisteringTheSameKeyKeepsTheIdAndReplacesTheTokenHash() {
        Client first = register("gpu-01", "fp1", "old-hash", T0);
        Client again = store.upsert("gpu-01-renamed", "mid-2", PEM, "fp1", Map.of("gpus", "4"), "new-hash", T0.plusSeconds(60));
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.hostname()).isEqualTo("gpu-01-renamed");
        assertThat(again.machineId()).isEqualTo("mid-2");
        assertThat(again.hardware()).isEqualTo(Map.of("gpus", "4"));
        assertThat(again.registeredAt()).as("first registration is kept").isEqualTo(T0);
        assertThat(store.findByTokenHash("old-hash")).isEmpty();
        assertThat(store.findByTokenHash("new-hash")).map(Client::id).contains(first.id());
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void differentKeysAreDifferentClientsListedById() {
        Client a = register("a", "fp-a", "ha", T0);
        Client b = register("b", "fp-b", "hb", T0);
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(store.list()).extracting(Client::id).containsExactly(Math.min(a.id(), b.id()), Math.max(a.id(), b.id()));
    }

    @Test
    void revokedClientIsNoLongerFoundByTokenOrIdOrListed() {
        Client a = register("a", "fp-a", "ha", T0);
        Client b = register("b", "fp-b", "hb", T0);
        assertThat(store.revoke(a.id())).isTrue();
        assertThat(store.findByTokenHash("ha")).isEmpty();
        assertThat(store.find(a.id())).isEmpty();
        assertThat(store.list()).extracting(Client::id).containsExactly(b.id());
        assertThat(store.revoke(a.id())).as("revoking again still names an existing client").isTrue();
    }

    @Test
    void revokingAnUnknownClientReturnsFalse() {
        assertThat(store.revoke(424242)).isFalse();
    }

    @Test
    void reRegisteringARevokedKeyEnablesItAgainWithTheSameId() {
        Client a = register("a", "fp-a", "ha", T0);
        store.revoke(a.id());
        Client again = register("a", "fp-a", "ha2", T0.plusSeconds(5));
        assertThat(again.id()).isEqualTo(a.id());
        assertThat(store.findByTokenHash("ha2")).isPresent();
    }

    @Test
    void touchRecordsLastSeenAndNeverMovesItBackwards() {
        Client a = register("a", "fp-a", "ha", T0);
        store.touch(a.id(), T0.plusSeconds(30));
        assertThat(store.find(a.id()).orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(30));
        store.touch(a.id(), T0.plusSeconds(10));
        assertThat(store.find(a.id()).orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(30));
        store.touch(a.id(), T0.plusSeconds(90));
        assertThat(store.findByTokenHash("ha").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(90));
    }
}
