package io.dcmon.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A registered machine. Its token is never held here: storage keeps only the token's hash.
 *
 * @param id             stable id, kept when the same key registers again
 * @param hostname       as the agent reported it (untrusted text: render it as text)
 * @param machineId      /etc/machine-id or similar, may be empty
 * @param keyFingerprint SHA-256 of the agent's public key (SubjectPublicKeyInfo DER), hex
 * @param hardware       small summary the agent sent at registration
 * @param registeredAt   first registration
 * @param lastSeen       last authenticated request, or null when never seen since registration
 */
public record Client(long id, String hostname, String machineId, String keyFingerprint,
                     Map<String, String> hardware, Instant registeredAt, Instant lastSeen) {
    public Client {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(keyFingerprint, "keyFingerprint");
        Objects.requireNonNull(registeredAt, "registeredAt");
        machineId = machineId == null ? "" : machineId;
        hardware = hardware == null ? Map.of() : Map.copyOf(hardware);
    }
}
