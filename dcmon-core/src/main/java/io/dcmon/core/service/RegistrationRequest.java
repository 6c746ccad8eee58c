package io.dcmon.core.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an agent sends to register: its identity, its public key and a proof that it holds the private key.
 * The signature (RSASSA-PKCS1-v1_5 with SHA-256) covers {@link #canonicalString()}, which binds every
 * other field, so none can be changed or the request replayed with another nonce.
 *
 * @param hostname     the agent's host name
 * @param machineId    /etc/machine-id, may be empty
 * @param publicKeyPem RSA public key, PEM "PUBLIC KEY" (SubjectPublicKeyInfo)
 * @param timestamp    Unix seconds when signed
 * @param nonce        random, used once
 * @param hardware     small hardware summary
 * @param signature    base64 signature over the canonical string
 */
public record RegistrationRequest(String hostname, String machineId, String publicKeyPem, long timestamp,
                                  String nonce, Map<String, String> hardware, String signature) {

    /** Signature algorithm. */
    public static final String ALGORITHM = "SHA256withRSA";
    /** Minimum RSA modulus size in bits. */
    public static final int MIN_KEY_BITS = 2048;

    public RegistrationRequest {
        machineId = machineId == null ? "" : machineId;
        hardware = hardware == null ? Map.of() : Map.copyOf(hardware);
    }

    /** Builds and signs a request with the agent's key pair. */
    public static RegistrationRequest sign(KeyPair keys, String hostname, String machineId,
                                           Map<String, String> hardware, Instant now, String nonce) {
        String pem = Keys.toPem(keys.getPublic());
        RegistrationRequest unsigned = new RegistrationRequest(hostname, machineId, pem, now.getEpochSecond(),
                nonce, hardware, "");
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(keys.getPrivate());
            s.update(unsigned.canonicalString().getBytes(StandardCharsets.UTF_8));
            String sig = Base64.getEncoder().encodeToString(s.sign());
            return new RegistrationRequest(hostname, machineId, pem, unsigned.timestamp, nonce, hardware, sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign the registration with the agent's key: " + e.getMessage(), e);
        }
    }

    /**
     * The text the signature covers: one {@code name=value} line per field, values percent-encoded so no
     * value can contain a line break or an {@code =} that shifts another field. The key enters as its
     * SHA-256 fingerprint.
     */
    public String canonicalString() {
        StringBuilder sb = new StringBuilder("dcmon-register-v1\n");
        line(sb, "hostname", hostname);
        line(sb, "machine_id", machineId);
        line(sb, "public_key_sha256", fingerprintOrEmpty());
        line(sb, "timestamp", Long.toString(timestamp));
        line(sb, "nonce", nonce);
        StringBuilder hw = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(hardware).entrySet()) {
            hw.append(enc(e.getKey())).append(':').append(enc(e.getValue())).append(';');
        }
        line(sb, "hardware", hw.toString());
        return sb.toString();
    }

    /** Verifies the signature against the embedded public key; returns that key. */
    PublicKey verifiedKey() {
        PublicKey key = parsedKey();
        if (!(key instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() < MIN_KEY_BITS) {
            throw RejectedException.invalid("public_key must be an RSA key of at least " + MIN_KEY_BITS + " bits");
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signature == null ? "" : signature);
        } catch (IllegalArgumentException e) {
            throw RejectedException.invalid("signature is not valid base64");
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(canonicalString().getBytes(StandardCharsets.UTF_8));
            if (!s.verify(sig)) {
                throw new RejectedException(RejectedException.Reason.UNAUTHENTICATED,
                        "signature does not match the request: sign the canonical string with the key in public_key");
            }
        } catch (java.security.SignatureException e) {
            throw new RejectedException(RejectedException.Reason.UNAUTHENTICATED,
                    "signature could not be verified: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
        return key;
    }

    private PublicKey parsedKey() {
        try {
            return Keys.parsePublicPem(publicKeyPem);
        } catch (IllegalArgumentException e) {
            throw RejectedException.invalid("public_key: " + e.getMessage());
        }
    }

    private String fingerprintOrEmpty() {
        try {
            return Keys.fingerprint(Keys.parsePublicPem(publicKeyPem));
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(name).append('=').append(enc(value)).append('\n');
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
