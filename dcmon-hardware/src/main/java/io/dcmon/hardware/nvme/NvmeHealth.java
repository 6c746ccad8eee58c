package io.dcmon.hardware.nvme;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The SMART / health information of one drive, from {@code nvme smart-log -o json} or {@code smartctl -j}.
 * Values the source does not report are absent. Immutable and thread-safe.
 *
 * @param device                    device path, e.g. {@code /dev/nvme0}
 * @param model                     model name, when the source prints it (smartctl does, smart-log does not)
 * @param serial                    serial number, when printed
 * @param temperatureCelsius        composite temperature (nvme-cli prints Kelvin; converted)
 * @param percentageUsed            vendor estimate of endurance used; may exceed 100
 * @param availableSparePercent     remaining spare capacity
 * @param availableSpareThresholdPercent spare level below which the drive warns
 * @param criticalWarning           NVMe critical warning bitmask (0 = fine): bit 0 spare, 1 temperature,
 *                                  2 reliability, 3 read-only, 4 volatile backup failed
 * @param mediaErrors               unrecovered data-integrity errors
 * @param errorLogEntries           error-log entries over the drive's life
 * @param powerOnHours              hours powered on
 * @param powerCycles               power cycles
 * @param unsafeShutdowns           shutdowns without notification
 * @param dataReadBytes             data read: data units × 512 000 bytes
 * @param dataWrittenBytes          data written: data units × 512 000 bytes
 */
public record NvmeHealth(String device, Optional<String> model, Optional<String> serial, OptionalDouble temperatureCelsius,
                         OptionalLong percentageUsed, OptionalLong availableSparePercent, OptionalLong availableSpareThresholdPercent,
                         OptionalLong criticalWarning, OptionalLong mediaErrors, OptionalLong errorLogEntries,
                         OptionalLong powerOnHours, OptionalLong powerCycles, OptionalLong unsafeShutdowns,
                         OptionalLong dataReadBytes, OptionalLong dataWrittenBytes) {

    /** An NVMe data unit is 1000 512-byte blocks (NVMe base specification, SMART log bytes 32–47). */
    public static final long DATA_UNIT_BYTES = 512_000L;
    /** NVMe reports temperatures in Kelvin as integers; the spec and nvme-cli subtract 273. */
    public static final int KELVIN_OFFSET = 273;

    public NvmeHealth {
        Objects.requireNonNull(device, "device");
    }
}
