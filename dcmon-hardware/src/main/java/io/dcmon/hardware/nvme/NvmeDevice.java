package io.dcmon.hardware.nvme;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One NVMe namespace as {@code nvme list -o json} lists it. Immutable and thread-safe.
 *
 * @param devicePath        e.g. {@code /dev/nvme0n1}
 * @param model             model number
 * @param serial            serial number (trimmed)
 * @param firmware          firmware revision
 * @param physicalSizeBytes namespace size
 * @param usedBytes         bytes in use as the controller reports them
 */
public record NvmeDevice(String devicePath, Optional<String> model, Optional<String> serial, Optional<String> firmware,
                         OptionalLong physicalSizeBytes, OptionalLong usedBytes) {
    public NvmeDevice {
        Objects.requireNonNull(devicePath, "devicePath");
    }

    /** The device name without {@code /dev/}, e.g. {@code nvme0n1}. */
    public String name() {
        return devicePath.startsWith("/dev/") ? devicePath.substring(5) : devicePath;
    }
}
