package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Map;

/**
 * Answer to {@code GET /api/stats}.
 *
 * @param clients           registered clients by status (online, stale, offline)
 * @param batches           metric batches accepted since start
 * @param samplesReceived   samples received since start
 * @param samplesStored     samples newly stored since start
 * @param samplesRefused    samples refused one by one since start
 * @param samplesPerMinute  stored samples per minute, averaged since start
 * @param waitingPolls      command long-polls waiting right now
 * @param uptimeSeconds     since the API was created
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatsView(Map<String, Integer> clients, long batches, long samplesReceived, long samplesStored,
                        long samplesRefused, double samplesPerMinute, int waitingPolls, long uptimeSeconds) {
}
