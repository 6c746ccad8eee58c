package io.dcmon.transport.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a resource method. Every resource method carries one; {@link AuthorizationFilter} refuses
 * methods without it (fail closed), and a test walks the Jersey model to prove each route has one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@interface Access {
    /** The role the caller must hold. */
    Role value();

    /** Caller roles. */
    enum Role {
        /** The operator: the server's admin token. */
        ADMIN,
        /** A registered agent: its own client token. */
        CLIENT,
        /**
         * Prometheus scraping dcmon: the dedicated read-only scrape token. It opens the scrape route and nothing
         * else; the admin and client tokens do not open the scrape route either (see {@link PrometheusHooks}).
         */
        SCRAPE,
        /**
         * Nobody in particular: only the dashboard's login page and its static files. {@link AuthenticationFilter}
         * lets a request without credentials through only on those paths, and {@link AuthorizationFilter} only to
         * methods carrying this rule.
         */
        ANONYMOUS
    }
}
