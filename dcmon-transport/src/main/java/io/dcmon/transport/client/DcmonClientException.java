package io.dcmon.transport.client;

/**
 * A call to the dcmon server failed. Carries the HTTP status (0 when no answer came: connection refused,
 * timeout, TLS failure), the server's error text, and whether retrying the same request later can help.
 */
public final class DcmonClientException extends Exception {

    private final int status;
    private final String serverError;
    private final boolean retryable;
    private final long retryAfterSeconds;

    /**
     * @param status      HTTP status, or 0 when the server did not answer
     * @param serverError the server's {@code error} text, or a description of the local failure
     * @param retryable   true for connection failures, timeouts, 429 and 5xx
     * @param message     the full message
     * @param cause       the underlying exception, or null
     */
    public DcmonClientException(int status, String serverError, boolean retryable, String message, Throwable cause) {
        this(status, serverError, retryable, -1, message, cause);
    }

    /**
     * @param retryAfterSeconds the server's Retry-After in seconds (429/503), or -1 when it sent none
     */
    public DcmonClientException(int status, String serverError, boolean retryable, long retryAfterSeconds, String message,
                                Throwable cause) {
        super(message, cause);
        this.status = status;
        this.serverError = serverError == null ? "" : serverError;
        this.retryable = retryable;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The server's Retry-After in seconds (sent with 429 and 503), or -1 when absent. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** HTTP status of the answer, or 0 when there was none. */
    public int status() {
        return status;
    }

    /** The server's {@code error} text (or the local failure's description). */
    public String serverError() {
        return serverError;
    }

    /** True when the same request may succeed later (no answer, 408, 429, 5xx); false for other 4xx. */
    public boolean retryable() {
        return retryable;
    }

    /** True for 401/403: the credentials are missing, wrong, revoked or not allowed here. */
    public boolean isAuthFailure() {
        return status == 401 || status == 403;
    }
}
