package io.dcmon.agent.app;

import io.dcmon.agent.CommandExecutor;
import io.dcmon.core.config.ConfigErrors;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code agent.yaml}, reporting every problem at once. Unknown keys are errors, with a hint. */
final class AgentConfigLoader {

    static final Path DEFAULT_FILE = Path.of("/etc/dcmon/agent.yaml");
    static final Set<String> KEYS = Set.of("server", "auth_dir", "interval", "spool_dir", "spool_max_mb",
            "spool_max_age_hours", "log_level", "tools", "bmc", "fans", "commands");
    static final Set<String> COMMAND_KEYS = Set.of("allowed", "restore_fans_after_minutes", "reboot_command");
    static final Set<String> COMMAND_TYPES = Set.of("fan_control", "config_update", "reboot");
    static final Set<String> BMC_KEYS = Set.of("host", "port", "user", "password_file", "cipher_suite");
    static final Set<String> FAN_KEYS = Set.of("minimum_duty_percent");
    static final Set<String> TOOLS = Set.of("nvidia_smi", "ipmitool", "nvme", "smartctl", "apt_get", "ipmicfg", "dmidecode");
    static final Set<String> TOOL_KEYS = Set.of("path", "args", "timeout_seconds");

    private AgentConfigLoader() {
    }

    static AgentConfig load(Path file) throws IOException {
        YamlNode root = YamlNode.parse(Files.readString(file));
        AgentConfig d = AgentConfig.defaults();
        if (root.isNull()) {
            return d;
        }
        ConfigErrors errors = new ConfigErrors(file.toString());
        if (!root.isObject()) {
            errors.add("the file must be a mapping of keys to values");
            errors.throwIfAny();
        }
        URI server = d.server();
        Path authDir = d.authDir();
        Duration interval = d.interval();
        Path spoolDir = d.spoolDir();
        long spoolBytes = d.spoolMaxBytes();
        Duration spoolAge = d.spoolMaxAge();
        String level = d.logLevel();
        Map<String, AgentConfig.ToolConfig> tools = new HashMap<>();
        AgentConfig.BmcConfig bmc = null;
        int minDuty = d.fanMinimumDutyPercent();
        CommandExecutor.Policy commands = d.commands();
        for (var it = root.fields(); it.hasNext(); ) {
            var e = it.next();
            YamlNode n = e.getValue();
            switch (e.getKey()) {
                case "server" -> server = uri(n, errors);
                case "auth_dir" -> authDir = Path.of(text(n, "auth_dir", errors, authDir.toString()));
                case "interval" -> interval = Duration.ofSeconds(positive(n, "interval", errors, interval.toSeconds()));
                case "spool_dir" -> spoolDir = Path.of(text(n, "spool_dir", errors, spoolDir.toString()));
                case "spool_max_mb" -> spoolBytes = positive(n, "spool_max_mb", errors, spoolBytes >> 20) << 20;
                case "spool_max_age_hours" -> spoolAge = Duration.ofHours(positive(n, "spool_max_age_hours", errors, spoolAge.toHours()));
                case "log_level" -> level = text(n, "log_level", errors, level);
                case "tools" -> readTools(n, errors, tools);
                case "bmc" -> bmc = readBmc(n, errors);
                case "commands" -> commands = readCommands(n, errors, commands);
                case "fans" -> {
                    for (var f = n.fields(); f.hasNext(); ) {
                        var kv = f.next();
                        if (kv.getKey().equals("minimum_duty_percent")) {
                            minDuty = (int) positive(kv.getValue(), "fans.minimum_duty_percent", errors, minDuty);
                        } else {
                            errors.unknownKey("fans", kv.getKey(), FAN_KEYS);
                        }
                    }
                }
                default -> errors.unknownKey("", e.getKey(), KEYS);
            }
        }
        errors.throwIfAny();
        try {
            return AgentConfig.builder().server(server).authDir(authDir).interval(interval).spoolDir(spoolDir).spoolMaxBytes(spoolBytes)
                    .spoolMaxAge(spoolAge).logLevel(level).tools(tools).bmc(bmc).fanMinimumDutyPercent(minDuty).commands(commands)
                    .build();
        } catch (IllegalArgumentException ex) {
            errors.add(ex.getMessage());
            errors.throwIfAny();
            throw ex;
        }
    }

