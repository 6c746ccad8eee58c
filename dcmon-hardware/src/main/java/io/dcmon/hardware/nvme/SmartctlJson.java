package io.dcmon.hardware.nvme;

import io.dcmon.hardware.ParseException;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Parser for {@code smartctl -j} (smartctl 7.x JSON), NVMe and ATA. NVMe drives carry
 * {@code nvme_smart_health_information_log} (temperatures already in °C there); ATA drives only give
 * temperature, power-on hours and power cycles in the common fields. Pure function.
 */
public final class SmartctlJson {
    private SmartctlJson() {
    }

    private static final String SOURCE = "smartctl -j output";

    /**
     * Parses one {@code smartctl -j -a DEVICE} (or {@code --info --health --attributes}) document.
     *
     * @throws ParseException when the text is not JSON, is not smartctl output, or smartctl reported that it
     *                        could not open or query the device (its messages are quoted)
     */
    public static NvmeHealth parse(String json) {
        Map<String, Object> root = NvmeJson.root(json, SOURCE);
        Map<String, Object> smartctl = Json.obj(root, "smartctl");
        if (smartctl.isEmpty()) {
            throw new ParseException(SOURCE, 0, null, "no \"smartctl\" object; is this `smartctl -j` output?");
        }
        OptionalLong exit = NvmeJson.along(smartctl, "exit_status");
        // bits 0-1 of smartctl's exit status: command line not parsed, or device could not be opened
        if (exit.isPresent() && (exit.getAsLong() & 0x3) != 0) {
            StringBuilder msgs = new StringBuilder();
            for (Object o : Json.arr(smartctl, "messages")) {
                String s = Json.str(NvmeJson.asMap(o), "string");
                if (s != null) {
                    msgs.append(msgs.length() == 0 ? "" : "; ").append(s);
                }
            }
            throw new ParseException(SOURCE, 0, null, "smartctl could not read the device (exit status " + exit.getAsLong() + ")"
                    + (msgs.length() == 0 ? "" : ": " + msgs));
        }
        Map<String, Object> dev = Json.obj(root, "device");
        String device = Optional.ofNullable(Json.str(dev, "name")).orElse("");
        Map<String, Object> log = Json.obj(root, "nvme_smart_health_information_log");
        Object current = Json.at(root, "temperature", "current");
        OptionalDouble temp = current instanceof Long c ? OptionalDouble.of(c)
                : log.get("temperature") instanceof Long t ? OptionalDouble.of(t) : OptionalDouble.empty();
        return new NvmeHealth(device, NvmeJson.text(root, "model_name"), NvmeJson.text(root, "serial_number"), temp,
                NvmeJson.along(log, "percentage_used"), NvmeJson.along(log, "available_spare"),
                NvmeJson.along(log, "available_spare_threshold"), NvmeJson.along(log, "critical_warning"),
                NvmeJson.along(log, "media_errors"), NvmeJson.along(log, "num_err_log_entries"),
                NvmeJson.first(NvmeJson.along(log, "power_on_hours"), NvmeJson.along(Json.obj(root, "power_on_time"), "hours")),
                NvmeJson.first(NvmeJson.along(log, "power_cycles"), NvmeJson.along(root, "power_cycle_count")),
                NvmeJson.along(log, "unsafe_shutdowns"),
                NvmeJson.units(log, "data_units_read"), NvmeJson.units(log, "data_units_written"));
    }
}
