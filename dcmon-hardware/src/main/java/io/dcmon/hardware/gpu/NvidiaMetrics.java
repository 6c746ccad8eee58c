package io.dcmon.hardware.gpu;

/**
 * Metric names of the nvidia collector, in one place. Every per-GPU series carries the labels
 * {@code gpu} (index), {@code uuid}, {@code name} (model as printed) and {@code pci_bus_id}.
 */
public final class NvidiaMetrics {
    private NvidiaMetrics() {
    }

    /** Core temperature, °C (double). */
    public static final String TEMPERATURE = "nvidia_gpu_temperature_celsius";
    /** Memory (HBM) temperature, °C (double). */
    public static final String MEMORY_TEMPERATURE = "nvidia_gpu_memory_temperature_celsius";
    /** GPU utilisation, percent (integer). */
    public static final String UTILIZATION = "nvidia_gpu_utilization_percent";
    /** Memory-controller utilisation, percent (integer). */
    public static final String MEMORY_UTILIZATION = "nvidia_gpu_memory_utilization_percent";
    /** Framebuffer total, bytes. */
    public static final String MEMORY_TOTAL = "nvidia_gpu_memory_total_bytes";
    /** Framebuffer used, bytes. */
    public static final String MEMORY_USED = "nvidia_gpu_memory_used_bytes";
    /** Framebuffer free, bytes. */
    public static final String MEMORY_FREE = "nvidia_gpu_memory_free_bytes";
    /** Power draw, watts (double). */
    public static final String POWER_DRAW = "nvidia_gpu_power_draw_watts";
    /** Enforced power limit, watts (double). */
    public static final String POWER_LIMIT = "nvidia_gpu_power_limit_watts";
    /** Fan speed, percent (integer). */
    public static final String FAN_SPEED = "nvidia_gpu_fan_speed_percent";
    /** Current clock, hertz (integer); extra label {@code clock} = sm, memory, graphics. */
    public static final String CLOCK = "nvidia_gpu_clock_hertz";
    /** Performance state number: 0 for P0 (fastest) to 15. */
    public static final String PSTATE = "nvidia_gpu_performance_state";
    /** Current PCIe generation. */
    public static final String PCIE_GENERATION = "nvidia_gpu_pcie_link_generation";
    /** Current PCIe lane count. */
    public static final String PCIE_WIDTH = "nvidia_gpu_pcie_link_width";
    /** 1 when a clock event (throttle) reason is active, else 0; extra label {@code reason}. */
    public static final String CLOCK_EVENT_REASON = "nvidia_gpu_clock_event_reason_active";
    /** Volatile ECC errors since driver load; extra label {@code type} = corrected, uncorrected. */
    public static final String ECC_ERRORS = "nvidia_gpu_ecc_errors_total";
    /** Retired pages; extra label {@code cause} = single_bit, double_bit. */
    public static final String RETIRED_PAGES = "nvidia_gpu_retired_pages_total";
    /** 1 when a page retirement waits for a reboot. */
    public static final String RETIRED_PAGES_PENDING = "nvidia_gpu_retired_pages_pending";
    /** Remapped rows; extra label {@code type} = correctable, uncorrectable. */
    public static final String REMAPPED_ROWS = "nvidia_gpu_remapped_rows_total";
    /** 1 when a row remap waits for a GPU reset. */
    public static final String REMAPPED_ROWS_PENDING = "nvidia_gpu_remapped_rows_pending";
    /** 1 when a row remap failed (the GPU needs service). */
    public static final String REMAPPED_ROWS_FAILURE = "nvidia_gpu_remapped_rows_failure";
    /** 1 when MIG mode is enabled, 0 when disabled; absent where MIG does not exist. */
    public static final String MIG_ENABLED = "nvidia_gpu_mig_enabled";
    /** GPU memory held by a compute process, bytes; labels {@code uuid}, {@code pid}, {@code process}. */
    public static final String PROCESS_MEMORY = "nvidia_gpu_process_memory_used_bytes";
    /** Number of GPUs found. */
    public static final String GPU_COUNT = "nvidia_gpu_count";
}
