package io.dcmon.transport.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.dcmon.core.service.OverloadedException;
import io.dcmon.core.service.RejectedException;
import io.dcmon.transport.wire.ErrorBody;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NoContentException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.CharacterCodingException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Turns every failure into a JSON {@code {"error": ...}} answer. Rejections and bad input become 4xx with a
 * message naming what was wrong (never echoing the body at length); anything unexpected becomes a 500 with a
 * generic text and an id, under which the stack trace is logged.
 */
final class ErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public Response toResponse(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Response r = known(t);
            if (r != null) {
                return r;
            }
        }
        return serverError(thrown);
    }

    private static Response known(Throwable t) {
        if (t instanceof RejectedException re) {
            int status = switch (re.reason()) {
                case INVALID -> 400;
                case UNAUTHENTICATED -> 401;
                case FORBIDDEN -> 403;
                case NOT_FOUND -> 404;
            };
            return status == 401 ? Errors.unauthorized(re.getMessage()) : Errors.response(status, re.getMessage());
        }
        if (t instanceof OverloadedException oe) {
            // the agent keeps the batch in its spool and retries after Retry-After
            return Response.fromResponse(Errors.response(503, oe.getMessage()))
                    .header("Retry-After", Long.toString(Math.max(1, oe.retryAfter().toSeconds()))).build();
        }
        if (t instanceof BodyRejectedException br) {
            return Errors.response(br.status(), br.getMessage());
        }
        if (t instanceof JsonProcessingException jpe) {
            return Errors.response(400, describe(jpe));
        }
        if (t instanceof NoContentException) {
            return Errors.response(400, "the request body is empty; send a JSON object");
        }
        if (t instanceof CharacterCodingException) {
            return Errors.response(400, "the request body is not valid UTF-8");
        }
        if (t instanceof WebApplicationException wae) {
            return web(wae);
        }
        return null;
    }

    private static Response web(WebApplicationException wae) {
        if (wae.getResponse().hasEntity()) {
            // our own code built this answer (e.g. a 503 with Retry-After): send it as is
            return wae.getResponse();
        }
        int status = wae.getResponse().getStatus();
        if (status >= 500) {
            return null;
        }
        if (wae.getCause() != null) {
            Response inner = known(wae.getCause());
            if (inner != null) {
                return inner;
            }
        }
        String message;
        if (wae instanceof NotFoundException) {
            message = "no such resource; see the API documentation for the routes";
        } else if (wae instanceof NotAllowedException) {
            message = "method not allowed here; allowed: " + wae.getResponse().getAllowedMethods();
        } else if (wae instanceof NotSupportedException) {
            message = "unsupported Content-Type; send " + MediaType.APPLICATION_JSON;
        } else if (status == 406) {
            message = "this route answers " + MediaType.APPLICATION_JSON + " only";
        } else {
            message = wae.getMessage();
        }
        Response.ResponseBuilder b = Response.fromResponse(wae.getResponse())
                .type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(Errors.clean(message)));
        return b.build();
    }

    /** Jackson's message without the source excerpt, plus where in the document and which field. */
    static String describe(JsonProcessingException e) {
        StringBuilder sb = new StringBuilder();
        if (e instanceof StreamConstraintsException || e.getCause() instanceof StreamConstraintsException) {
            sb.append("request body breaks a size limit: ");
        } else if (e instanceof UnrecognizedPropertyException u) {
            return "unknown property '" + Errors.clean(u.getPropertyName()) + "'" + at(e)
                    + "; known properties: " + u.getKnownPropertyIds();
        } else {
            sb.append("malformed JSON: ");
        }
        String original = e.getOriginalMessage();
        sb.append(original == null ? e.getClass().getSimpleName() : firstLine(original));
        sb.append(at(e));
        return sb.toString();
    }

    private static String at(JsonProcessingException e) {
        StringBuilder sb = new StringBuilder();
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            sb.append(" at ").append(path(jme));
        }
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            sb.append(String.format(Locale.ROOT, " (line %d, column %d)", loc.getLineNr(), loc.getColumnNr()));
        }
        return sb.toString();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName().length() > 64 ? ref.getFieldName().substring(0, 64) + "…" : ref.getFieldName());
            }
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static Response serverError(Throwable t) {
        String id = HexFormat.of().formatHex(randomBytes());
        log.error("dcmon-api: request failed with an unexpected error, error id {}", id, t);
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody("internal server error; the server log has the details under id " + id, id))
                .build();
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }
}
