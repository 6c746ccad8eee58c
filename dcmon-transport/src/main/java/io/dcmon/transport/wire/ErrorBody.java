package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Objects;

/**
 * Every error answer: {@code {"error":"what was wrong and what to do"}}, plus {@code "id"} on a 5xx, under which
 * the server logged the details.
 *
 * @param error human-readable message naming the field, value or limit
 * @param id    error id for server-side failures, else null (omitted)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ErrorBody(String error, String id) {
    public ErrorBody {
        Objects.requireNonNull(error, "error");
    }

    /** An error without an id (every 4xx). */
    public static ErrorBody of(String error) {
        return new ErrorBody(error, null);
    }
}
