package io.dcmon.hardware.nvme;

import io.dcmon.hardware.ParseException;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Parsers for nvme-cli's JSON: {@code nvme list -o json} (1.x and 2.3 flat {@code Devices[]}; 2.11 nested
 * {@code Devices[].Subsystems[].Controllers[].Namespaces[]}) and {@code nvme smart-log DEV -o json}
 * (1.x/2.x key spellings: {@code percent_used} or {@code percentage_used}, {@code avail_spare} or
 * {@code available_spare}, {@code critical_warning} as a number or, in 2.11, an object with {@code value}).
 * Pure functions.
 */
public final class NvmeJson {
    private NvmeJson() {
    }

    /**
     * Parses {@code nvme list -o json}.
     *
     * @throws ParseException when the text is not JSON or has no {@code Devices} array
     */
    public static List<NvmeDevice> parseList(String json) {
        Map<String, Object> root = root(json, "nvme list -o json output");
        if (!(root.get("Devices") instanceof List)) {
            throw new ParseException("nvme list -o json output", 0, null, "no \"Devices\" array; is this `nvme list -o json`?");
        }
        List<NvmeDevice> out = new ArrayList<>();
        for (Object d : Json.arr(root, "Devices")) {
            Map<String, Object> dev = asMap(d);
            if (dev.containsKey("Subsystems")) {
                // nvme-cli 2.11: host -> subsystems -> controllers -> namespaces
                for (Object s : Json.arr(dev, "Subsystems")) {
                    for (Object c : Json.arr(asMap(s), "Controllers")) {
                        Map<String, Object> ctrl = asMap(c);
                        for (Object n : Json.arr(ctrl, "Namespaces")) {
                            Map<String, Object> ns = asMap(n);
                            String name = Json.str(ns, "NameSpace");
                            if (name != null) {
                                out.add(new NvmeDevice("/dev/" + name, text(ctrl, "ModelNumber"), text(ctrl, "SerialNumber"),
                                        text(ctrl, "Firmware"), along(ns, "PhysicalSize"), along(ns, "UsedBytes")));
                            }
                        }
                    }
                }
            } else {
                String path = Json.str(dev, "DevicePath");
                if (path != null) {
                    out.add(new NvmeDevice(path, text(dev, "ModelNumber"), text(dev, "SerialNumber"), text(dev, "Firmware"),
                            along(dev, "PhysicalSize"), along(dev, "UsedBytes")));
                }
            }
        }
        return out;
    }

    /**
     * Parses {@code nvme smart-log DEVICE -o json}.
     *
     * @throws ParseException when the text is not JSON or holds neither a temperature nor a critical warning
     */
    public static NvmeHealth parseSmartLog(String device, String json) {
        Map<String, Object> m = root(json, "nvme smart-log -o json output");
        if (!m.containsKey("temperature") && !m.containsKey("critical_warning")) {
            throw new ParseException("nvme smart-log -o json output", 0, null,
                    "no \"temperature\" or \"critical_warning\" key; is this `nvme smart-log DEV -o json`?");
        }
        OptionalLong warning = m.get("critical_warning") instanceof Map
                ? along(Json.obj(m, "critical_warning"), "value") : along(m, "critical_warning");
        return new NvmeHealth(device, Optional.empty(), Optional.empty(), kelvin(m.get("temperature")),
                first(along(m, "percent_used"), along(m, "percentage_used")),
                first(along(m, "avail_spare"), along(m, "available_spare")),
                first(along(m, "spare_thresh"), along(m, "available_spare_threshold")),
                warning, along(m, "media_errors"), first(along(m, "num_err_log_entries"), along(m, "error_log_entries")),
                along(m, "power_on_hours"), along(m, "power_cycles"), along(m, "unsafe_shutdowns"),
                units(m, "data_units_read"), units(m, "data_units_written"));
    }

    /** Kelvin integers (nvme-cli), or strings such as {@code "51 C"} / {@code "324 K"} some builds print. */
    static OptionalDouble kelvin(Object v) {
        if (v instanceof Long k) {
            return k > 0 ? OptionalDouble.of(k - NvmeHealth.KELVIN_OFFSET) : OptionalDouble.empty();
        }
        if (v instanceof String s) {
            String t = s.trim();
            try {
                if (t.endsWith("C") || t.endsWith("°C")) {
                    return OptionalDouble.of(Double.parseDouble(t.replace("°C", "").replace("C", "").trim()));
                }
                if (t.endsWith("K")) {
                    return OptionalDouble.of(Double.parseDouble(t.substring(0, t.length() - 1).trim()) - NvmeHealth.KELVIN_OFFSET);
                }
            } catch (NumberFormatException e) {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }

    /** Data units (128-bit counters) to bytes; absent when missing or beyond a long in bytes. */
    static OptionalLong units(Map<String, Object> m, String key) {
        BigInteger u = Json.integer(m, key);
        if (u == null) {
            return OptionalLong.empty();
        }
        BigInteger bytes = u.multiply(BigInteger.valueOf(NvmeHealth.DATA_UNIT_BYTES));
        return bytes.bitLength() < 64 ? OptionalLong.of(bytes.longValue()) : OptionalLong.empty();
    }

    static OptionalLong along(Map<String, Object> m, String key) {
        BigInteger v = Json.integer(m, key);
        return v != null && v.bitLength() < 64 ? OptionalLong.of(v.longValue()) : OptionalLong.empty();
    }

    static OptionalLong first(OptionalLong a, OptionalLong b) {
        return a.isPresent() ? a : b;
    }

    static Optional<String> text(Map<String, Object> m, String key) {
        String v = Json.str(m, key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    static Map<String, Object> root(String json, String source) {
        Object v;
        try {
            v = Json.parse(json);
        } catch (Json.JsonException e) {
            throw new ParseException(source, "not JSON (" + e.getMessage() + ")", e);
        }
        if (!(v instanceof Map)) {
            throw new ParseException(source, 0, null, "expected a JSON object at the top level");
        }
        return asMap(v);
    }
}
