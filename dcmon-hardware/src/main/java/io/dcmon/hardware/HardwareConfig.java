package io.dcmon.hardware;

import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.ipmi.Ipmitool;
import io.dcmon.hardware.proc.OsOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the tools and files are, configured once. Each external tool is a {@link Tool}: binary (name on PATH or
 * absolute path), extra arguments placed before dcmon's own (e.g. {@code -I lanplus -H bmc -U admin -f pwfile}
 * for ipmitool over LAN) and a per-call timeout. Immutable and thread-safe.
 *
 * @param nvidiaSmi nvidia-smi
 * @param nvme      nvme-cli
 * @param smartctl  smartctl
 * @param aptGet    apt-get (run only as {@code -s upgrade}, a simulation)
 * @param ipmitool  ipmitool (local or LAN, see {@link Ipmitool#builder()}), shared by the IPMI sensor collector and fan control
 * @param procRoot  where {@code /proc} is
 * @param sysRoot   where {@code /sys} is
 * @param rootDir   filesystem root for files such as {@code var/run/reboot-required}
 * @param os        options of the os collector
 */
public record HardwareConfig(Tool nvidiaSmi, Tool nvme, Tool smartctl, Tool aptGet, Ipmitool ipmitool,
                             Path procRoot, Path sysRoot, Path rootDir, OsOptions os) {

    public HardwareConfig {
        Objects.requireNonNull(nvidiaSmi, "nvidiaSmi");
        Objects.requireNonNull(nvme, "nvme");
        Objects.requireNonNull(smartctl, "smartctl");
        Objects.requireNonNull(aptGet, "aptGet");
        Objects.requireNonNull(ipmitool, "ipmitool");
        Objects.requireNonNull(procRoot, "procRoot");
        Objects.requireNonNull(sysRoot, "sysRoot");
        Objects.requireNonNull(rootDir, "rootDir");
        Objects.requireNonNull(os, "os");
    }

    /**
     * Tools from PATH with their default timeouts (nvidia-smi 10 s, nvme 10 s, smartctl 20 s, apt-get 60 s,
     * ipmitool {@link Ipmitool#DEFAULT_TIMEOUT} on the local BMC), {@code /proc}, {@code /sys}, {@code /} and
     * {@link OsOptions#defaults()}.
     */
    public static HardwareConfig defaults() {
        return new HardwareConfig(Tool.of("nvidia-smi", Duration.ofSeconds(10)), Tool.of("nvme", Duration.ofSeconds(10)),
                Tool.of("smartctl", Duration.ofSeconds(20)), Tool.of("apt-get", Duration.ofSeconds(60)),
                Ipmitool.local(), Path.of("/proc"), Path.of("/sys"), Path.of("/"), OsOptions.defaults());
    }

    /** A copy with another nvidia-smi. */
    public HardwareConfig withNvidiaSmi(Tool t) {
        return new HardwareConfig(t, nvme, smartctl, aptGet, ipmitool, procRoot, sysRoot, rootDir, os);
    }

    /** A copy with another nvme-cli. */
    public HardwareConfig withNvme(Tool t) {
        return new HardwareConfig(nvidiaSmi, t, smartctl, aptGet, ipmitool, procRoot, sysRoot, rootDir, os);
    }

    /** A copy with another smartctl. */
    public HardwareConfig withSmartctl(Tool t) {
        return new HardwareConfig(nvidiaSmi, nvme, t, aptGet, ipmitool, procRoot, sysRoot, rootDir, os);
    }

    /** A copy with another apt-get. */
    public HardwareConfig withAptGet(Tool t) {
        return new HardwareConfig(nvidiaSmi, nvme, smartctl, t, ipmitool, procRoot, sysRoot, rootDir, os);
    }

    /** A copy with another ipmitool, e.g. {@code Ipmitool.lan("bmc1").user("admin").passwordFile(path).build()}. */
    public HardwareConfig withIpmitool(Ipmitool t) {
        return new HardwareConfig(nvidiaSmi, nvme, smartctl, aptGet, t, procRoot, sysRoot, rootDir, os);
    }

    /** A copy reading another /proc, /sys and root (e.g. the host's, mounted into a container). */
    public HardwareConfig withRoots(Path newProcRoot, Path newSysRoot, Path newRootDir) {
        return new HardwareConfig(nvidiaSmi, nvme, smartctl, aptGet, ipmitool, newProcRoot, newSysRoot, newRootDir, os);
    }

    /** A copy with other os collector options. */
    public HardwareConfig withOs(OsOptions o) {
        return new HardwareConfig(nvidiaSmi, nvme, smartctl, aptGet, ipmitool, procRoot, sysRoot, rootDir, o);
    }

    /** The process-based tools (ipmitool aside), for logging the effective configuration once at start. */
    public List<Tool> tools() {
        return List.of(nvidiaSmi, nvme, smartctl, aptGet);
    }
}
