package io.dcmon.transport.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.dcmon.core.model.Client;
import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.Tokens;

import java.time.Duration;
import java.util.Optional;

/**
 * Client-token lookups through a short-lived Caffeine cache, keyed by the token's SHA-256 (the token itself
 * is never kept). Only hits are cached, so an unknown token always reaches the store; revocation and
 * re-registration call {@link #invalidateClient(long)}, and the short TTL bounds any race with a lookup that
 * was in flight at that moment.
 */
final class TokenCache {

    /** How long a resolved token stays cached. */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    private final ClientAuthenticator auth;
    private final Cache<String, Client> cache;

    TokenCache(ClientAuthenticator auth, Duration ttl, Ticker ticker) {
        this.auth = auth;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(100_000)
                .ticker(ticker)
                .build();
    }

    /** The client holding {@code token}, if any and not revoked. */
    Optional<Client> client(String token) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return Optional.empty();
        }
        return Optional.ofNullable(cache.get(Tokens.hash(token), h -> auth.client(token).orElse(null)));
    }

    /** Forgets every cached token of the client, so a revoked or replaced token stops working at once. */
    void invalidateClient(long clientId) {
        cache.asMap().values().removeIf(c -> c.id() == clientId);
    }
}
