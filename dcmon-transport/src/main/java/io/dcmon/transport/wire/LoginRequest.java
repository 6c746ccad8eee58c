package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The dashboard's login: {@code POST /ui/login} with {@code {"token":"<admin token>"}}.
 *
 * @param token the server's admin token
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LoginRequest(String token) {
}
