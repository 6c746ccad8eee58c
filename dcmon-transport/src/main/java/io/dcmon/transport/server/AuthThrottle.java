package io.dcmon.transport.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;

/**
 * Counts authentication failures per remote address in a Caffeine cache; an address that reached the limit is
 * refused (429) until a whole window passes without a new counted failure. Bounded in memory, so a scan from many
 * addresses cannot grow it without limit.
 */
final class AuthThrottle {

    private final int limit;
    private final Duration window;
    private final Cache<String, int[]> failures;

    AuthThrottle(int limit, Duration window, Ticker ticker) {
        this.limit = limit;
        this.window = window;
        this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).ticker(ticker).build();
    }

    /** True when the address may not try again yet. */
    boolean blocked(String address) {
        int[] n = failures.getIfPresent(address);
        return n != null && n[0] >= limit;
    }

    /**
     * Counts one failure.
     *
     * @return the failures counted for the address in the current window
     */
    int failure(String address) {
        int[] n = failures.asMap().compute(address, (k, v) -> {
            int[] c = v == null ? new int[1] : v;
            c[0]++;
            return c;
        });
        return n[0];
    }

    int limit() {
        return limit;
    }

    /** Seconds a blocked client should wait: the window. */
    long retryAfterSeconds() {
        return Math.max(1, window.toSeconds());
    }
}
