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
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}; {@link Builder#build()} validates. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().server(server).authDir(authDir).interval(interval).spoolDir(spoolDir).spoolMaxBytes(spoolMaxBytes)
                .spoolMaxAge(spoolMaxAge).logLevel(logLevel).tools(tools).bmc(bmc).fanMinimumDutyPercent(fanMinimumDutyPercent)
                .commands(commands);
    }

    /** A copy with another auth dir; the spool moves beside it unless configured elsewhere. */
    AgentConfig withAuthDir(Path dir, boolean moveSpool) {
        return toBuilder().authDir(dir).spoolDir(moveSpool ? dir.resolve("spool") : spoolDir).build();
    }

    /** Builds an {@link AgentConfig} (eleven components, most of them optional); not thread-safe. */
    public static final class Builder {
        private URI server;
        private Path authDir = Path.of("/etc/dcmon/auth");
        private Duration interval = Duration.ofSeconds(30);
        private Path spoolDir = Path.of("/var/lib/dcmon-agent/spool");
        private long spoolMaxBytes = 256L * 1024 * 1024;
        private Duration spoolMaxAge = Duration.ofDays(7);
        private String logLevel = "info";
        private Map<String, ToolConfig> tools = Map.of();
        private BmcConfig bmc;
        private int fanMinimumDutyPercent = 25;
        private CommandExecutor.Policy commands = CommandExecutor.Policy.defaults();

        private Builder() {
        }

        /** Server base URI; null (the default) uses the one saved at registration. */
        public Builder server(URI server) {
            this.server = server;
            return this;
        }

        /** Where key, token and pin live (default /etc/dcmon/auth). */
        public Builder authDir(Path authDir) {
            this.authDir = authDir;
            return this;
        }

        /** Push interval (default 30 s). */
        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /** Where unsent batches wait (default /var/lib/dcmon-agent/spool). */
        public Builder spoolDir(Path spoolDir) {
            this.spoolDir = spoolDir;
            return this;
        }

        /** Bound of the spool in bytes (default 256 MiB). */
        public Builder spoolMaxBytes(long spoolMaxBytes) {
            this.spoolMaxBytes = spoolMaxBytes;
            return this;
        }

        /** Age after which spooled batches are dropped (default 7 days). */
        public Builder spoolMaxAge(Duration spoolMaxAge) {
            this.spoolMaxAge = spoolMaxAge;
            return this;
        }

        /** trace, debug, info (default), warn or error. */
        public Builder logLevel(String logLevel) {
            this.logLevel = logLevel;
            return this;
        }

        /** Per external tool: path, arguments, timeout (default none: each tool by its name on PATH). */
        public Builder tools(Map<String, ToolConfig> tools) {
            this.tools = tools;
            return this;
        }

        /** A BMC over the LAN; null (the default) for the local /dev/ipmi0. */
        public Builder bmc(BmcConfig bmc) {
            this.bmc = bmc;
            return this;
        }

        /** Lowest zone duty fan control sets (default 25). */
        public Builder fanMinimumDutyPercent(int percent) {
            this.fanMinimumDutyPercent = percent;
            return this;
        }

        /** Which command types run (default {@link CommandExecutor.Policy#defaults()}). */
        public Builder commands(CommandExecutor.Policy commands) {
            this.commands = commands;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming the value that is out of range
         */
        public AgentConfig build() {
            return new AgentConfig(server, authDir, interval, spoolDir, spoolMaxBytes, spoolMaxAge, logLevel, tools, bmc,
                    fanMinimumDutyPercent, commands);
        }
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
