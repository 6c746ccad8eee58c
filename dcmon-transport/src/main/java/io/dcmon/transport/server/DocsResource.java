package io.dcmon.transport.server;

import io.dcmon.core.service.RejectedException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.glassfish.jersey.server.ExtendedResourceContext;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/docs} (admin, dev mode only): the API description generated from the running Jersey model:
 * every route with its method, path, who may call it, and media types. In production it answers 404.
 */
@Singleton
@Path("/api/docs")
@Produces(MediaType.APPLICATION_JSON)
public final class DocsResource {

    private final ApiContext api;

    @Context
    private ExtendedResourceContext resourceContext;

    @Inject
    DocsResource(ApiContext api) {
        this.api = api;
    }

    /** The route list, sorted by path and method. */
    @GET
    @Access(Access.Role.ADMIN)
    public Map<String, Object> docs() {
        if (!api.services().devMode()) {
            throw new RejectedException(RejectedException.Reason.NOT_FOUND,
                    "API docs are served only in dev/test mode");
        }
        List<Map<String, Object>> routes = new ArrayList<>();
        for (Resource r : resourceContext.getResourceModel().getRootResources()) {
            walk(r, "", routes);
        }
        routes.sort(Comparator.comparing((Map<String, Object> m) -> (String) m.get("path")).thenComparing(m -> (String) m.get("method")));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", "dcmon API v1");
        doc.put("authentication", "every route needs 'Authorization: Bearer <token>': the admin token or a client token, as 'access' says");
        doc.put("routes", routes);
        return doc;
    }

    private static void walk(Resource r, String prefix, List<Map<String, Object>> out) {
        String path = (prefix + "/" + r.getPath()).replaceAll("/+", "/");
        for (ResourceMethod m : r.getResourceMethods()) {
            Map<String, Object> route = new LinkedHashMap<>();
            route.put("method", m.getHttpMethod());
            route.put("path", path);
            Access a = AuthorizationFilter.ruleOf(m.getInvocable().getDefinitionMethod(), m.getInvocable().getHandler().getHandlerClass());
            route.put("access", a == null ? "none" : a.value().name().toLowerCase(java.util.Locale.ROOT));
            route.put("consumes", m.getConsumedTypes().stream().map(Object::toString).toList());
            route.put("produces", m.getProducedTypes().stream().map(Object::toString).toList());
            route.put("long_poll", m.isSuspendDeclared());
            out.add(route);
        }
        for (Resource child : r.getChildResources()) {
            walk(child, path, out);
        }
    }
}
