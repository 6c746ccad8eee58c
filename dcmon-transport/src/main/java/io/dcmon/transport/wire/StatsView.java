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
 * @param series            series in the store (null when the store does not report statistics)
 * @param samples           samples in the store, rows plus compressed; approximate (counted at most every 10 minutes,
 *                          kept current by counting inserts and retention deletes in between)
 * @param databaseBytes     bytes of the database on disk
 * @param oldestSample      epoch seconds of the oldest stored sample; null when none
 * @param ingestPerSecond   samples newly stored per second over about the last minute
 * @param writeQueueDepth   writes waiting for the store's writer right now
 * @param remoteWrite       the Prometheus remote-write forwarder's counters (queued, forwarded, dropped, ...), or
 *                          null when forwarding is off (then left out of the JSON)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatsView(Map<String, Integer> clients, long batches, long samplesReceived, long samplesStored,
                        long samplesRefused, double samplesPerMinute, int waitingPolls, long uptimeSeconds,
                        Long series, Long samples, Long databaseBytes, Long oldestSample, Double ingestPerSecond,
                        Integer writeQueueDepth, @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> remoteWrite) {
}
