package io.dcmon.transport.wire;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * One client in the fleet overview: the newest value of each headline metric, absent (null, omitted) when the
 * client never reported it. Temperatures are maxima over the matching sensors; GPU values are maxima over GPUs.
 *
 * @param clientId               client id
 * @param hostname               as reported by the agent (untrusted text)
 * @param status                 online / stale / offline
 * @param lastSeen               Unix seconds of the last push, or null
 * @param uptimeSeconds          {@code node_uptime_seconds}
 * @param cpuTempCelsius         max of IPMI temperature sensors whose name contains "CPU"
 * @param boardTempCelsius       max of the other IPMI temperature sensors
 * @param gpuCount               {@code nvidia_gpu_count}, else the number of GPUs reporting a temperature
 * @param gpuTempCelsius         max GPU temperature
 * @param gpuUtilPercent         max GPU utilisation
 * @param gpuPowerWatts          max GPU power draw
 * @param memoryPercent          used memory: 100 × (1 − available / total)
 * @param rootFsPercent          used space of {@code /}: 100 × (1 − avail / size)
 * @param load1                  {@code node_load1}
 * @param cpuCount               {@code node_cpu_count}
 * @param updatesPending         {@code apt_upgrades_pending}
 * @param securityUpdatesPending {@code apt_security_upgrades_pending}
 * @param rebootRequired         {@code node_reboot_required} = 1
 * @param fanMode                BMC fan mode name (standard, full, optimal, heavy_io) or {@code mode N}
 * @param failingCollectors      collectors whose latest {@code dcmon_collector_up} is 0 (while available)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FleetRow(long clientId, String hostname, String status, Long lastSeen, Double uptimeSeconds,
                       Double cpuTempCelsius, Double boardTempCelsius, Integer gpuCount, Double gpuTempCelsius,
                       Double gpuUtilPercent, Double gpuPowerWatts, Double memoryPercent, Double rootFsPercent,
                       Double load1, Integer cpuCount, Integer updatesPending, Integer securityUpdatesPending,
                       Boolean rebootRequired, String fanMode, List<String> failingCollectors) {
}
