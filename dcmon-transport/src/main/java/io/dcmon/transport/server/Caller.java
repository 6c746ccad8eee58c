package io.dcmon.transport.server;

import io.dcmon.core.model.Client;

/**
 * The authenticated caller of one request, stored as a request property by {@link AuthenticationFilter}.
 *
 * @param role    admin, client, scrape (Prometheus), or anonymous (login page and static files only)
 * @param client  the client, null unless role is CLIENT
 * @param session the dashboard session the admin came with, null for bearer tokens
 */
record Caller(Access.Role role, Client client, DashboardSessions.Session session) {

    /** Request property holding the {@link Caller}. */
    static final String PROPERTY = "io.dcmon.transport.caller";

    static Caller admin() {
        return new Caller(Access.Role.ADMIN, null, null);
    }

    static Caller admin(DashboardSessions.Session session) {
        return new Caller(Access.Role.ADMIN, null, session);
    }

    static Caller client(Client c) {
        return new Caller(Access.Role.CLIENT, c, null);
    }

    static Caller scrape() {
        return new Caller(Access.Role.SCRAPE, null, null);
    }

    static Caller anonymous() {
        return new Caller(Access.Role.ANONYMOUS, null, null);
    }

    boolean isAdmin() {
        return role == Access.Role.ADMIN;
    }
}
