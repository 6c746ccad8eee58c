package io.dcmon.core.service;

import io.dcmon.core.model.Client;
import io.dcmon.core.port.ClientStore;

import java.util.Objects;
import java.util.Optional;

/**
 * Resolves bearer tokens: the admin token by constant-time comparison, client tokens by their hash.
 * Transport puts a cache in front of {@link #client(String)}.
 */
public final class ClientAuthenticator {

    private final String adminTokenHash;
    private final ClientStore clients;

    /**
     * @param adminToken the server's admin token (kept here only as its hash)
     */
    public ClientAuthenticator(String adminToken, ClientStore clients) {
        Objects.requireNonNull(adminToken, "adminToken");
        if (adminToken.length() < 16) {
            throw new IllegalArgumentException("the admin token has " + adminToken.length()
                    + " characters; it must have at least 16 (let the server generate it)");
        }
        this.adminTokenHash = Tokens.hash(adminToken);
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    /** True when {@code token} is the admin token. Comparing hashes keeps the time independent of the token. */
    public boolean isAdmin(String token) {
        return token != null && Tokens.constantTimeEquals(adminTokenHash, Tokens.hash(token));
    }

    /** The client holding {@code token}, if any and not revoked. */
    public Optional<Client> client(String token) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return Optional.empty();
        }
        return clients.findByTokenHash(Tokens.hash(token));
    }
}