    private static void readTools(YamlNode n, ConfigErrors errors, Map<String, AgentConfig.ToolConfig> out) {
        if (!n.isObject()) {
            errors.add("tools must be a mapping of tool name to {path, args, timeout_seconds}");
            return;
        }
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            String tool = e.getKey();
            if (!TOOLS.contains(tool)) {
                errors.unknownKey("tools", tool, TOOLS);
                continue;
            }
            String path = null;
            List<String> args = new ArrayList<>();
            Duration timeout = null;
            for (var f = e.getValue().fields(); f.hasNext(); ) {
                var kv = f.next();
                String where = "tools." + tool + "." + kv.getKey();
                switch (kv.getKey()) {
                    case "path" -> path = text(kv.getValue(), where, errors, null);
                    case "args" -> {
                        if (!kv.getValue().isArray()) {
                            errors.add(where + " must be a list of strings, e.g. [\"-I\", \"lanplus\"]");
                        } else {
                            kv.getValue().forEach(a -> args.add(a.asText()));
                        }
                    }
                    case "timeout_seconds" -> timeout = Duration.ofSeconds(positive(kv.getValue(), where, errors, 10));
                    default -> errors.unknownKey("tools." + tool, kv.getKey(), TOOL_KEYS);
                }
            }
            out.put(tool, new AgentConfig.ToolConfig(path, args, timeout));
        }
    }

    private static CommandExecutor.Policy readCommands(YamlNode n, ConfigErrors errors, CommandExecutor.Policy d) {
        Set<String> allowed = d.allowedTypes();
        Duration restore = d.restoreAfterServerLost();
        List<String> reboot = d.rebootCommand();
        for (var f = n.fields(); f.hasNext(); ) {
            var kv = f.next();
            String where = "commands." + kv.getKey();
            switch (kv.getKey()) {
                case "allowed" -> allowed = new java.util.HashSet<>(strings(kv.getValue(), where, errors));
                case "restore_fans_after_minutes" -> restore = Duration.ofMinutes(positive(kv.getValue(), where, errors, restore.toMinutes()));
                case "reboot_command" -> reboot = strings(kv.getValue(), where, errors);
                default -> errors.unknownKey("commands", kv.getKey(), COMMAND_KEYS);
            }
        }
        for (String t : allowed) {
            if (!COMMAND_TYPES.contains(t)) {
                errors.add("commands.allowed lists '" + t + "', which is not a command type;" + ConfigErrors.didYouMean(t, COMMAND_TYPES));
            }
        }
        if (reboot.isEmpty()) {
            errors.add("commands.reboot_command must not be empty");
            reboot = d.rebootCommand();
        }
        return new CommandExecutor.Policy(allowed, restore, reboot);
    }

    private static List<String> strings(YamlNode n, String where, ConfigErrors errors) {
        List<String> out = new ArrayList<>();
        if (!n.isArray()) {
            errors.add(where + " must be a list of strings");
            return out;
        }
        n.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static AgentConfig.BmcConfig readBmc(YamlNode n, ConfigErrors errors) {
        String host = null;
        String user = null;
        String passwordFile = null;
        int port = 623;
        int cipher = 3;
        for (var f = n.fields(); f.hasNext(); ) {
            var kv = f.next();
            String where = "bmc." + kv.getKey();
            switch (kv.getKey()) {
                case "host" -> host = text(kv.getValue(), where, errors, null);
                case "user" -> user = text(kv.getValue(), where, errors, null);
                case "password_file" -> passwordFile = text(kv.getValue(), where, errors, null);
                case "port" -> port = (int) positive(kv.getValue(), where, errors, port);
                case "cipher_suite" -> cipher = (int) positive(kv.getValue(), where, errors, cipher);
                default -> errors.unknownKey("bmc", kv.getKey(), BMC_KEYS);
            }
        }
        if (host == null || user == null || passwordFile == null) {
            errors.add("bmc needs host, user and password_file (a file holding the BMC password, mode 600)");
            return null;
        }
        return new AgentConfig.BmcConfig(host, port, user, Path.of(passwordFile), cipher);
    }

    private static URI uri(YamlNode n, ConfigErrors errors) {
        String s = text(n, "server", errors, null);
        if (s == null) {
            return null;
        }
        try {
            URI u = URI.create(s);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
                errors.add("server was '" + s + "' but it must be an http:// or https:// URL");
                return null;
            }
            return u;
        } catch (IllegalArgumentException e) {
            errors.add("server was '" + s + "' but it is not a URL: " + e.getMessage());
            return null;
        }
    }

    private static String text(YamlNode n, String key, ConfigErrors errors, String fallback) {
        if (!n.isTextual() || n.asText().isBlank()) {
            errors.add(key + " was '" + n + "' but it must be a non-empty string");
            return fallback;
        }
        return n.asText();
    }

    private static long positive(YamlNode n, String key, ConfigErrors errors, long fallback) {
        if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 1) {
            errors.add(key + " was '" + n + "' but it must be a whole number of at least 1");
            return fallback;
        }
        return n.asLong();
    }
}
