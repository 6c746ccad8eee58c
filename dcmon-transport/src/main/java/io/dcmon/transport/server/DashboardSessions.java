package io.dcmon.transport.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.dcmon.core.service.Tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Server-side dashboard sessions: a random id (the cookie value) maps to the session's CSRF token. Kept in a
 * bounded Caffeine cache that forgets a session {@code ttl} after login, so a stolen cookie dies on its own and a
 * restart logs everybody out. The cache is keyed by the id's SHA-256, so the ids themselves are not kept.
 */
final class DashboardSessions {

    /** Most sessions held at once; the oldest go first beyond it. */
    static final long MAX_SESSIONS = 10_000;

    /**
     * One login.
     *
     * @param id        the cookie value (random, 256 bits)
     * @param csrfToken what state-changing requests must send in {@link Dashboard#CSRF_HEADER}
     * @param expiresAt when the session ends
     */
    record Session(String id, String csrfToken, Instant expiresAt) {
    }

    private final Duration ttl;
    private final Cache<String, Session> sessions;

    DashboardSessions(Duration ttl, Ticker ticker) {
        this.ttl = ttl;
        this.sessions = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_SESSIONS).ticker(ticker).build();
    }

    Duration ttl() {
        return ttl;
    }

    Session create(Instant now) {
        Session s = new Session(Tokens.generate(), Tokens.generate(), now.plus(ttl));
        sessions.put(Tokens.hash(s.id()), s);
        return s;
    }

    Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return Optional.empty();
        }
        return Optional.ofNullable(sessions.getIfPresent(Tokens.hash(id)));
    }

    void invalidate(Session s) {
        sessions.invalidate(Tokens.hash(s.id()));
    }
}
