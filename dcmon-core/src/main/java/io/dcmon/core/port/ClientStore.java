package io.dcmon.core.port;

import io.dcmon.core.model.Client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persistence of registered clients. Implementations are thread-safe. */
public interface ClientStore {

    /**
     * Registers a client, or re-registers the one holding the same key: then its id is kept and
     * hostname, machine id, hardware and token hash are replaced (the old token stops working).
     *
     * @param tokenHash SHA-256 hex of the new client token; the token itself is never stored
     */
    Client upsert(String hostname, String machineId, String publicKeyPem, String keyFingerprint,
                  Map<String, String> hardware, String tokenHash, Instant now);

    /** The client whose token hashes to {@code tokenHash}, if any and not revoked. */
    Optional<Client> findByTokenHash(String tokenHash);

    /** The client with this id, if registered and not revoked. */
    Optional<Client> find(long id);

    /** All registered clients, by id. */
    List<Client> list();

    /** Records that the client was seen at {@code when}. */
    void touch(long id, Instant when);

    /** Revokes a client: its token stops working. Returns false when no such client. */
    boolean revoke(long id);
}
