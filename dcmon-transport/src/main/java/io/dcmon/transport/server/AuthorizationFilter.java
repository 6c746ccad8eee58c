package io.dcmon.transport.server;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;

import java.lang.reflect.Method;

/**
 * Checks the authenticated caller against the matched method's {@link Access} rule: admin routes refuse
 * client tokens and client routes refuse the admin token (it is no client identity), both with 403.
 * A method without a rule is refused too, so a forgotten annotation cannot open a route. Anonymous methods (the
 * dashboard's login page and static files) take anyone; an anonymous caller gets nothing else.
 */
@Priority(Priorities.AUTHORIZATION)
final class AuthorizationFilter implements ContainerRequestFilter {

    @Context
    private ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext req) {
        Caller caller = (Caller) req.getProperty(Caller.PROPERTY);
        Access rule = ruleOf(resourceInfo.getResourceMethod(), resourceInfo.getResourceClass());
        if (caller == null || rule == null) {
            req.abortWith(Errors.response(403, "access to this route is not configured; it is refused"));
            return;
        }
        if (rule.value() == Access.Role.ANONYMOUS) {
            return;
        }
        if (caller.role() == Access.Role.ANONYMOUS) {
            // only reachable if a path let through as anonymous matched a protected method: refuse as unauthenticated
            req.abortWith(Errors.unauthorized("no credentials: send 'Authorization: Bearer <token>' or log in to the dashboard"));
            return;
        }
        if (rule.value() != caller.role()) {
            req.abortWith(Errors.response(403, switch (rule.value()) {
                case ADMIN -> "this route needs the admin token; a client token or the scrape token may not call it";
                case SCRAPE -> "this route is for Prometheus: call it with the scrape token (prometheus.scrape_token_file); "
                        + "the admin and client tokens do not open it, so that no Prometheus configuration holds them";
                default -> "this route is for agents: call it with a client token (the admin token is not a client identity)";
            }));
        }
    }

    static Access ruleOf(Method method, Class<?> resourceClass) {
        Access a = method == null ? null : method.getAnnotation(Access.class);
        if (a == null && resourceClass != null) {
            a = resourceClass.getAnnotation(Access.class);
        }
        return a;
    }
}
