package io.dcmon.transport.server;

import jakarta.ws.rs.Path;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/** Every route of the API, read from the Jersey application model the server actually runs. */
final class ApiRoutes {

    record Route(String method, String template, Access rule) {
        /** The path with every {@code {param}} replaced by {@code 1}. */
        String concretePath() {
            return template.replaceAll("\\{[^}]+}", "1");
        }

        @Override
        public String toString() {
            return method + " " + template + " (" + (rule == null ? "no rule" : rule.value()) + ")";
        }
    }

    private ApiRoutes() {
    }

    static List<Route> of(DcmonServices services) {
        ResourceConfig rc = DcmonHandler.resourceConfig(services);
        List<Route> routes = new ArrayList<>();
        for (Class<?> c : rc.getClasses()) {
            if (c.isAnnotationPresent(Path.class) && Resource.isAcceptable(c)) {
                walk(Resource.from(c), "", c, routes);
            }
        }
        return routes;
    }

    private static void walk(Resource r, String prefix, Class<?> cls, List<Route> out) {
        String path = join(prefix, r.getPath());
        for (ResourceMethod m : r.getResourceMethods()) {
            Method jm = m.getInvocable().getDefinitionMethod();
            out.add(new Route(m.getHttpMethod(), path, AuthorizationFilter.ruleOf(jm, cls)));
        }
        for (Resource child : r.getChildResources()) {
            walk(child, path, cls, out);
        }
    }

    private static String join(String a, String b) {
        if (b == null || b.isEmpty()) {
            return a.isEmpty() ? "/" : a;
        }
        String left = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
        return left + (b.startsWith("/") ? b : "/" + b);
    }
}
