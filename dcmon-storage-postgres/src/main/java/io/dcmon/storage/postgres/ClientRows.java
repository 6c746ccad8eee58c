package io.dcmon.storage.postgres;

import io.dcmon.storage.FlatJson;
import io.dcmon.core.model.Client;
import org.jooq.DSLContext;
import org.jooq.Record;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.dcmon.storage.postgres.Schema.CLIENTS;
import static io.dcmon.storage.postgres.Schema.CLIENT_FIELDS;
import static io.dcmon.storage.postgres.Schema.C_HARDWARE;
import static io.dcmon.storage.postgres.Schema.C_HOSTNAME;
import static io.dcmon.storage.postgres.Schema.C_ID;
import static io.dcmon.storage.postgres.Schema.C_KEY_FINGERPRINT;
import static io.dcmon.storage.postgres.Schema.C_LAST_SEEN;
import static io.dcmon.storage.postgres.Schema.C_MACHINE_ID;
import static io.dcmon.storage.postgres.Schema.C_PUBLIC_KEY_PEM;
import static io.dcmon.storage.postgres.Schema.C_REGISTERED_AT;
import static io.dcmon.storage.postgres.Schema.C_REVOKED_AT;
import static io.dcmon.storage.postgres.Schema.C_TOKEN_HASH;

/** The clients table, in jOOQ. Writes take a transaction's DSLContext. */
final class ClientRows {

    private ClientRows() {
    }

    static Client upsert(DSLContext tx, String hostname, String machineId, String publicKeyPem, String keyFingerprint,
                         Map<String, String> hardware, String tokenHash, Instant now) {
        String hw = FlatJson.write(hardware == null ? Map.of() : hardware);
        String mid = machineId == null ? "" : machineId;
        // one statement, so two registrations of one key racing each other both end on the same row;
        // a registration is an admin-authorised act, so registering a revoked key again re-enables it
        Record r = tx.insertInto(CLIENTS)
                .set(C_HOSTNAME, hostname)
                .set(C_MACHINE_ID, mid)
                .set(C_PUBLIC_KEY_PEM, publicKeyPem)
                .set(C_KEY_FINGERPRINT, keyFingerprint)
                .set(C_HARDWARE, hw)
                .set(C_TOKEN_HASH, tokenHash)
                .set(C_REGISTERED_AT, now.toEpochMilli())
                .onConflict(C_KEY_FINGERPRINT).doUpdate()
                .set(C_HOSTNAME, hostname)
                .set(C_MACHINE_ID, mid)
                .set(C_PUBLIC_KEY_PEM, publicKeyPem)
                .set(C_HARDWARE, hw)
                .set(C_TOKEN_HASH, tokenHash)
                .setNull(C_REVOKED_AT)
                .returning(CLIENT_FIELDS)
                .fetchOne();
        return toClient(r);
    }

    static Optional<Client> findByTokenHash(DSLContext dsl, String tokenHash) {
        return dsl.select(CLIENT_FIELDS).from(CLIENTS).where(C_TOKEN_HASH.eq(tokenHash), C_REVOKED_AT.isNull())
                .fetchOptional().map(ClientRows::toClient);
    }

    static Optional<Client> find(DSLContext dsl, long id) {
        return dsl.select(CLIENT_FIELDS).from(CLIENTS).where(C_ID.eq(id), C_REVOKED_AT.isNull())
                .fetchOptional().map(ClientRows::toClient);
    }

    static List<Client> list(DSLContext dsl) {
        return dsl.select(CLIENT_FIELDS).from(CLIENTS).where(C_REVOKED_AT.isNull()).orderBy(C_ID).fetch(ClientRows::toClient);
    }

    static void touch(DSLContext dsl, long id, Instant when) {
        long ms = when.toEpochMilli();
        // never move last_seen backwards when touches of one client commit out of order
        dsl.update(CLIENTS).set(C_LAST_SEEN, ms).where(C_ID.eq(id), C_LAST_SEEN.isNull().or(C_LAST_SEEN.lt(ms))).execute();
    }

    static boolean revoke(DSLContext tx, long id, Instant now) {
        if (!tx.fetchExists(CLIENTS, C_ID.eq(id))) {
            return false;
        }
        tx.update(CLIENTS).set(C_REVOKED_AT, now.toEpochMilli()).where(C_ID.eq(id), C_REVOKED_AT.isNull()).execute();
        return true;
    }

    static boolean exists(DSLContext dsl, long id) {
        return dsl.fetchExists(CLIENTS, C_ID.eq(id));
    }

    private static Client toClient(Record r) {
        Long lastSeen = r.get(C_LAST_SEEN);
        return new Client(r.get(C_ID), r.get(C_HOSTNAME), r.get(C_MACHINE_ID), r.get(C_KEY_FINGERPRINT),
                FlatJson.read(r.get(C_HARDWARE)), Instant.ofEpochMilli(r.get(C_REGISTERED_AT)),
                lastSeen == null ? null : Instant.ofEpochMilli(lastSeen));
    }
}
