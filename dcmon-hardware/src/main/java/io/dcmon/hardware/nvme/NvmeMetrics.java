package io.dcmon.hardware.nvme;

/** Metric names of the nvme collector. Labels: {@code device} (e.g. nvme0n1), plus {@code model} and {@code serial} when known. */
public final class NvmeMetrics {
    private NvmeMetrics() {
    }

    /** Composite temperature, °C (double). */
    public static final String TEMPERATURE = "nvme_temperature_celsius";
    /** Endurance used, percent (may exceed 100). */
    public static final String PERCENTAGE_USED = "nvme_percentage_used_percent";
    /** Available spare, percent. */
    public static final String AVAILABLE_SPARE = "nvme_available_spare_percent";
    /** Available spare threshold, percent. */
    public static final String AVAILABLE_SPARE_THRESHOLD = "nvme_available_spare_threshold_percent";
    /** Critical warning bitmask; 0 is healthy. */
    public static final String CRITICAL_WARNING = "nvme_critical_warning";
    /** Media and data integrity errors. */
    public static final String MEDIA_ERRORS = "nvme_media_errors_total";
    /** Error-log entries. */
    public static final String ERROR_LOG_ENTRIES = "nvme_error_log_entries_total";
    /** Power-on hours. */
    public static final String POWER_ON_HOURS = "nvme_power_on_hours_total";
    /** Power cycles. */
    public static final String POWER_CYCLES = "nvme_power_cycles_total";
    /** Unsafe shutdowns. */
    public static final String UNSAFE_SHUTDOWNS = "nvme_unsafe_shutdowns_total";
    /** Bytes read (data units × 512000). */
    public static final String DATA_READ = "nvme_data_read_bytes_total";
    /** Bytes written (data units × 512000). */
    public static final String DATA_WRITTEN = "nvme_data_written_bytes_total";
}
