package io.dcmon.transport.tls;

/** TLS could not be set up; the message says which file or step failed and what to do. */
public final class TlsException extends RuntimeException {
    /**
     * @param message what failed and what to do
     * @param cause   the underlying error, or null
     */
    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
