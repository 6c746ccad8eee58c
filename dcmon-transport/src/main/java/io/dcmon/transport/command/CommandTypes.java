package io.dcmon.transport.command;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The command types an operator can queue and their typed parameters, validated in one place so the server refuses
 * a bad command with a message naming the field, and an agent can re-check what it received with the same rules.
 *
 * <ul>
 *   <li>{@code fan_control}: {@code action} = {@code status} | {@code set_mode} {mode: standard|full|optimal|heavy_io}
 *       | {@code set_duty} {zone: 0|1, percent: 0..100, duration_seconds: 1..86400 optional: after it the agent restores
 *       the BMC's automatic mode}</li>
 *   <li>{@code reboot}: {@code delay_seconds} 0..86400, optional (default 0)</li>
 *   <li>{@code config_update}: {@code interval} seconds 5..3600 and/or {@code collectors}: list of collector names</li>
 * </ul>
 * Validated parameters are returned as strings (the form commands are stored in); lists are comma-joined.
 */
public final class CommandTypes {

    /** BMC fan control (Supermicro). */
    public static final String FAN_CONTROL = "fan_control";
    /** Reboot the machine. */
    public static final String REBOOT = "reboot";
    /** Change the agent's interval and/or enabled collectors. */
    public static final String CONFIG_UPDATE = "config_update";
    /** All known types. */
    public static final Set<String> TYPES = Set.of(FAN_CONTROL, REBOOT, CONFIG_UPDATE);
    /** Fan modes {@code set_mode} accepts (Supermicro 0 standard, 1 full, 2 optimal, 4 heavy I/O). */
    public static final Set<String> FAN_MODES = new LinkedHashSet<>(List.of("standard", "full", "optimal", "heavy_io"));
    /** Most collectors in one {@code config_update}. */
    public static final int MAX_COLLECTORS = 32;

    private static final Pattern COLLECTOR = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    private CommandTypes() {
    }

    /**
     * Checks a command's parameters.
     *
     * @param type   command type
     * @param params JSON object of parameters, or null/absent for none
     * @return canonical string parameters
     * @throws IllegalArgumentException naming the field, the value and what is allowed
     */
    public static Map<String, String> validate(String type, JsonNode params) {
        if (type == null || !TYPES.contains(type)) {
            throw new IllegalArgumentException("type '" + clip(type) + "' is not a command type; use one of " + new TreeSet<>(TYPES));
        }
        if (params != null && !params.isNull() && !params.isObject()) {
            throw new IllegalArgumentException("params must be a JSON object");
        }
        JsonNode p = params == null || params.isNull() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : params;
        Map<String, String> out = new LinkedHashMap<>();
        switch (type) {
            case FAN_CONTROL -> fanControl(p, out);
            case REBOOT -> {
                allowOnly(p, "reboot", "delay_seconds");
                out.put("delay_seconds", Integer.toString(p.has("delay_seconds") ? intIn(p, "delay_seconds", 0, 86_400) : 0));
            }
            default -> configUpdate(p, out);
        }
        return out;
    }

    private static void fanControl(JsonNode p, Map<String, String> out) {
        String action = text(p, "action");
        if (action == null) {
            throw new IllegalArgumentException("params.action is required for fan_control: status, set_mode or set_duty");
        }
        out.put("action", action);
        switch (action) {
            case "status" -> allowOnly(p, "fan_control status", "action");
            case "set_mode" -> {
                allowOnly(p, "fan_control set_mode", "action", "mode");
                String mode = text(p, "mode");
                if (mode == null || !FAN_MODES.contains(mode)) {
                    throw new IllegalArgumentException("params.mode was '" + clip(mode) + "'; it must be one of " + FAN_MODES);
                }
                out.put("mode", mode);
            }
            case "set_duty" -> {
                allowOnly(p, "fan_control set_duty", "action", "zone", "percent", "duration_seconds");
                require(p, "zone", "0 (CPU/system) or 1 (peripheral)");
                require(p, "percent", "0..100");
                out.put("zone", Integer.toString(intIn(p, "zone", 0, 1)));
                out.put("percent", Integer.toString(intIn(p, "percent", 0, 100)));
                if (p.has("duration_seconds")) {
                    out.put("duration_seconds", Integer.toString(intIn(p, "duration_seconds", 1, 86_400)));
                }
            }
            default -> throw new IllegalArgumentException("params.action was '" + clip(action)
                    + "'; fan_control actions are status, set_mode and set_duty");
        }
    }

    private static void configUpdate(JsonNode p, Map<String, String> out) {
        allowOnly(p, "config_update", "interval", "collectors");
        if (!p.has("interval") && !p.has("collectors")) {
            throw new IllegalArgumentException("config_update needs params.interval (seconds) and/or params.collectors");
        }
        if (p.has("interval")) {
            out.put("interval", Integer.toString(intIn(p, "interval", 5, 3600)));
        }
        if (p.has("collectors")) {
            JsonNode c = p.get("collectors");
            if (!c.isArray()) {
                throw new IllegalArgumentException("params.collectors must be a list of collector names");
            }
            if (c.size() > MAX_COLLECTORS) {
                throw new IllegalArgumentException("params.collectors has " + c.size() + " entries; the limit is " + MAX_COLLECTORS);
            }
            Set<String> names = new LinkedHashSet<>();
            for (int i = 0; i < c.size(); i++) {
                JsonNode n = c.get(i);
                if (!n.isTextual() || !COLLECTOR.matcher(n.asText()).matches()) {
                    throw new IllegalArgumentException("params.collectors[" + i + "] was '" + clip(n.toString())
                            + "'; collector names match " + COLLECTOR.pattern());
                }
                if (!names.add(n.asText())) {
                    throw new IllegalArgumentException("params.collectors lists '" + n.asText() + "' twice");
                }
            }
            out.put("collectors", String.join(",", names));
        }
    }

    /**
     * The collectors of a validated {@code config_update}, split back into a list.
     *
     * @param params parameters as stored
     */
    public static List<String> collectors(Map<String, String> params) {
        String c = params.get("collectors");
        return c == null || c.isEmpty() ? List.of() : List.of(c.split(","));
    }

    private static void allowOnly(JsonNode p, String what, String... allowed) {
        Set<String> ok = Set.of(allowed);
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ok.contains(f)) {
                unknown.add(clip(f));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("params." + unknown.get(0) + " is not a parameter of " + what
                    + "; allowed: " + new TreeSet<>(ok));
        }
    }

    private static void require(JsonNode p, String field, String range) {
        if (!p.has(field)) {
            throw new IllegalArgumentException("params." + field + " is required: " + range);
        }
    }

    private static String text(JsonNode p, String field) {
        JsonNode n = p.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("params." + field + " must be a string, was " + clip(n.toString()));
        }
        return n.asText();
    }

    private static int intIn(JsonNode p, String field, int min, int max) {
        JsonNode n = p.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw new IllegalArgumentException("params." + field + " was " + (n == null ? "missing" : clip(n.toString()))
                    + "; it must be an integer from " + min + " to " + max);
        }
        return n.asInt();
    }

    private static String clip(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
