package io.dcmon.transport.server;

import io.dcmon.core.service.RejectedException;

/** Parsing of query and path parameters with 400s that name the parameter. */
final class Params {

    private Params() {
    }

    static long longValue(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw RejectedException.invalid("parameter '" + name + "' was '" + Errors.clean(value) + "'; it must be an integer");
        }
    }
}
