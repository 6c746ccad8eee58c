package io.dcmon.storage;

import io.dcmon.core.model.Command;
import io.dcmon.core.model.CommandOutcome;
import io.dcmon.core.model.CommandStatus;
import io.dcmon.core.port.CommandStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviour every {@link CommandStore} must show; an implementation's test extends it. */
public abstract class CommandStoreContract {

    private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

    @TempDir
    protected Path dir;
    protected StoreFixture fixture;
    protected CommandStore store;
    protected long client;

    /** A fresh, empty set of stores in {@code dir}. */
    protected abstract StoreFixture open(Path dir);

    @BeforeEach
    void openStore() {
        fixture = open(dir);
        store = fixture.commands();
        client = fixture.register("alpha");
    }

    @AfterEach
    void closeStore() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private Command fan(Instant now, Instant expires) {
        return store.enqueue(client, "fan_control", Map.of("mode", "full", "note", "a \"quoted\" value"), "admin", now, expires);
    }

    @Test
    void enqueuedCommandIsQueuedWithItsParams() {
        Command c = fan(T0, T0.plusSeconds(300));
        assertThat(c.status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(c.params()).containsEntry("mode", "full").containsEntry("note", "a \"quoted\" value");
        assertThat(c.createdBy()).isEqualTo("admin");
        assertThat(c.createdAt()).isEqualTo(T0);
        assertThat(c.expiresAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(c.deliveredAt()).isNull();
        assertThat(c.outcome()).isNull();
        assertThat(store.find(c.id())).contains(c);
    }

    @Test
    void takeQueuedDeliversOldestFirstAndOnlyOnce() {
        Command a = fan(T0, T0.plusSeconds(300));
        Command b = store.enqueue(client, "reboot", Map.of(), "admin", T0.plusSeconds(1), T0.plusSeconds(300));
        var taken = store.takeQueued(client, T0.plusSeconds(2));
        assertThat(taken).extracting(Command::id).containsExactly(a.id(), b.id());
        assertThat(taken).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(CommandStatus.DELIVERED);
            assertThat(c.deliveredAt()).isEqualTo(T0.plusSeconds(2));
        });
        assertThat(store.takeQueued(client, T0.plusSeconds(3))).isEmpty();
    }

    @Test
    void commandsOfOtherClientsAreNotTaken() {
        long other = fixture.register("beta");
        store.enqueue(other, "reboot", Map.of(), "admin", T0, T0.plusSeconds(60));
        assertThat(store.takeQueued(client, T0)).isEmpty();
        assertThat(store.takeQueued(other, T0)).hasSize(1);
    }

    @Test
    void expiredCommandIsNotDeliveredAndBecomesExpired() {
        Command late = fan(T0, T0.plusSeconds(10));
        Command onTime = fan(T0, T0.plusSeconds(100));
        assertThat(store.takeQueued(client, T0.plusSeconds(11))).extracting(Command::id).containsExactly(onTime.id());
        assertThat(store.find(late.id()).orElseThrow().status()).isEqualTo(CommandStatus.EXPIRED);
    }

    @Test
    void commandIsStillDeliveredAtExactlyItsExpiry() {
        Command c = fan(T0, T0.plusSeconds(10));
        assertThat(store.takeQueued(client, T0.plusSeconds(10))).extracting(Command::id).containsExactly(c.id());
    }

    @Test
    void finishRecordsTheOutcomeOfADeliveredCommand() {
        Command c = fan(T0, T0.plusSeconds(300));
        store.takeQueued(client, T0.plusSeconds(1));
        assertThat(store.finish(c.id(), client, new CommandOutcome(0, "mode set", ""), T0.plusSeconds(2))).isTrue();
        Command done = store.find(c.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(done.outcome()).isEqualTo(new CommandOutcome(0, "mode set", ""));
    }

    @Test
    void failedOutcomeMarksTheCommandFailed() {
        Command c = fan(T0, T0.plusSeconds(300));
        store.takeQueued(client, T0);
        store.finish(c.id(), client, new CommandOutcome(3, "", "ipmitool: rsp=0xc1"), T0.plusSeconds(1));
        assertThat(store.find(c.id()).orElseThrow().status()).isEqualTo(CommandStatus.FAILED);
        assertThat(store.find(c.id()).orElseThrow().outcome().error()).isEqualTo("ipmitool: rsp=0xc1");
    }

    @Test
    void finishIsRefusedForAnotherClientTwiceOrBeforeDelivery() {
        long other = fixture.register("beta");
        Command c = fan(T0, T0.plusSeconds(300));
        assertThat(store.finish(c.id(), client, new CommandOutcome(0, "", ""), T0)).as("not delivered yet").isFalse();
        store.takeQueued(client, T0);
        assertThat(store.finish(c.id(), other, new CommandOutcome(0, "", ""), T0)).as("another client").isFalse();
        assertThat(store.finish(c.id(), client, new CommandOutcome(0, "", ""), T0)).isTrue();
        assertThat(store.finish(c.id(), client, new CommandOutcome(1, "", ""), T0)).as("already finished").isFalse();
        assertThat(store.find(c.id()).orElseThrow().status()).isEqualTo(CommandStatus.SUCCEEDED);
    }

    @Test
    void listIsNewestFirstAndFilters() {
        long other = fixture.register("beta");
        Command a = fan(T0, T0.plusSeconds(300));
        Command b = store.enqueue(other, "reboot", Map.of(), "admin", T0, T0.plusSeconds(300));
        Command c = fan(T0, T0.plusSeconds(300));
        store.takeQueued(other, T0);
        assertThat(store.list(Optional.empty(), Optional.empty(), 10)).extracting(Command::id).containsExactly(c.id(), b.id(), a.id());
        assertThat(store.list(Optional.of(client), Optional.empty(), 10)).extracting(Command::id).containsExactly(c.id(), a.id());
        assertThat(store.list(Optional.empty(), Optional.of(CommandStatus.DELIVERED), 10)).extracting(Command::id).containsExactly(b.id());
        assertThat(store.list(Optional.empty(), Optional.empty(), 1)).extracting(Command::id).containsExactly(c.id());
        assertThat(store.find(9_999_999)).isEmpty();
    }

    @Test
    void enqueueForAnUnregisteredClientIsRefused() {
        assertThatThrownBy(() -> store.enqueue(777_777, "reboot", Map.of(), "admin", T0, T0.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("777777");
    }
}
