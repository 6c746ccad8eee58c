package io.dcmon.transport.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dcmon.transport.wire.ErrorBody;
import io.dcmon.transport.wire.Json;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Jetty error pages as dcmon JSON ({@code {"error":"..."}}) instead of HTML, for the few errors Jetty answers
 * itself (a malformed request line, a path outside the context, an exception escaping Jersey). Stack traces are
 * never shown; Jersey-level errors are handled by {@link ErrorMapper} before they get here.
 */
final class JsonErrorHandlers {

    private JsonErrorHandlers() {
    }

    /** For a {@code Server} (errors outside any context). */
    static org.eclipse.jetty.server.handler.ErrorHandler server() {
        return new Core();
    }

    /** For the API's servlet context. */
    static org.eclipse.jetty.ee11.servlet.ErrorHandler servlet() {
        return new Servlet();
    }

    static String body(int code, String message) {
        String text = message == null || message.isBlank() || code >= 500 ? HttpStatus.getMessage(code) : message;
        try {
            return Json.mapper().writeValueAsString(ErrorBody.of(Errors.clean(text)));
        } catch (JsonProcessingException e) {
            return "{\"error\":\"" + code + "\"}";
        }
    }

    private static final class Core extends org.eclipse.jetty.server.handler.ErrorHandler {
        Core() {
            setShowStacks(false);
            setShowCauses(false);
            setDefaultResponseMimeType("application/json");
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
            return super.generateAcceptableResponse(request, response, callback, "application/json", charsets, code, message, cause);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(code, message));
        }
    }

    private static final class Servlet extends org.eclipse.jetty.ee11.servlet.ErrorHandler {
        Servlet() {
            setShowStacks(false);
            setShowCauses(false);
            setDefaultResponseMimeType("application/json");
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
            return super.generateAcceptableResponse(request, response, callback, "application/json", charsets, code, message, cause);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(code, message));
        }
    }
}
