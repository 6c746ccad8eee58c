package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Objects;

/**
 * Answer to a registration: the client's stable id and its new token (shown once; the server keeps only its hash).
 * JSON: {@code {"client_id": 7, "client_token": "..."}}.
 *
 * @param clientId    stable id, the same when the same key registers again
 * @param clientToken bearer token for the client routes; a secret: never log it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RegisterResponse(long clientId, String clientToken) {
    public RegisterResponse {
        Objects.requireNonNull(clientToken, "clientToken");
    }

    @Override
    public String toString() {
        return "RegisterResponse[clientId=" + clientId + ", clientToken=<masked>]";
    }
}
