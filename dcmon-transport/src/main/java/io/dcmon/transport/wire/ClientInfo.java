package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Answer to {@code GET /api/client/verify}: who the presented client token belongs to.
 * JSON: {@code {"client_id":7,"hostname":"gpu-01"}}.
 *
 * @param clientId the client's id
 * @param hostname as registered
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClientInfo(long clientId, String hostname) {
}
