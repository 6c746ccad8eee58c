package io.dcmon.transport.server;

import io.dcmon.core.service.RegistrationService;
import io.dcmon.core.service.RejectedException;
import io.dcmon.transport.wire.RegisterRequest;
import io.dcmon.transport.wire.RegisterResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/register}: the admin token plus a signed proof of key possession give a client id and token. */
@Singleton
@Path("/api/register")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class RegisterResource {

    private final ApiContext api;

    @Inject
    RegisterResource(ApiContext api) {
        this.api = api;
    }

    /** Registers an agent (same key → same id, fresh token; the old token stops working at once). */
    @POST
    @Access(Access.Role.ADMIN)
    public RegisterResponse register(RegisterRequest body, @Context HttpServletRequest http) {
        if (body == null) {
            throw RejectedException.invalid("the request body is empty; send the signed registration as JSON");
        }
        RegistrationService.Registration r;
        try {
            r = api.services().registration().register(body.toCore());
        } catch (RejectedException e) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("address", http.getRemoteAddr());
            f.put("hostname", Errors.clean(body.hostname()));
            f.put("reason", e.getMessage());
            api.audit().record("register_refused", f);
            throw e;
        }
        api.tokens().invalidateClient(r.client().id());
        api.audit().record("register", AuditLog.fields("client_id", r.client().id(), "hostname", r.client().hostname(),
                "key_sha256", r.client().keyFingerprint(), "address", http.getRemoteAddr()));
        return new RegisterResponse(r.client().id(), r.token());
    }
}
