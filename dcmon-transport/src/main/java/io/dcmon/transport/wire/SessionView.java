package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A dashboard session as its own page sees it (the session id itself stays in the HttpOnly cookie).
 *
 * @param csrfToken what every state-changing request of this session sends in the {@code X-CSRF-Token} header
 * @param expiresAt when the session ends, Unix seconds
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SessionView(String csrfToken, long expiresAt) {
}
