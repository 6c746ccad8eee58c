package io.dcmon.core.service;

import java.util.Objects;

/**
 * A request the services refuse, with a message meant for the caller (it names what was wrong and never
 * contains a secret). Transport maps the {@link Reason} to an HTTP status.
 */
public final class RejectedException extends RuntimeException {

    /** Why a request was refused. */
    public enum Reason {
        /** The input is malformed or breaks a limit (HTTP 400). */
        INVALID,
        /** No or unknown credentials (HTTP 401). */
        UNAUTHENTICATED,
        /** Valid credentials that may not do this (HTTP 403). */
        FORBIDDEN,
        /** The thing addressed does not exist (HTTP 404). */
        NOT_FOUND
    }

    private final Reason reason;

    public RejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Shorthand for an {@link Reason#INVALID} rejection. */
    public static RejectedException invalid(String message) {
        return new RejectedException(Reason.INVALID, message);
    }

    /** Why the request was refused. */
    public Reason reason() {
        return reason;
    }
}
