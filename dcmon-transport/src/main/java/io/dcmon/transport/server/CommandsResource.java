package io.dcmon.transport.server;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.Command;
import io.dcmon.core.model.CommandStatus;
import io.dcmon.core.service.RejectedException;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.CommandView;
import io.dcmon.transport.wire.CommandsResponse;
import io.dcmon.transport.wire.NewCommand;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Locale;
import java.util.Optional;

/**
 * Commands: queue (admin), list (admin), long-poll (the client itself), report results (the client, own commands only).
 */
@Singleton
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public final class CommandsResource {

    /** Most commands one listing returns. */
    static final int MAX_LIST = 1000;

    private final ApiContext api;

    @Inject
    CommandsResource(ApiContext api) {
        this.api = api;
    }

    /** Queues a command for a client; answers 201 with it. Parameters are validated by type. */
    @POST
    @Path("commands")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Access.Role.ADMIN)
    public Response create(NewCommand body) {
        if (body == null) {
            throw RejectedException.invalid("the request body is empty; send {\"client_id\":…,\"type\":…,\"params\":{…}}");
        }
        Command c = api.requireCommands().create(body, "admin");
        return Response.status(201).entity(CommandView.of(c)).build();
    }

    /** Lists commands, newest first: {@code ?client_id=&status=queued|delivered|succeeded|failed|expired&limit=}. */
    @GET
    @Path("commands")
    @Access(Access.Role.ADMIN)
    public CommandsResponse list(@QueryParam("client_id") String clientId, @QueryParam("status") String status,
                                 @QueryParam("limit") String limit) {
        Optional<Long> client = clientId == null ? Optional.empty() : Optional.of(Params.longValue("client_id", clientId));
        Optional<CommandStatus> st = Optional.empty();
        if (status != null) {
            try {
                st = Optional.of(CommandStatus.valueOf(status.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw RejectedException.invalid("status was '" + Errors.clean(status)
                        + "'; it must be queued, delivered, succeeded, failed or expired");
            }
        }
        long max = limit == null ? 100 : Params.longValue("limit", limit);
        if (max < 1 || max > MAX_LIST) {
            throw RejectedException.invalid("limit was " + max + "; it must be from 1 to " + MAX_LIST);
        }
        return new CommandsResponse(api.requireCommands().list(client, st, (int) max).stream().map(CommandView::of).toList());
    }

    /**
     * The client's long-poll: answers at once with its queued commands, else holds the request (no thread held)
     * until a command is queued or {@code wait} seconds pass (default: the server's long-poll timeout), then
     * answers {@code {"commands":[]}}.
     */
    @GET
    @Path("commands/{client_id}")
    @Access(Access.Role.CLIENT)
    public void poll(@PathParam("client_id") String clientIdText, @QueryParam("wait") String wait,
                     @Context ContainerRequestContext req, @Suspended AsyncResponse async) {
        Client me = ((Caller) req.getProperty(Caller.PROPERTY)).client();
        long clientId = Params.longValue("client_id", clientIdText);
        if (clientId != me.id()) {
            throw new RejectedException(RejectedException.Reason.FORBIDDEN, "a client may poll only its own commands: this token belongs to client "
                    + me.id() + ", not " + clientId);
        }
        CommandHub commands = api.requireCommands();
        long maxMs = api.services().options().longPollTimeout().toMillis();
        long waitMs = maxMs;
        if (wait != null) {
            long s = Params.longValue("wait", wait);
            if (s < 0 || s * 1000 > maxMs) {
                throw RejectedException.invalid("wait was " + s + "; it must be from 0 to " + maxMs / 1000 + " seconds");
            }
            waitMs = s * 1000;
        }
        if (waitMs == 0) {
            async.resume(CommandWaiters.answer(commands.takeNow(clientId)));
            return;
        }
        commands.waiters.await(new CommandWaiters.Waiter(clientId, async), waitMs);
    }

    /** The client reports the result of one of its delivered commands. */
    @POST
    @Path("command-results")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Access.Role.CLIENT)
    public CommandView result(CommandResult body, @Context ContainerRequestContext req) {
        if (body == null) {
            throw RejectedException.invalid("the request body is empty; send {\"command_id\":…,\"exit_status\":…,\"output\":…}");
        }
        Client me = ((Caller) req.getProperty(Caller.PROPERTY)).client();
        return CommandView.of(api.requireCommands().finish(me.id(), body));
    }
}
