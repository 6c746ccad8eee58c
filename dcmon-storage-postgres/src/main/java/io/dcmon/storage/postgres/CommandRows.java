package io.dcmon.storage.postgres;

import io.dcmon.storage.FlatJson;
import io.dcmon.core.model.Command;
import io.dcmon.core.model.CommandOutcome;
import io.dcmon.core.model.CommandStatus;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.dcmon.storage.postgres.Schema.COMMANDS;
import static io.dcmon.storage.postgres.Schema.COMMAND_FIELDS;
import static io.dcmon.storage.postgres.Schema.K_CLIENT_ID;
import static io.dcmon.storage.postgres.Schema.K_CREATED_AT;
import static io.dcmon.storage.postgres.Schema.K_CREATED_BY;
import static io.dcmon.storage.postgres.Schema.K_DELIVERED_AT;
import static io.dcmon.storage.postgres.Schema.K_ERROR;
import static io.dcmon.storage.postgres.Schema.K_EXIT_STATUS;
import static io.dcmon.storage.postgres.Schema.K_EXPIRES_AT;
import static io.dcmon.storage.postgres.Schema.K_FINISHED_AT;
import static io.dcmon.storage.postgres.Schema.K_ID;
import static io.dcmon.storage.postgres.Schema.K_OUTPUT;
import static io.dcmon.storage.postgres.Schema.K_PARAMS;
import static io.dcmon.storage.postgres.Schema.K_STATUS;
import static io.dcmon.storage.postgres.Schema.K_TYPE;

/** The commands table, in jOOQ. Writes take a transaction's DSLContext. */
final class CommandRows {

    private CommandRows() {
    }

    static Command enqueue(DSLContext tx, long clientId, String type, Map<String, String> params, String createdBy,
                           Instant now, Instant expiresAt) {
        if (!ClientRows.exists(tx, clientId)) {
            throw new IllegalArgumentException("client " + clientId + " is not registered; cannot queue '" + type + "' for it");
        }
        return toCommand(tx.insertInto(COMMANDS)
                .set(K_CLIENT_ID, clientId)
                .set(K_TYPE, type)
                .set(K_PARAMS, FlatJson.write(params == null ? Map.of() : params))
                .set(K_STATUS, CommandStatus.QUEUED.name())
                .set(K_CREATED_BY, createdBy)
                .set(K_CREATED_AT, now.toEpochMilli())
                .set(K_EXPIRES_AT, expiresAt.toEpochMilli())
                .returning(COMMAND_FIELDS)
                .fetchOne());
    }

    static List<Command> takeQueued(DSLContext tx, long clientId, Instant now) {
        long ms = now.toEpochMilli();
        tx.update(COMMANDS).set(K_STATUS, CommandStatus.EXPIRED.name())
                .where(K_CLIENT_ID.eq(clientId), K_STATUS.eq(CommandStatus.QUEUED.name()), K_EXPIRES_AT.lt(ms))
                .execute();
        // two polls of one client racing: the row lock makes the second see DELIVERED and skip it
        return tx.update(COMMANDS)
                .set(K_STATUS, CommandStatus.DELIVERED.name())
                .set(K_DELIVERED_AT, ms)
                .where(K_CLIENT_ID.eq(clientId), K_STATUS.eq(CommandStatus.QUEUED.name()))
                .returning(COMMAND_FIELDS)
                .fetch()
                .stream().map(CommandRows::toCommand)
                .sorted(Comparator.comparingLong(Command::id))
                .toList();
    }

    static List<Command> expire(DSLContext tx, Optional<Long> clientId, Instant now) {
        Condition where = K_STATUS.in(CommandStatus.QUEUED.name(), CommandStatus.DELIVERED.name())
                .and(K_EXPIRES_AT.lt(now.toEpochMilli()));
        if (clientId.isPresent()) {
            where = where.and(K_CLIENT_ID.eq(clientId.get()));
        }
        return tx.update(COMMANDS).set(K_STATUS, CommandStatus.EXPIRED.name()).where(where)
                .returning(COMMAND_FIELDS).fetch()
                .stream().map(CommandRows::toCommand)
                .sorted(Comparator.comparingLong(Command::id))
                .toList();
    }

    static List<Command> requeue(DSLContext tx, long clientId, Instant deliveredBefore) {
        return tx.update(COMMANDS)
                .set(K_STATUS, CommandStatus.QUEUED.name())
                .setNull(K_DELIVERED_AT)
                .where(K_CLIENT_ID.eq(clientId), K_STATUS.eq(CommandStatus.DELIVERED.name()),
                        K_DELIVERED_AT.lt(deliveredBefore.toEpochMilli()))
                .returning(COMMAND_FIELDS).fetch()
                .stream().map(CommandRows::toCommand)
                .sorted(Comparator.comparingLong(Command::id))
                .toList();
    }

    static boolean finish(DSLContext tx, long commandId, long clientId, CommandOutcome outcome, Instant now) {
        return tx.update(COMMANDS)
                .set(K_STATUS, (outcome.succeeded() ? CommandStatus.SUCCEEDED : CommandStatus.FAILED).name())
                .set(K_FINISHED_AT, now.toEpochMilli())
                .set(K_EXIT_STATUS, outcome.exitStatus())
                .set(K_OUTPUT, outcome.output())
                .set(K_ERROR, outcome.error())
                .where(K_ID.eq(commandId), K_CLIENT_ID.eq(clientId),
                        // a delivered command that expired before its result arrived may still have run
                        K_STATUS.eq(CommandStatus.DELIVERED.name())
                                .or(K_STATUS.eq(CommandStatus.EXPIRED.name()).and(K_DELIVERED_AT.isNotNull()).and(K_EXIT_STATUS.isNull())))
                .execute() == 1;
    }

    static Optional<Command> find(DSLContext dsl, long commandId) {
        return dsl.select(COMMAND_FIELDS).from(COMMANDS).where(K_ID.eq(commandId)).fetchOptional().map(CommandRows::toCommand);
    }

    static List<Command> list(DSLContext dsl, Optional<Long> clientId, Optional<CommandStatus> status, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit was " + limit + " but it must be at least 1");
        }
        Condition where = DSL.noCondition();
        if (clientId.isPresent()) {
            where = where.and(K_CLIENT_ID.eq(clientId.get()));
        }
        if (status.isPresent()) {
            where = where.and(K_STATUS.eq(status.get().name()));
        }
        return dsl.select(COMMAND_FIELDS).from(COMMANDS).where(where).orderBy(K_ID.desc()).limit(limit).fetch(CommandRows::toCommand);
    }

    private static Command toCommand(Record r) {
        CommandStatus status = CommandStatus.valueOf(r.get(K_STATUS));
        Integer exit = r.get(K_EXIT_STATUS);
        CommandOutcome outcome = exit == null ? null : new CommandOutcome(exit, r.get(K_OUTPUT), r.get(K_ERROR));
        return new Command(r.get(K_ID), r.get(K_CLIENT_ID), r.get(K_TYPE), FlatJson.read(r.get(K_PARAMS)), status,
                r.get(K_CREATED_BY), Instant.ofEpochMilli(r.get(K_CREATED_AT)), Instant.ofEpochMilli(r.get(K_EXPIRES_AT)),
                instant(r.get(K_DELIVERED_AT)), instant(r.get(K_FINISHED_AT)), outcome);
    }

    private static Instant instant(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }
}
