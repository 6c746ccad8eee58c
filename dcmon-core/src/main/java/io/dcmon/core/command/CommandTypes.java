package io.dcmon.core.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
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
 * Parameters arrive as plain Java values, the shape any JSON library decodes an object into ({@link Map},
 * {@link List}, {@link String}, {@link Number}, {@link Boolean}, null), so this class needs no JSON library.
 *
 * <ul>
 *   <li>{@code fan_control}: {@code action} = {@code status} | {@code set_mode} {mode: standard|full|optimal|heavy_io}
 *       | {@code set_duty} {zone: 0|1, percent: 0..100, duration_seconds: 1..86400 optional: after it the agent restores
 *       the BMC's automatic mode}</li>
 *   <li>{@code reboot}: {@code delay_seconds} 0..86400, optional (default 0)</li>
 *   <li>{@code config_update}: {@code interval} seconds 5..3600 and/or {@code collectors}: a non-empty list of
 *       {@link #COLLECTORS}</li>
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
    public static final Set<String> FAN_MODES = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of("standard", "full", "optimal", "heavy_io")));
    /**
     * The collectors a dcmon agent has ({@code Collector.name()} in dcmon-hardware); a {@code config_update} naming
     * another would be ignored by the agent, so the server refuses it instead of reporting a silent no-op as success.
     */
    public static final Set<String> COLLECTORS = Collections.unmodifiableSortedSet(
            new TreeSet<>(List.of("apt", "bmc_fan", "ipmi", "nvidia", "nvme", "os", "psu")));
    /** Most collectors in one {@code config_update}. */
    public static final int MAX_COLLECTORS = 32;

    private static final Pattern COLLECTOR = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    private CommandTypes() {
    }

    /**
     * Checks a command's parameters.
     *
     * @param type   command type
     * @param params the decoded JSON object of parameters ({@code Map<String, ?>}), or null for none
     * @return canonical string parameters
     * @throws IllegalArgumentException naming the field, the value and what is allowed
     */
    public static Map<String, String> validate(String type, Object params) {
        if (type == null || !TYPES.contains(type)) {
            throw new IllegalArgumentException("type '" + clip(type) + "' is not a command type; use one of " + new TreeSet<>(TYPES));
        }
        if (params != null && !(params instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("params must be a JSON object");
        }
        Map<?, ?> p = params == null ? Map.of() : (Map<?, ?>) params;
        Map<String, String> out = new LinkedHashMap<>();
        switch (type) {
            case FAN_CONTROL -> fanControl(p, out);
            case REBOOT -> {
                allowOnly(p, "reboot", "delay_seconds");
                out.put("delay_seconds", Integer.toString(p.containsKey("delay_seconds") ? intIn(p, "delay_seconds", 0, 86_400) : 0));
            }
            default -> configUpdate(p, out);
        }
        return out;
    }

    private static void fanControl(Map<?, ?> p, Map<String, String> out) {
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
                if (p.containsKey("duration_seconds")) {
                    out.put("duration_seconds", Integer.toString(intIn(p, "duration_seconds", 1, 86_400)));
                }
            }
            default -> throw new IllegalArgumentException("params.action was '" + clip(action)
                    + "'; fan_control actions are status, set_mode and set_duty");
        }
    }

    private static void configUpdate(Map<?, ?> p, Map<String, String> out) {
        allowOnly(p, "config_update", "interval", "collectors");
        if (!p.containsKey("interval") && !p.containsKey("collectors")) {
            throw new IllegalArgumentException("config_update needs params.interval (seconds) and/or params.collectors");
        }
        if (p.containsKey("interval")) {
            out.put("interval", Integer.toString(intIn(p, "interval", 5, 3600)));
        }
        if (p.containsKey("collectors")) {
            if (!(p.get("collectors") instanceof List<?> c)) {
                throw new IllegalArgumentException("params.collectors must be a list of collector names");
            }
            if (c.isEmpty()) {
                throw new IllegalArgumentException("params.collectors is empty; name at least one of " + COLLECTORS
                        + " (an agent without collectors reports nothing)");
            }
            if (c.size() > MAX_COLLECTORS) {
                throw new IllegalArgumentException("params.collectors has " + c.size() + " entries; the limit is " + MAX_COLLECTORS);
            }
            Set<String> names = new LinkedHashSet<>();
            for (int i = 0; i < c.size(); i++) {
                Object n = c.get(i);
                if (!(n instanceof String s) || !COLLECTOR.matcher(s).matches()) {
                    throw new IllegalArgumentException("params.collectors[" + i + "] was '" + clip(show(n))
                            + "'; collector names match " + COLLECTOR.pattern());
                }
                if (!COLLECTORS.contains(s)) {
                    throw new IllegalArgumentException("params.collectors[" + i + "] was '" + s
                            + "'; the agent's collectors are " + COLLECTORS);
                }
                if (!names.add(s)) {
                    throw new IllegalArgumentException("params.collectors lists '" + s + "' twice");
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

    private static void allowOnly(Map<?, ?> p, String what, String... allowed) {
        Set<String> ok = Set.of(allowed);
        List<String> unknown = new ArrayList<>();
        for (Object f : p.keySet()) {
            if (!ok.contains(String.valueOf(f))) {
                unknown.add(clip(String.valueOf(f)));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("params." + unknown.get(0) + " is not a parameter of " + what
                    + "; allowed: " + new TreeSet<>(ok));
        }
    }

    private static void require(Map<?, ?> p, String field, String range) {
        if (!p.containsKey(field)) {
            throw new IllegalArgumentException("params." + field + " is required: " + range);
        }
    }

    private static String text(Map<?, ?> p, String field) {
        Object n = p.get(field);
        if (n == null) {
            return null;
        }
        if (!(n instanceof String s)) {
            throw new IllegalArgumentException("params." + field + " must be a string, was " + clip(show(n)));
        }
        return s;
    }

    private static int intIn(Map<?, ?> p, String field, int min, int max) {
        Object n = p.get(field);
        Long v = integral(n);
        if (v == null || v < min || v > max) {
            throw new IllegalArgumentException("params." + field + " was " + (n == null ? "missing" : clip(show(n)))
                    + "; it must be an integer from " + min + " to " + max);
        }
        return v.intValue();
    }

    /** The value of a whole number that fits a long, else null (fractions, text, huge numbers, NaN). */
    private static Long integral(Object n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return ((Number) n).longValue();
        }
        if (n instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        return null;
    }

    /** A value as it looked in JSON: strings quoted, numbers and the rest as written. */
    private static String show(Object n) {
        if (n instanceof String s) {
            return "\"" + s + "\"";
        }
        if (n instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(n);
    }

    private static String clip(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
