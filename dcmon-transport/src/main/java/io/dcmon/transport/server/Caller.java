package io.dcmon.transport.server;

import io.dcmon.core.model.Client;

/**
 * The authenticated caller of one request, stored as a request property by {@link AuthenticationFilter}.
 *
 * @param role   admin or client
 * @param client the client, null for the admin
 */
record Caller(Access.Role role, Client client) {

    /** Request property holding the {@link Caller}. */
    static final String PROPERTY = "io.dcmon.transport.caller";

    static Caller admin() {
        return new Caller(Access.Role.ADMIN, null);
    }

    static Caller client(Client c) {
        return new Caller(Access.Role.CLIENT, c);
    }

    boolean isAdmin() {
        return role == Access.Role.ADMIN;
    }
}
