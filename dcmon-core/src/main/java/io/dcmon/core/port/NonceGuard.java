package io.dcmon.core.port;

import java.time.Instant;

/**
 * Remembers registration nonces for the replay window, so a captured registration cannot be replayed.
 * Implementations are thread-safe (transport backs it with Caffeine).
 */
@FunctionalInterface
public interface NonceGuard {
    /** Returns true the first time {@code nonce} is seen within the window, false for a replay. */
    boolean firstUse(String nonce, Instant now);
}
