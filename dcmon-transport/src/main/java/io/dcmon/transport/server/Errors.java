package io.dcmon.transport.server;

import io.dcmon.transport.wire.ErrorBody;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Building JSON error responses the same way everywhere. */
final class Errors {

    /** Longest message sent back: messages may quote input, and input must not be echoed at length. */
    static final int MAX_MESSAGE = 400;

    private Errors() {
    }

    static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(clean(message))).build();
    }

    static Response unauthorized(String message) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"dcmon\"")
                .type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(clean(message))).build();
    }

    /** Truncates and strips control characters, so a message quoting input stays short and one line. */
    static String clean(String message) {
        if (message == null || message.isBlank()) {
            return "request refused";
        }
        StringBuilder sb = new StringBuilder(Math.min(message.length(), MAX_MESSAGE + 1));
        for (int i = 0; i < message.length() && sb.length() < MAX_MESSAGE; i++) {
            char c = message.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (message.length() > MAX_MESSAGE) {
            sb.append('…');
        }
        return sb.toString();
    }
}
