package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.dcmon.core.service.RegistrationRequest;

import java.util.Map;

/**
 * Body of {@code POST /api/register}: the signed registration of an agent.
 * JSON: {@code {"hostname","machine_id","public_key","timestamp","nonce","hardware":{},"signature"}};
 * {@code timestamp} is Unix seconds, {@code public_key} PEM, {@code signature} base64 (see
 * {@link RegistrationRequest#canonicalString()} for what it covers).
 *
 * @param hostname  the agent's host name
 * @param machineId /etc/machine-id, may be empty
 * @param publicKey RSA public key, PEM "PUBLIC KEY"
 * @param timestamp Unix seconds when signed
 * @param nonce     random, used once
 * @param hardware  small hardware summary
 * @param signature base64 SHA256withRSA signature
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RegisterRequest(String hostname, String machineId, String publicKey, long timestamp,
                              String nonce, Map<String, String> hardware, String signature) {

    /** The wire form of a signed core request. */
    public static RegisterRequest from(RegistrationRequest r) {
        return new RegisterRequest(r.hostname(), r.machineId(), r.publicKeyPem(), r.timestamp(), r.nonce(),
                r.hardware(), r.signature());
    }

    /** The core request this body carries; the signature is checked by the registration service. */
    public RegistrationRequest toCore() {
        return new RegistrationRequest(hostname, machineId, publicKey, timestamp, nonce, hardware, signature);
    }
}
