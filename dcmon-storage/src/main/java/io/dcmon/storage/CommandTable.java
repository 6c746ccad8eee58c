package io.dcmon.storage;

import io.dcmon.core.model.Command;
import io.dcmon.core.model.CommandOutcome;
import io.dcmon.core.model.CommandStatus;
import io.dcmon.storage.internal.gen.tables.records.CommandsRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.dcmon.storage.internal.gen.Tables.CLIENTS;
import static io.dcmon.storage.internal.gen.Tables.COMMANDS;

/** The commands table. Writes run inside the writer's transaction; reads on a pooled connection. */
final class CommandTable {

    private CommandTable() {
    }

    static Command enqueue(DSLContext tx, long clientId, String type, Map<String, String> params, String createdBy,
                           Instant now, Instant expiresAt) {
        if (!tx.fetchExists(CLIENTS, CLIENTS.ID.eq(clientId))) {
            throw new IllegalArgumentException("client " + clientId + " is not registered; cannot queue '" + type + "' for it");
        }
        return toCommand(tx.insertInto(COMMANDS)
                .set(COMMANDS.CLIENT_ID, clientId)
                .set(COMMANDS.TYPE, type)
                .set(COMMANDS.PARAMS, FlatJson.write(params == null ? Map.of() : params))
                .set(COMMANDS.STATUS, CommandStatus.QUEUED.name())
                .set(COMMANDS.CREATED_BY, createdBy)
                .set(COMMANDS.CREATED_AT, now.toEpochMilli())
                .set(COMMANDS.EXPIRES_AT, expiresAt.toEpochMilli())
                .returning()
                .fetchOne());
    }

    static List<Command> takeQueued(DSLContext tx, long clientId, Instant now) {
        long ms = now.toEpochMilli();
        tx.update(COMMANDS).set(COMMANDS.STATUS, CommandStatus.EXPIRED.name())
                .where(COMMANDS.CLIENT_ID.eq(clientId), COMMANDS.STATUS.eq(CommandStatus.QUEUED.name()),
                        COMMANDS.EXPIRES_AT.lt(ms))
                .execute();
        List<Command> out = new ArrayList<>();
        tx.update(COMMANDS)
                .set(COMMANDS.STATUS, CommandStatus.DELIVERED.name())
                .set(COMMANDS.DELIVERED_AT, ms)
                .where(COMMANDS.CLIENT_ID.eq(clientId), COMMANDS.STATUS.eq(CommandStatus.QUEUED.name()))
                .returning()
                .fetch()
                .forEach(r -> out.add(toCommand(r)));
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    static List<Command> expire(DSLContext tx, Optional<Long> clientId, Instant now) {
        Condition where = COMMANDS.STATUS.in(CommandStatus.QUEUED.name(), CommandStatus.DELIVERED.name())
                .and(COMMANDS.EXPIRES_AT.lt(now.toEpochMilli()));
        if (clientId.isPresent()) {
            where = where.and(COMMANDS.CLIENT_ID.eq(clientId.get()));
        }
        List<Command> out = new ArrayList<>();
        tx.update(COMMANDS).set(COMMANDS.STATUS, CommandStatus.EXPIRED.name()).where(where)
                .returning().fetch().forEach(r -> out.add(toCommand(r)));
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    static List<Command> requeue(DSLContext tx, long clientId, Instant deliveredBefore) {
        List<Command> out = new ArrayList<>();
        tx.update(COMMANDS)
                .set(COMMANDS.STATUS, CommandStatus.QUEUED.name())
                .setNull(COMMANDS.DELIVERED_AT)
                .where(COMMANDS.CLIENT_ID.eq(clientId), COMMANDS.STATUS.eq(CommandStatus.DELIVERED.name()),
                        COMMANDS.DELIVERED_AT.lt(deliveredBefore.toEpochMilli()))
                .returning().fetch().forEach(r -> out.add(toCommand(r)));
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    static boolean finish(DSLContext tx, long commandId, long clientId, CommandOutcome outcome, Instant now) {
        return tx.update(COMMANDS)
                .set(COMMANDS.STATUS, (outcome.succeeded() ? CommandStatus.SUCCEEDED : CommandStatus.FAILED).name())
                .set(COMMANDS.FINISHED_AT, now.toEpochMilli())
                .set(COMMANDS.EXIT_STATUS, (long) outcome.exitStatus())
                .set(COMMANDS.OUTPUT, outcome.output())
                .set(COMMANDS.ERROR, outcome.error())
                .where(COMMANDS.ID.eq(commandId), COMMANDS.CLIENT_ID.eq(clientId),
                        // a delivered command that expired before its result arrived may still have run
                        COMMANDS.STATUS.eq(CommandStatus.DELIVERED.name())
                                .or(COMMANDS.STATUS.eq(CommandStatus.EXPIRED.name()).and(COMMANDS.DELIVERED_AT.isNotNull())
                                        .and(COMMANDS.EXIT_STATUS.isNull())))
                .execute() == 1;
    }

    static Optional<Command> find(DSLContext dsl, long commandId) {
        return dsl.selectFrom(COMMANDS).where(COMMANDS.ID.eq(commandId)).fetchOptional().map(CommandTable::toCommand);
    }

    static List<Command> list(DSLContext dsl, Optional<Long> clientId, Optional<CommandStatus> status, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit was " + limit + " but it must be at least 1");
        }
        Condition where = DSL.noCondition();
        if (clientId.isPresent()) {
            where = where.and(COMMANDS.CLIENT_ID.eq(clientId.get()));
        }
        if (status.isPresent()) {
            where = where.and(COMMANDS.STATUS.eq(status.get().name()));
        }
        return dsl.selectFrom(COMMANDS).where(where).orderBy(COMMANDS.ID.desc()).limit(limit).fetch(CommandTable::toCommand);
    }

    private static Command toCommand(CommandsRecord r) {
        CommandStatus status = CommandStatus.valueOf(r.getStatus());
        CommandOutcome outcome = r.getExitStatus() == null ? null
                : new CommandOutcome(r.getExitStatus().intValue(), r.getOutput(), r.getError());
        return new Command(r.getId(), r.getClientId(), r.getType(), FlatJson.read(r.getParams()), status,
                r.getCreatedBy(), Instant.ofEpochMilli(r.getCreatedAt()), Instant.ofEpochMilli(r.getExpiresAt()),
                instant(r.getDeliveredAt()), instant(r.getFinishedAt()), outcome);
    }

    private static Instant instant(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }
}
