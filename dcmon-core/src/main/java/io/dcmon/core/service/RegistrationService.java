package io.dcmon.core.service;

import io.dcmon.core.model.Client;
import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.NonceGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Registers agents: checks the proof of key possession, the freshness of the request and that its
 * nonce is new, then stores the client (same key → same id) with the hash of a fresh token.
 */
public final class RegistrationService {

    /** How far a registration timestamp may be from the server's clock. */
    public static final Duration MAX_SKEW = Duration.ofSeconds(300);
    /** Longest hostname accepted. */
    public static final int MAX_HOSTNAME = 253;

    private static final Logger log = LoggerFactory.getLogger(RegistrationService.class);

    private final ClientStore clients;
    private final NonceGuard nonces;
    private final Clock clock;

    public RegistrationService(ClientStore clients, NonceGuard nonces, Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new client, or a known key re-registered, and its new token (returned once, never stored). */
    public record Registration(Client client, String token) {
    }

    /**
     * Registers the agent. The caller has already checked the admin token.
     *
     * @throws RejectedException naming what was wrong
     */
    public Registration register(RegistrationRequest r) {
        Objects.requireNonNull(r, "request");
        requireText(r.hostname(), "hostname", MAX_HOSTNAME);
        requireText(r.nonce(), "nonce", 128);
        if (r.nonce().length() < 16) {
            throw RejectedException.invalid("nonce has " + r.nonce().length() + " characters; use at least 16 random characters");
        }
        if (r.machineId().length() > 128) {
            throw RejectedException.invalid("machine_id has " + r.machineId().length() + " characters; the limit is 128");
        }
        if (r.hardware().size() > 64) {
            throw RejectedException.invalid("hardware has " + r.hardware().size() + " entries; the limit is 64");
        }
        for (var e : r.hardware().entrySet()) {
            if (e.getKey().length() > 64 || e.getValue().length() > 512) {
                throw RejectedException.invalid("hardware entry '" + e.getKey() + "' is too long (names ≤ 64, values ≤ 512 characters)");
            }
        }
        Instant now = clock.instant();
        long skew = Math.abs(now.getEpochSecond() - r.timestamp());
        if (skew > MAX_SKEW.toSeconds()) {
            throw new RejectedException(RejectedException.Reason.UNAUTHENTICATED, "timestamp " + r.timestamp()
                    + " is " + skew + " s away from the server's clock; the limit is " + MAX_SKEW.toSeconds()
                    + " s: check the agent's clock (NTP) and sign a fresh request");
        }
        var key = r.verifiedKey();
        if (!nonces.firstUse(r.nonce(), now)) {
            throw new RejectedException(RejectedException.Reason.UNAUTHENTICATED,
                    "nonce was already used: this looks like a replayed registration; sign a new request");
        }
        String token = Tokens.generate();
        Client c = clients.upsert(r.hostname(), r.machineId(), r.publicKeyPem(), Keys.fingerprint(key),
                r.hardware(), Tokens.hash(token), now);
        log.info("registered client {} ({}) key {}", c.id(), c.hostname(), c.keyFingerprint().substring(0, 16));
        return new Registration(c, token);
    }

    private static void requireText(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw RejectedException.invalid(field + " is missing");
        }
        if (value.length() > max) {
            throw RejectedException.invalid(field + " has " + value.length() + " characters; the limit is " + max);
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw RejectedException.invalid(field + " contains a control character at position " + i);
            }
        }
    }
}
