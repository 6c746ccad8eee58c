package io.dcmon.hardware;

/** A collector could not read its source this time; the message says what failed and what to do. */
public class CollectorException extends Exception {

    public CollectorException(String message) {
        super(message);
    }

    public CollectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
