package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Answer to {@code GET /health}: {@code {"status":"ok","database":"ok","clients":3,"uptime_seconds":12}}.
 *
 * @param status        {@code ok} or {@code degraded}
 * @param database      {@code ok}, or what failed
 * @param clients       registered clients, -1 when the database could not be read
 * @param uptimeSeconds since the API was created
 * @param writeQueueDepth    writes waiting for the store's writer; null when the store does not report it
 * @param writeQueueCapacity appends that may wait before new ones get 503; 0 when unbounded, null when unknown
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HealthView(String status, String database, int clients, long uptimeSeconds, Integer writeQueueDepth,
                         Integer writeQueueCapacity) {
}
