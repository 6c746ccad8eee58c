package io.dcmon.transport.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param remoteWrite       the Prometheus remote-write forwarder's counters (queued, forwarded, dropped, ...), or
 *                          null when forwarding is off (then left out of the JSON)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatsView(Map<String, Integer> clients, long batches, long samplesReceived, long samplesStored,
                        long samplesRefused, double samplesPerMinute, int waitingPolls, long uptimeSeconds,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> remoteWrite) {

    /** Statistics without remote-write counters. */
    public StatsView(Map<String, Integer> clients, long batches, long samplesReceived, long samplesStored,
                     long samplesRefused, double samplesPerMinute, int waitingPolls, long uptimeSeconds) {
        this(clients, batches, samplesReceived, samplesStored, samplesRefused, samplesPerMinute, waitingPolls,
                uptimeSeconds, null);
    }
}
