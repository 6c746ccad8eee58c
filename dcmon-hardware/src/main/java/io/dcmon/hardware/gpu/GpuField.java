package io.dcmon.hardware.gpu;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code nvidia-smi --query-gpu} fields dcmon understands. The first name is the one dcmon queries and
 * the one {@code --format=csv} prints in its header; the others are aliases nvidia-smi also accepts
 * (older spellings such as {@code clocks_throttle_reasons.active}, short forms such as {@code clocks.sm}).
 * {@link NvidiaSmiCsv#QUERY_FIELDS} builds the {@code --query-gpu=} argument and indexes the columns from
 * the same list, so the two cannot drift.
 */
public enum GpuField {
    INDEX("index"),
    UUID("uuid", "gpu_uuid"),
    NAME("name", "gpu_name"),
    PCI_BUS_ID("pci.bus_id", "gpu_bus_id"),
    DRIVER_VERSION("driver_version"),
    VBIOS_VERSION("vbios_version"),
    TEMPERATURE_GPU("temperature.gpu"),
    TEMPERATURE_MEMORY("temperature.memory"),
    UTILIZATION_GPU("utilization.gpu"),
    UTILIZATION_MEMORY("utilization.memory"),
    MEMORY_TOTAL("memory.total"),
    MEMORY_USED("memory.used"),
    MEMORY_FREE("memory.free"),
    POWER_DRAW("power.draw"),
    /** The enforced limit; {@code power.limit} is the requested one and usually equal. */
    ENFORCED_POWER_LIMIT("enforced.power.limit", "gpu.power.current_limit"),
    POWER_LIMIT("power.limit", "gpu.power.requested_limit"),
    FAN_SPEED("fan.speed"),
    CLOCK_SM("clocks.current.sm", "clocks.sm"),
    CLOCK_MEMORY("clocks.current.memory", "clocks.mem"),
    CLOCK_GRAPHICS("clocks.current.graphics", "clocks.gr"),
    PSTATE("pstate"),
    PCIE_LINK_GEN("pcie.link.gen.current"),
    PCIE_LINK_WIDTH("pcie.link.width.current"),
    /** Bitmask; drivers before 535 know only the {@code clocks_throttle_reasons} spelling, so dcmon queries that one. */
    CLOCK_EVENT_REASONS("clocks_event_reasons.active", "clocks_throttle_reasons.active", "clock_throttle_reasons.active"),
    ECC_CORRECTED_VOLATILE("ecc.errors.corrected.volatile.total"),
    ECC_UNCORRECTED_VOLATILE("ecc.errors.uncorrected.volatile.total"),
    RETIRED_PAGES_SBE("retired_pages.single_bit_ecc.count", "retired_pages.sbe"),
    RETIRED_PAGES_DBE("retired_pages.double_bit.count", "retired_pages.dbe"),
    RETIRED_PAGES_PENDING("retired_pages.pending"),
    REMAPPED_ROWS_CORRECTABLE("remapped_rows.correctable", "remapped_rows.sbe"),
    REMAPPED_ROWS_UNCORRECTABLE("remapped_rows.uncorrectable", "remapped_rows.dbe"),
    REMAPPED_ROWS_PENDING("remapped_rows.pending"),
    REMAPPED_ROWS_FAILURE("remapped_rows.failure"),
    MIG_MODE("mig.mode.current");

    private static final Map<String, GpuField> BY_NAME = new HashMap<>();

    static {
        for (GpuField f : values()) {
            for (String n : f.names) {
                BY_NAME.put(n, f);
            }
        }
    }

    private final List<String> names;

    GpuField(String... names) {
        this.names = List.of(names);
    }

    /**
     * The name dcmon passes to {@code --query-gpu=}: the canonical name, except for the clock event reasons,
     * queried under the old spelling that drivers before and after 535 both accept.
     */
    public String queryName() {
        return this == CLOCK_EVENT_REASONS ? names.get(1) : names.get(0);
    }

    /** The name printed in {@code --format=csv} headers. */
    public String canonicalName() {
        return names.get(0);
    }

    /** Every name nvidia-smi accepts for this field. */
    public List<String> names() {
        return names;
    }

    /**
     * The field a column name denotes: a query name, an alias, or a header cell such as
     * {@code "memory.total [MiB]"} (the unit suffix is ignored). Empty for fields dcmon does not use.
     */
    public static Optional<GpuField> byName(String name) {
        String n = name.trim();
        int unit = n.indexOf(" [");
        if (unit > 0) {
            n = n.substring(0, unit);
        }
        return Optional.ofNullable(BY_NAME.get(n));
    }
}
