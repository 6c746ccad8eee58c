package io.dcmon.hardware.proc;

/**
 * Metric names of the os collector, node_exporter style, in one place. Counters end in {@code _total};
 * units are in the names.
 */
public final class OsMetrics {
    private OsMetrics() {
    }

    /** CPU time by {@code mode}, all CPUs summed ({@code cpu="all"}) or per CPU when enabled; seconds (double). */
    public static final String CPU_SECONDS = "node_cpu_seconds_total";
    /** Online CPUs. */
    public static final String CPU_COUNT = "node_cpu_count";
    /** Context switches since boot. */
    public static final String CONTEXT_SWITCHES = "node_context_switches_total";
    /** Forks since boot. */
    public static final String FORKS = "node_forks_total";
    /** Runnable tasks. */
    public static final String PROCS_RUNNING = "node_procs_running";
    /** Tasks blocked on I/O. */
    public static final String PROCS_BLOCKED = "node_procs_blocked";
    /** Load averages. */
    public static final String LOAD1 = "node_load1";
    /** 5-minute load average. */
    public static final String LOAD5 = "node_load5";
    /** 15-minute load average. */
    public static final String LOAD15 = "node_load15";
    /** MemTotal, bytes. */
    public static final String MEMORY_TOTAL = "node_memory_total_bytes";
    /** MemAvailable (or its pre-3.14 estimate), bytes. */
    public static final String MEMORY_AVAILABLE = "node_memory_available_bytes";
    /** Total minus available, bytes. */
    public static final String MEMORY_USED = "node_memory_used_bytes";
    /** MemFree, bytes. */
    public static final String MEMORY_FREE = "node_memory_free_bytes";
    /** Buffers, bytes. */
    public static final String MEMORY_BUFFERS = "node_memory_buffers_bytes";
    /** Cached (page cache), bytes. */
    public static final String MEMORY_CACHED = "node_memory_cached_bytes";
    /** SwapTotal, bytes. */
    public static final String SWAP_TOTAL = "node_memory_swap_total_bytes";
    /** SwapFree, bytes. */
    public static final String SWAP_FREE = "node_memory_swap_free_bytes";
    /** SwapTotal minus SwapFree, bytes. */
    public static final String SWAP_USED = "node_memory_swap_used_bytes";
    /** Filesystem size, bytes; labels device, mountpoint, fstype. */
    public static final String FS_SIZE = "node_filesystem_size_bytes";
    /** Free bytes including those reserved for root. */
    public static final String FS_FREE = "node_filesystem_free_bytes";
    /** Bytes available to unprivileged users. */
    public static final String FS_AVAIL = "node_filesystem_avail_bytes";
    /** Inodes in total. */
    public static final String FS_FILES = "node_filesystem_files";
    /** Free inodes. */
    public static final String FS_FILES_FREE = "node_filesystem_files_free";
    /** Reads completed; label device. */
    public static final String DISK_READS = "node_disk_reads_completed_total";
    /** Writes completed. */
    public static final String DISK_WRITES = "node_disk_writes_completed_total";
    /** Bytes read. */
    public static final String DISK_READ_BYTES = "node_disk_read_bytes_total";
    /** Bytes written. */
    public static final String DISK_WRITTEN_BYTES = "node_disk_written_bytes_total";
    /** Seconds spent reading. */
    public static final String DISK_READ_TIME = "node_disk_read_time_seconds_total";
    /** Seconds spent writing. */
    public static final String DISK_WRITE_TIME = "node_disk_write_time_seconds_total";
    /** Seconds spent doing I/O (busy time). */
    public static final String DISK_IO_TIME = "node_disk_io_time_seconds_total";
    /** I/Os in progress. */
    public static final String DISK_IO_NOW = "node_disk_io_now";
    /** Bytes received; label device. */
    public static final String NET_RX_BYTES = "node_network_receive_bytes_total";
    /** Packets received. */
    public static final String NET_RX_PACKETS = "node_network_receive_packets_total";
    /** Receive errors. */
    public static final String NET_RX_ERRS = "node_network_receive_errs_total";
    /** Receive drops. */
    public static final String NET_RX_DROP = "node_network_receive_drop_total";
    /** Bytes sent. */
    public static final String NET_TX_BYTES = "node_network_transmit_bytes_total";
    /** Packets sent. */
    public static final String NET_TX_PACKETS = "node_network_transmit_packets_total";
    /** Transmit errors. */
    public static final String NET_TX_ERRS = "node_network_transmit_errs_total";
    /** Transmit drops. */
    public static final String NET_TX_DROP = "node_network_transmit_drop_total";
    /** Boot time, Unix seconds. */
    public static final String BOOT_TIME = "node_boot_time_seconds";
    /** Seconds since boot. */
    public static final String UPTIME = "node_uptime_seconds";
    /** PSI stall time; labels resource (cpu, memory, io) and kind (some, full). */
    public static final String PRESSURE_STALLED = "node_pressure_stalled_seconds_total";
    /** PSI 60-second average, percent; labels resource and kind. */
    public static final String PRESSURE_AVG60 = "node_pressure_avg60_percent";
    /** Page faults since boot (/proc/vmstat pgfault). */
    public static final String VMSTAT_PGFAULT = "node_vmstat_pgfault_total";
    /** Major page faults since boot. */
    public static final String VMSTAT_PGMAJFAULT = "node_vmstat_pgmajfault_total";
    /** Pages swapped in since boot. */
    public static final String VMSTAT_PSWPIN = "node_vmstat_pswpin_total";
    /** Pages swapped out since boot. */
    public static final String VMSTAT_PSWPOUT = "node_vmstat_pswpout_total";
    /** Processes killed by the OOM killer since boot. */
    public static final String VMSTAT_OOM_KILL = "node_vmstat_oom_kill_total";
}
