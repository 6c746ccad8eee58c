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
        assertThat(store.findCommand(c.id())).contains(c);
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
        assertThat(store.findCommand(late.id()).orElseThrow().status()).isEqualTo(CommandStatus.EXPIRED);
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
        Command done = store.findCommand(c.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(done.outcome()).isEqualTo(new CommandOutcome(0, "mode set", ""));
    }

    @Test
    void failedOutcomeMarksTheCommandFailed() {
        Command c = fan(T0, T0.plusSeconds(300));
        store.takeQueued(client, T0);
        store.finish(c.id(), client, new CommandOutcome(3, "", "ipmitool: rsp=0xc1"), T0.plusSeconds(1));
        assertThat(store.findCommand(c.id()).orElseThrow().status()).isEqualTo(CommandStatus.FAILED);
        assertThat(store.findCommand(c.id()).orElseThrow().outcome().error()).isEqualTo("ipmitool: rsp=0xc1");
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
        assertThat(store.findCommand(c.id()).orElseThrow().status()).isEqualTo(CommandStatus.SUCCEEDED);
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
        assertThat(store.findCommand(9_999_999)).isEmpty();
    }

    @Test
    void expireMarksOverdueQueuedAndDeliveredCommandsAndReturnsThem() {
        long other = fixture.register("beta");
        Command queued = fan(T0, T0.plusSeconds(10));
        Command delivered = store.enqueue(client, "reboot", Map.of(), "admin", T0, T0.plusSeconds(20));
        Command fresh = fan(T0, T0.plusSeconds(100));
        Command othersOverdue = store.enqueue(other, "reboot", Map.of(), "admin", T0, T0.plusSeconds(5));
        Command done = store.enqueue(client, "reboot", Map.of(), "admin", T0, T0.plusSeconds(5));
        store.takeQueued(client, T0.plusSeconds(1));
        store.finish(done.id(), client, new CommandOutcome(0, "", ""), T0.plusSeconds(2));

        var mine = store.expire(Optional.of(client), T0.plusSeconds(21));
        assertThat(mine).extracting(Command::id).containsExactly(queued.id(), delivered.id());
        assertThat(mine).allSatisfy(c -> assertThat(c.status()).isEqualTo(CommandStatus.EXPIRED));
        assertThat(store.findCommand(othersOverdue.id()).orElseThrow().status()).as("another client's").isEqualTo(CommandStatus.QUEUED);
        assertThat(store.findCommand(fresh.id()).orElseThrow().status()).isEqualTo(CommandStatus.DELIVERED);
        assertThat(store.findCommand(done.id()).orElseThrow().status()).as("finished stays finished").isEqualTo(CommandStatus.SUCCEEDED);

        assertThat(store.expire(Optional.empty(), T0.plusSeconds(21))).extracting(Command::id).containsExactly(othersOverdue.id());
        assertThat(store.expire(Optional.empty(), T0.plusSeconds(21))).as("each command expires once").isEmpty();
    }

    @Test
    void aDeliveredCommandThatExpiredStillTakesItsResultOnce() {
        Command c = fan(T0, T0.plusSeconds(10));
        store.takeQueued(client, T0);
        store.expire(Optional.empty(), T0.plusSeconds(11));
        assertThat(store.finish(c.id(), client, new CommandOutcome(0, "ran late", ""), T0.plusSeconds(12))).isTrue();
        assertThat(store.findCommand(c.id()).orElseThrow().status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(store.finish(c.id(), client, new CommandOutcome(1, "", ""), T0.plusSeconds(13))).isFalse();

        Command never = fan(T0, T0.plusSeconds(10));
        store.expire(Optional.empty(), T0.plusSeconds(11));
        assertThat(store.finish(never.id(), client, new CommandOutcome(0, "", ""), T0.plusSeconds(12)))
                .as("expired before delivery: no agent ran it").isFalse();
    }

    @Test
    void requeueOffersUnansweredDeliveriesAgainOnlyAfterTheCutoff() {
        long other = fixture.register("beta");
        Command early = fan(T0, T0.plusSeconds(300));
        store.takeQueued(client, T0);
        Command late = fan(T0.plusSeconds(50), T0.plusSeconds(300));
        store.takeQueued(client, T0.plusSeconds(50));
        Command answered = fan(T0, T0.plusSeconds(300));
        store.takeQueued(client, T0.plusSeconds(1));
        store.finish(answered.id(), client, new CommandOutcome(0, "", ""), T0.plusSeconds(2));
        Command others = store.enqueue(other, "reboot", Map.of(), "admin", T0, T0.plusSeconds(300));
        store.takeQueued(other, T0);

        var again = store.requeue(client, T0.plusSeconds(30));
        assertThat(again).extracting(Command::id).containsExactly(early.id());
        assertThat(again.get(0).status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(again.get(0).deliveredAt()).isNull();
        assertThat(store.findCommand(late.id()).orElseThrow().status()).as("delivered after the cutoff").isEqualTo(CommandStatus.DELIVERED);
        assertThat(store.findCommand(others.id()).orElseThrow().status()).isEqualTo(CommandStatus.DELIVERED);

        var retaken = store.takeQueued(client, T0.plusSeconds(60));
        assertThat(retaken).extracting(Command::id).containsExactly(early.id());
        assertThat(retaken.get(0).deliveredAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.requeue(client, T0.plusSeconds(30))).as("just delivered again").isEmpty();
        assertThat(store.finish(early.id(), client, new CommandOutcome(0, "ok", ""), T0.plusSeconds(61))).isTrue();
    }

    @Test
    void enqueueForAnUnregisteredClientIsRefused() {
        assertThatThrownBy(() -> store.enqueue(777_777, "reboot", Map.of(), "admin", T0, T0.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("777777");
    }
}
