package io.dcmon.storage;

import io.dcmon.core.model.Client;
import io.dcmon.storage.internal.gen.tables.records.ClientsRecord;
import org.jooq.DSLContext;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.dcmon.storage.internal.gen.Tables.CLIENTS;

/** The clients table. Writes run inside the writer's transaction; reads on a pooled connection. */
final class ClientTable {

    private ClientTable() {
    }

    static Client upsert(DSLContext tx, String hostname, String machineId, String publicKeyPem, String keyFingerprint,
                         Map<String, String> hardware, String tokenHash, Instant now) {
        String hw = FlatJson.write(hardware == null ? Map.of() : hardware);
        ClientsRecord existing = tx.selectFrom(CLIENTS).where(CLIENTS.KEY_FINGERPRINT.eq(keyFingerprint)).fetchOne();
        if (existing == null) {
            return toClient(tx.insertInto(CLIENTS)
                    .set(CLIENTS.HOSTNAME, hostname)
                    .set(CLIENTS.MACHINE_ID, machineId == null ? "" : machineId)
                    .set(CLIENTS.PUBLIC_KEY_PEM, publicKeyPem)
                    .set(CLIENTS.KEY_FINGERPRINT, keyFingerprint)
                    .set(CLIENTS.HARDWARE, hw)
                    .set(CLIENTS.TOKEN_HASH, tokenHash)
                    .set(CLIENTS.REGISTERED_AT, now.toEpochMilli())
                    .returning()
                    .fetchOne());
        }
        // a registration is an admin-authorised act, so registering a revoked key again re-enables it
        return toClient(tx.update(CLIENTS)
                .set(CLIENTS.HOSTNAME, hostname)
                .set(CLIENTS.MACHINE_ID, machineId == null ? "" : machineId)
                .set(CLIENTS.PUBLIC_KEY_PEM, publicKeyPem)
                .set(CLIENTS.HARDWARE, hw)
                .set(CLIENTS.TOKEN_HASH, tokenHash)
                .setNull(CLIENTS.REVOKED_AT)
                .where(CLIENTS.ID.eq(existing.getId()))
                .returning()
                .fetchOne());
    }

    static Optional<Client> findByTokenHash(DSLContext dsl, String tokenHash) {
        return dsl.selectFrom(CLIENTS).where(CLIENTS.TOKEN_HASH.eq(tokenHash), CLIENTS.REVOKED_AT.isNull())
                .fetchOptional().map(ClientTable::toClient);
    }

    static Optional<Client> find(DSLContext dsl, long id) {
        return dsl.selectFrom(CLIENTS).where(CLIENTS.ID.eq(id), CLIENTS.REVOKED_AT.isNull())
                .fetchOptional().map(ClientTable::toClient);
    }

    static List<Client> list(DSLContext dsl) {
        return dsl.selectFrom(CLIENTS).where(CLIENTS.REVOKED_AT.isNull()).orderBy(CLIENTS.ID).fetch(ClientTable::toClient);
    }

    static Void touch(DSLContext tx, long id, Instant when) {
        long ms = when.toEpochMilli();
        // never move last_seen backwards when touches of one client commit out of order
        tx.update(CLIENTS).set(CLIENTS.LAST_SEEN, ms)
                .where(CLIENTS.ID.eq(id), CLIENTS.LAST_SEEN.isNull().or(CLIENTS.LAST_SEEN.lt(ms)))
                .execute();
        return null;
    }

    static boolean revoke(DSLContext tx, long id, Instant now) {
        if (!tx.fetchExists(CLIENTS, CLIENTS.ID.eq(id))) {
            return false;
        }
        tx.update(CLIENTS).set(CLIENTS.REVOKED_AT, now.toEpochMilli())
                .where(CLIENTS.ID.eq(id), CLIENTS.REVOKED_AT.isNull()).execute();
        return true;
    }

    private static Client toClient(ClientsRecord r) {
        return new Client(r.getId(), r.getHostname(), r.getMachineId(), r.getKeyFingerprint(),
                FlatJson.read(r.getHardware()), Instant.ofEpochMilli(r.getRegisteredAt()),
                r.getLastSeen() == null ? null : Instant.ofEpochMilli(r.getLastSeen()));
    }
}
