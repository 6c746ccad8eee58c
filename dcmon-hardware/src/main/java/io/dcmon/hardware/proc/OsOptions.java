package io.dcmon.hardware.proc;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the os collector reports beyond the defaults. Immutable and thread-safe.
 *
 * @param perCpu            also report {@code node_cpu_seconds_total} per CPU (128 series on a 16-CPU host),
 *                          not only the {@code cpu="all"} sum
 * @param excludeInterfaces network interfaces to skip, matched against the whole name; the default skips
 *                          loopback and the virtual interfaces of containers, bridges, tunnels and overlays
 * @param excludeDisks      block devices to skip, matched against the whole name; the default skips
 *                          partitions and virtual devices (loop, ram, zram, dm, md, …). When {@code sysRoot}
 *                          has {@code block/}, devices under {@code /sys/devices/virtual} are skipped too.
 * @param pseudoFilesystems filesystem types that are never reported (no storage behind them)
 * @param inodes            read inode counts with {@code stat -f} (one process per cycle for all mounts);
 *                          the JDK's {@code FileStore} does not expose them
 */
public record OsOptions(boolean perCpu, Pattern excludeInterfaces, Pattern excludeDisks, Set<String> pseudoFilesystems,
                        boolean inodes) {

    /** Loopback and virtual interfaces: containers (veth, docker, cali, cni, flannel), bridges, tunnels, ifb. */
    public static final Pattern DEFAULT_EXCLUDE_INTERFACES = Pattern.compile(
            "lo|veth.*|docker\\d*|br-.*|virbr.*|lxcbr.*|ifb\\d+|tun\\d+|tap.*|cali.*|flannel\\..*|cni.*|vxlan.*"
                    + "|kube-.*|dummy.*|cilium.*|weave.*|vnet\\d+|genev_sys.*|nodelocaldns");
    /** Partitions and virtual block devices. */
    public static final Pattern DEFAULT_EXCLUDE_DISKS = Pattern.compile(
            "(loop|ram|zram|fd|sr|nbd|dm-|md)\\d+|(h|s|v|xv)d[a-z]+\\d+|nvme\\d+n\\d+p\\d+|mmcblk\\d+p\\d+|mmcblk\\d+boot\\d+");
    /** Filesystems without storage behind them. */
    public static final Set<String> DEFAULT_PSEUDO_FILESYSTEMS = Set.of(
            "proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "overlay", "squashfs", "cgroup", "cgroup2", "securityfs",
            "pstore", "debugfs", "tracefs", "configfs", "fusectl", "mqueue", "hugetlbfs", "bpf", "autofs",
            "binfmt_misc", "rpc_pipefs", "nsfs", "efivarfs", "ramfs", "fuse.lxcfs", "selinuxfs", "nfsd", "iso9660",
            "fuse.gvfsd-fuse", "fuse.portal", "fuse.snapfuse", "devfs", "none");

    public OsOptions {
        Objects.requireNonNull(excludeInterfaces, "excludeInterfaces");
        Objects.requireNonNull(excludeDisks, "excludeDisks");
        pseudoFilesystems = Set.copyOf(pseudoFilesystems);
    }

    /** The defaults: summed CPU, default exclusions, inodes on. */
    public static OsOptions defaults() {
        return new OsOptions(false, DEFAULT_EXCLUDE_INTERFACES, DEFAULT_EXCLUDE_DISKS, DEFAULT_PSEUDO_FILESYSTEMS, true);
    }

    /** A copy with per-CPU times on or off. */
    public OsOptions withPerCpu(boolean on) {
        return new OsOptions(on, excludeInterfaces, excludeDisks, pseudoFilesystems, inodes);
    }

    /** A copy with another interface exclusion pattern. */
    public OsOptions withExcludeInterfaces(Pattern p) {
        return new OsOptions(perCpu, p, excludeDisks, pseudoFilesystems, inodes);
    }

    /** A copy with inode counting on or off. */
    public OsOptions withInodes(boolean on) {
        return new OsOptions(perCpu, excludeInterfaces, excludeDisks, pseudoFilesystems, on);
    }
}
