package io.dcmon.core.service;

import java.time.Duration;
import java.util.Objects;

/**
 * The server is too busy to take this request now (for example, the storage's write queue is full); nothing of
 * the request was done, and the caller should retry after {@link #retryAfter()}. Transport answers HTTP 503 with a
 * {@code Retry-After} header, which the agent honours while it keeps the batch in its spool.
 */
public final class OverloadedException extends RuntimeException {

    private final Duration retryAfter;

    /**
     * @param message    what is overloaded and its limit, for the caller and the log
     * @param retryAfter how long the caller should wait before trying again; at least one second
     */
    public OverloadedException(String message, Duration retryAfter) {
        super(message, null, false, false);
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("retryAfter was '" + retryAfter + "' but it must be at least PT1S");
        }
        this.retryAfter = retryAfter;
    }

    /** How long the caller should wait before retrying. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
