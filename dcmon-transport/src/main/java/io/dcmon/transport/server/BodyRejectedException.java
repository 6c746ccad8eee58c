package io.dcmon.transport.server;

import java.io.IOException;

/**
 * Thrown while a request body is read when it breaks a limit or is not valid gzip; carries the HTTP status
 * to answer with. An {@link IOException} so it passes unchanged through Jackson and Jersey's readers.
 */
final class BodyRejectedException extends IOException {

    private final int status;

    BodyRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
