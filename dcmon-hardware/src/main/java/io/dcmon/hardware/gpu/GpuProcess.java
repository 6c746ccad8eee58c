package io.dcmon.hardware.gpu;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A compute process holding GPU memory. Immutable and thread-safe.
 *
 * @param gpuUuid         the GPU it runs on
 * @param pid             process id (in the host's PID namespace as nvidia-smi sees it)
 * @param processName     executable name or path
 * @param usedMemoryBytes GPU memory it holds; absent when the driver does not report it (e.g. some vGPU/MIG setups)
 */
public record GpuProcess(String gpuUuid, long pid, String processName, OptionalLong usedMemoryBytes) {
    public GpuProcess {
        Objects.requireNonNull(gpuUuid, "gpuUuid");
        Objects.requireNonNull(processName, "processName");
        Objects.requireNonNull(usedMemoryBytes, "usedMemoryBytes");
    }
}
