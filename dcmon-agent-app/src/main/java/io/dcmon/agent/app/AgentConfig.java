package io.dcmon.agent.app;

import io.dcmon.agent.CommandExecutor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The agent's effective configuration, after {@code /etc/dcmon/agent.yaml} and the command-line flags.
 *
 * @param server       server base URI, or null to use the one saved at registration
 * @param authDir      key, token and server pin (mode 700)
 * @param interval     how often a batch is pushed
 * @param spoolDir     where unsent batches wait
 * @param spoolMaxBytes bound of the spool
 * @param spoolMaxAge  batches older than this are dropped
 * @param logLevel     trace, debug, info, warn or error
 * @param tools        per external tool: binary path, extra arguments, timeout (keys: nvidia_smi, ipmitool, nvme, smartctl, apt_get, ipmicfg)
 * @param bmc          how ipmitool reaches the BMC: null for the local /dev/ipmi0, else over the LAN
 * @param fanMinimumDutyPercent lowest zone duty the agent will set (fan control refuses lower values)
 * @param commands     which command types the agent runs, and its fan-restore and reboot settings
 */
public record AgentConfig(URI server, Path authDir, Duration interval, Path spoolDir, long spoolMaxBytes,
                          Duration spoolMaxAge, String logLevel, Map<String, ToolConfig> tools, BmcConfig bmc,
                          int fanMinimumDutyPercent, CommandExecutor.Policy commands) {

    /** Accepted log levels. */
    public static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    public AgentConfig {
        Objects.requireNonNull(authDir, "auth_dir");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(spoolDir, "spool_dir");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("interval was '" + interval.toSeconds() + "' but it must be at least 1 (seconds)");
        }
        if (spoolMaxBytes < 1024 * 1024) {
            throw new IllegalArgumentException("spool_max_mb must be at least 1");
        }
        logLevel = logLevel == null ? "info" : logLevel.toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new IllegalArgumentException("log_level was '" + logLevel + "' but it must be one of trace, debug, info, warn, error");
        }
        tools = tools == null ? Map.of() : Map.copyOf(tools);
        commands = commands == null ? CommandExecutor.Policy.defaults() : commands;
        if (fanMinimumDutyPercent < 0 || fanMinimumDutyPercent > 100) {
            throw new IllegalArgumentException("fans.minimum_duty_percent was " + fanMinimumDutyPercent + " but it must be within 0..100");
        }
    }

    /** Defaults for an installed agent: secrets in /etc/dcmon/auth, spool in /var/lib/dcmon-agent/spool, 30 s. */
    public static AgentConfig defaults() {
        return new AgentConfig(null, Path.of("/etc/dcmon/auth"), Duration.ofSeconds(30), Path.of("/var/lib/dcmon-agent/spool"),
                256L * 1024 * 1024, Duration.ofDays(7), "info", Map.of(), null, 25, CommandExecutor.Policy.defaults());
    }

    /** A copy with another auth dir; the spool moves beside it unless configured elsewhere. */
    AgentConfig withAuthDir(Path dir, boolean moveSpool) {
        return new AgentConfig(server, dir, interval, moveSpool ? dir.resolve("spool") : spoolDir, spoolMaxBytes, spoolMaxAge,
                logLevel, tools, bmc, fanMinimumDutyPercent, commands);
    }

    /**
     * How to run one external tool.
     *
     * @param path    binary path or name on PATH
     * @param args    extra arguments placed before the collector's own (e.g. ipmitool's -I lanplus -H …)
     * @param timeout per call
     */
    public record ToolConfig(String path, java.util.List<String> args, Duration timeout) {
        public ToolConfig {
            args = args == null ? java.util.List.of() : java.util.List.copyOf(args);
        }
    }

    /**
     * A BMC reached over the network ({@code ipmitool -I lanplus}).
     *
     * @param host         BMC address
     * @param port         RMCP+ port, 623 by default
     * @param user         BMC user
     * @param passwordFile file holding the password (never put the password itself in the config)
     * @param cipherSuite  {@code -C} cipher suite, 3 by default
     */
    public record BmcConfig(String host, int port, String user, Path passwordFile, int cipherSuite) {
        public BmcConfig {
            Objects.requireNonNull(host, "bmc.host");
            Objects.requireNonNull(user, "bmc.user");
            Objects.requireNonNull(passwordFile, "bmc.password_file");
        }
    }
}
