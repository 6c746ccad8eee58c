package io.dcmon.hardware.ipmi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a parser read from one tool output: every sensor row in order, and how many lines it skipped
 * because they were not sensor rows (banners, headers, blank lines). Immutable and thread-safe.
 *
 * @param sensors      all sensor rows, readable or not
 * @param skippedLines lines that were not sensor rows
 */
public record IpmiReadings(List<SensorReading> sensors, int skippedLines) {

    public IpmiReadings {
        sensors = List.copyOf(Objects.requireNonNull(sensors, "sensors"));
        if (skippedLines < 0) {
            throw new IllegalArgumentException("skippedLines was " + skippedLines + " but it must not be negative");
        }
    }

    /** The sensors that gave a reading. */
    public List<SensorReading> readable() {
        return sensors.stream().filter(SensorReading::readable).toList();
    }

    /** The first sensor with this name, if any. */
    public Optional<SensorReading> find(String name) {
        return sensors.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
