package io.dcmon.core.service;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistrationRequestTest {

    static KeyPair keys;
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @BeforeAll
    static void keys() {
        keys = Keys.generateRsa();
    }

    RegistrationRequest signed() {
        return RegistrationRequest.sign(keys, "gpu-node-01", "abc123", Map.of("gpus", "8"), NOW, "n-0123456789abcdef");
    }

    @Test
    void aSignedRequestVerifiesAndYieldsItsKey() {
        RegistrationRequest r = signed();
        assertThat(Keys.fingerprint(r.verifiedKey())).isEqualTo(Keys.fingerprint(keys.getPublic()));
    }

    @Test
    void changingAnySignedFieldBreaksTheSignature() {
        RegistrationRequest r = signed();
        var tampered = java.util.List.of(
                new RegistrationRequest("other-host", r.machineId(), r.publicKeyPem(), r.timestamp(), r.nonce(), r.hardware(), r.signature()),
                new RegistrationRequest(r.hostname(), "zzz", r.publicKeyPem(), r.timestamp(), r.nonce(), r.hardware(), r.signature()),
                new RegistrationRequest(r.hostname(), r.machineId(), r.publicKeyPem(), r.timestamp() + 1, r.nonce(), r.hardware(), r.signature()),
                new RegistrationRequest(r.hostname(), r.machineId(), r.publicKeyPem(), r.timestamp(), "n-fedcba9876543210", r.hardware(), r.signature()),
                new RegistrationRequest(r.hostname(), r.machineId(), r.publicKeyPem(), r.timestamp(), r.nonce(), Map.of("gpus", "0"), r.signature()));
        for (RegistrationRequest t : tampered) {
            assertThatThrownBy(t::verifiedKey).isInstanceOf(RejectedException.class)
                    .hasMessageContaining("signature does not match")
                    .extracting(e -> ((RejectedException) e).reason()).isEqualTo(RejectedException.Reason.UNAUTHENTICATED);
        }
    }

    @Test
    void aKeyOtherThanTheSigningKeyIsRefused() {
        RegistrationRequest r = signed();
        String otherPem = Keys.toPem(Keys.generateRsa().getPublic());
        var swapped = new RegistrationRequest(r.hostname(), r.machineId(), otherPem, r.timestamp(), r.nonce(), r.hardware(), r.signature());
        assertThatThrownBy(swapped::verifiedKey).hasMessageContaining("signature does not match");
    }

    @Test
    void canonicalStringCannotBeShiftedByLineBreaksInValues() {
        var a = new RegistrationRequest("h\nmachine_id=x", "", signed().publicKeyPem(), 1, "n", Map.of(), "");
        var b = new RegistrationRequest("h", "x", signed().publicKeyPem(), 1, "n", Map.of(), "");
        assertThat(a.canonicalString()).isNotEqualTo(b.canonicalString());
        assertThat(a.canonicalString().lines()).hasSize(7);
    }

    @Test
    void garbagePublicKeyIsRejectedAsInvalid() {
        var r = new RegistrationRequest("h", "", "not a key", 1, "n", Map.of(), "AAAA");
        assertThatThrownBy(r::verifiedKey).isInstanceOf(RejectedException.class)
                .hasMessageContaining("public_key")
                .extracting(e -> ((RejectedException) e).reason()).isEqualTo(RejectedException.Reason.INVALID);
    }

    @Test
    void pemRoundTrips() {
        String pem = Keys.toPem(keys.getPublic());
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(Keys.parsePublicPem(pem)).isEqualTo(keys.getPublic());
    }
}
