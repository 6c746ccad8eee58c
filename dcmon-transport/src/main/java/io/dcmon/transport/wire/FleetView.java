package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/fleet}: every client's headline values plus the thresholds the dashboard colours them by.
 *
 * @param generatedAt           Unix seconds
 * @param clientIntervalSeconds the agents' push interval the status is judged by
 * @param thresholds            by {@link FleetRow} field name (snake_case); load1 is compared per CPU
 * @param clients               one row per registered client, by id
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FleetView(long generatedAt, long clientIntervalSeconds, Map<String, Threshold> thresholds,
                        List<FleetRow> clients) {

    /**
     * When a value turns amber ({@code warn}) and red ({@code crit}); both inclusive.
     *
     * @param warn warning level
     * @param crit critical level, at least {@code warn}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Threshold(double warn, double crit) {
        public Threshold {
            if (!(crit >= warn)) {
                throw new IllegalArgumentException("threshold crit was " + crit + " but it must be at least warn (" + warn + ")");
            }
        }
    }

    /**
     * The one place the dashboard's colours are decided: CPU 80/90 °C, board 65/80 °C, GPU 83/90 °C,
     * memory and root filesystem 85/95 %, load per CPU 1.0/2.0.
     */
    public static Map<String, Threshold> defaultThresholds() {
        Map<String, Threshold> m = new LinkedHashMap<>();
        m.put("cpu_temp_celsius", new Threshold(80, 90));
        m.put("board_temp_celsius", new Threshold(65, 80));
        m.put("gpu_temp_celsius", new Threshold(83, 90));
        m.put("memory_percent", new Threshold(85, 95));
        m.put("root_fs_percent", new Threshold(85, 95));
        m.put("load1", new Threshold(1.0, 2.0));
        return m;
    }
}
