package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Map;

/**
 * A client as {@code GET /api/clients} lists it. Times are Unix seconds; {@code last_seen} is absent when the
 * client never pushed. {@code status} is {@code online}, {@code stale} or {@code offline} (see the server docs).
 *
 * @param clientId       stable id
 * @param hostname       as reported (untrusted text)
 * @param machineId      as reported, may be empty
 * @param keyFingerprint SHA-256 hex of the client's public key
 * @param hardware       summary sent at registration
 * @param registeredAt   Unix seconds
 * @param lastSeen       Unix seconds, or null
 * @param status         online / stale / offline
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClientView(long clientId, String hostname, String machineId, String keyFingerprint,
                         Map<String, String> hardware, long registeredAt, Long lastSeen, String status) {
}
