package io.dcmon.hardware.gpu;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One GPU as nvidia-smi reported it. Every measurement is optional: a field the GPU does not support
 * ({@code [N/A]}, {@code [Not Supported]}, {@code N/A}) is absent for this GPU only, never 0 or -1.
 * Units are in the names. Immutable and thread-safe.
 *
 * @param index                      nvidia-smi's index (PCI order; for {@code -q -x} the position in the document)
 * @param uuid                       {@code GPU-…}
 * @param name                       the model name as printed, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param pciBusId                   e.g. {@code 00000000:00:06.0}
 * @param temperatureCelsius         core temperature
 * @param memoryTemperatureCelsius   HBM temperature (data-center GPUs)
 * @param utilizationGpuPercent      percent of time a kernel ran
 * @param utilizationMemoryPercent   percent of time memory was read or written
 * @param memoryTotalBytes           framebuffer total
 * @param memoryUsedBytes            framebuffer used
 * @param memoryFreeBytes            framebuffer free
 * @param powerDrawWatts             board power draw
 * @param powerLimitWatts            enforced power limit
 * @param fanSpeedPercent            fan duty (absent on passively cooled boards)
 * @param smClockMhz                 current SM clock
 * @param memoryClockMhz             current memory clock
 * @param graphicsClockMhz           current graphics clock
 * @param performanceState           {@code P0}…{@code P12}
 * @param pcieLinkGeneration         current PCIe generation
 * @param pcieLinkWidth              current PCIe lanes
 * @param clockEventReasons          active clock event (throttle) reasons, NVML bitmask; see {@link ClockEventReason}
 * @param eccCorrectedVolatile       corrected ECC errors since driver load
 * @param eccUncorrectedVolatile     uncorrected ECC errors since driver load
 * @param retiredPagesSingleBit      pages retired for multiple single-bit errors (pre-Ampere)
 * @param retiredPagesDoubleBit      pages retired for double-bit errors (pre-Ampere)
 * @param retiredPagesPending        a page retirement waits for a reboot
 * @param remappedRowsCorrectable    rows remapped for correctable errors (Ampere+)
 * @param remappedRowsUncorrectable  rows remapped for uncorrectable errors (Ampere+)
 * @param remappedRowsPending        a remap waits for a GPU reset
 * @param remappedRowsFailure        a remap failed: the GPU needs service
 * @param migMode                    {@code Enabled}/{@code Disabled} where MIG exists
 */
public record GpuReading(int index, String uuid, String name, String pciBusId,
                         OptionalDouble temperatureCelsius, OptionalDouble memoryTemperatureCelsius,
                         OptionalDouble utilizationGpuPercent, OptionalDouble utilizationMemoryPercent,
                         OptionalLong memoryTotalBytes, OptionalLong memoryUsedBytes, OptionalLong memoryFreeBytes,
                         OptionalDouble powerDrawWatts, OptionalDouble powerLimitWatts, OptionalDouble fanSpeedPercent,
                         OptionalLong smClockMhz, OptionalLong memoryClockMhz, OptionalLong graphicsClockMhz,
                         Optional<String> performanceState, OptionalInt pcieLinkGeneration, OptionalInt pcieLinkWidth,
                         OptionalLong clockEventReasons, OptionalLong eccCorrectedVolatile, OptionalLong eccUncorrectedVolatile,
                         OptionalLong retiredPagesSingleBit, OptionalLong retiredPagesDoubleBit, Optional<Boolean> retiredPagesPending,
                         OptionalLong remappedRowsCorrectable, OptionalLong remappedRowsUncorrectable,
                         Optional<Boolean> remappedRowsPending, Optional<Boolean> remappedRowsFailure, Optional<String> migMode) {

    public GpuReading {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pciBusId, "pciBusId");
    }

    /** The active clock event reasons as a set (empty when none or unknown). */
    public Set<ClockEventReason> activeClockEventReasons() {
        return clockEventReasons.isPresent() ? ClockEventReason.of(clockEventReasons.getAsLong()) : Set.of();
    }

    /** Mutable collector of fields for the parsers; not thread-safe, never escapes a parse call. */
    static final class Builder {
        int index = -1;
        String uuid = "";
        String name = "";
        String pciBusId = "";
        OptionalDouble temperature = OptionalDouble.empty();
        OptionalDouble memoryTemperature = OptionalDouble.empty();
        OptionalDouble utilGpu = OptionalDouble.empty();
        OptionalDouble utilMemory = OptionalDouble.empty();
        OptionalLong memTotal = OptionalLong.empty();
        OptionalLong memUsed = OptionalLong.empty();
        OptionalLong memFree = OptionalLong.empty();
        OptionalDouble powerDraw = OptionalDouble.empty();
        OptionalDouble powerLimit = OptionalDouble.empty();
        OptionalDouble requestedPowerLimit = OptionalDouble.empty();
        OptionalDouble fan = OptionalDouble.empty();
        OptionalLong smClock = OptionalLong.empty();
        OptionalLong memClock = OptionalLong.empty();
        OptionalLong grClock = OptionalLong.empty();
        Optional<String> pstate = Optional.empty();
        OptionalInt pcieGen = OptionalInt.empty();
        OptionalInt pcieWidth = OptionalInt.empty();
        OptionalLong clockEvents = OptionalLong.empty();
        OptionalLong eccCorrected = OptionalLong.empty();
        OptionalLong eccUncorrected = OptionalLong.empty();
        OptionalLong retiredSbe = OptionalLong.empty();
        OptionalLong retiredDbe = OptionalLong.empty();
        Optional<Boolean> retiredPending = Optional.empty();
        OptionalLong remapCorr = OptionalLong.empty();
        OptionalLong remapUnc = OptionalLong.empty();
        Optional<Boolean> remapPending = Optional.empty();
        Optional<Boolean> remapFailure = Optional.empty();
        Optional<String> mig = Optional.empty();

        GpuReading build() {
            return new GpuReading(index, uuid, name, pciBusId, temperature, memoryTemperature, utilGpu, utilMemory,
                    memTotal, memUsed, memFree, powerDraw, powerLimit.isPresent() ? powerLimit : requestedPowerLimit, fan,
                    smClock, memClock, grClock, pstate, pcieGen, pcieWidth, clockEvents, eccCorrected, eccUncorrected,
                    retiredSbe, retiredDbe, retiredPending, remapCorr, remapUnc, remapPending, remapFailure, mig);
        }
    }
}
