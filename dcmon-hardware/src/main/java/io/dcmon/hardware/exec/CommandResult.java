package io.dcmon.hardware.exec;

import java.time.Duration;

/**
 * What a finished process left behind.
 *
 * @param exitCode process exit status
 * @param stdout   captured standard output (capped)
 * @param stderr   captured standard error (capped)
 * @param elapsed  wall time from start to exit
 */
public record CommandResult(int exitCode, String stdout, String stderr, Duration elapsed) {
}
