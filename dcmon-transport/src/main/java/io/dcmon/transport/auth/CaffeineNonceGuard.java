package io.dcmon.transport.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dcmon.core.port.NonceGuard;
import io.dcmon.core.service.RegistrationService;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Remembers registration nonces for a replay window, in a bounded Caffeine cache.
 *
 * <p>The window must cover the timestamps the registration service still accepts (±{@link RegistrationService#MAX_SKEW}),
 * so the default is twice that plus a minute: a captured request cannot be replayed while its timestamp is
 * fresh, and once it is stale the service refuses it anyway (the signature binds timestamp and nonce).
 * Time comes from the {@code now} argument, so tests need no sleeping; Caffeine only bounds memory.
 * Thread-safe.
 */
public final class CaffeineNonceGuard implements NonceGuard {

    /** Default window: 2 × the accepted clock skew + 1 minute. */
    public static final Duration DEFAULT_WINDOW = RegistrationService.MAX_SKEW.multipliedBy(2).plusMinutes(1);
    /** Default bound on remembered nonces (registration needs the admin token, so this is never reached honestly). */
    public static final long DEFAULT_MAX_NONCES = 100_000;

    private final Duration window;
    private final Cache<String, Instant> seen;

    /** A guard with the default window and size. */
    public CaffeineNonceGuard() {
        this(DEFAULT_WINDOW, DEFAULT_MAX_NONCES);
    }

    /**
     * @param window     how long a nonce is remembered
     * @param maxNonces  most nonces remembered at once
     */
    public CaffeineNonceGuard(Duration window, long maxNonces) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window was " + window + " but it must be positive");
        }
        if (maxNonces < 1) {
            throw new IllegalArgumentException("maxNonces was " + maxNonces + " but it must be at least 1");
        }
        this.window = window;
        this.seen = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(maxNonces).build();
    }

    @Override
    public boolean firstUse(String nonce, Instant now) {
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(now, "now");
        boolean[] first = {false};
        seen.asMap().compute(nonce, (k, previous) -> {
            if (previous == null || !now.isBefore(previous.plus(window))) {
                first[0] = true;
                return now;
            }
            return previous;
        });
        return first[0];
    }

    /** The replay window. */
    public Duration window() {
        return window;
    }
}
