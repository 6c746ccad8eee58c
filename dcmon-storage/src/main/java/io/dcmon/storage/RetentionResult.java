package io.dcmon.storage;

/**
 * What a retention pass removed.
 *
 * @param samplesDeleted sample rows deleted
 * @param seriesDeleted  series deleted because no samples were left
 * @param bytesBefore    database size before the pass
 * @param bytesAfter     database size after the pass and the incremental vacuum
 */
public record RetentionResult(long samplesDeleted, long seriesDeleted, long bytesBefore, long bytesAfter) {
}
