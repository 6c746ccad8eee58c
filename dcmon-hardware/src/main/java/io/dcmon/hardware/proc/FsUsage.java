package io.dcmon.hardware.proc;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Space and inodes of one mounted filesystem (statvfs). Immutable and thread-safe.
 *
 * @param mount      the mount it describes
 * @param sizeBytes  total size
 * @param freeBytes  free, including blocks reserved for root
 * @param availBytes available to unprivileged users
 * @param files      inodes in total, when known
 * @param filesFree  free inodes, when known
 */
public record FsUsage(Mount mount, long sizeBytes, long freeBytes, long availBytes, OptionalLong files, OptionalLong filesFree) {
    public FsUsage {
        Objects.requireNonNull(mount, "mount");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(filesFree, "filesFree");
    }
}
