package io.dcmon.hardware.psu;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One power supply module from Supermicro {@code ipmicfg -pminfo} / SMCIPMITool {@code pminfo}. Zero is a
 * value (a module that is off draws 0 W); {@code N/A} is absent. Immutable and thread-safe.
 *
 * @param slaveAddress          PMBus address as printed, e.g. {@code 78h}
 * @param module                module number
 * @param statusText            the Status row as printed
 * @param statusByte            the PMBus STATUS_BYTE when the row prints one ({@code (40h)})
 * @param dcInput               true when the input rows say {@code (DC)}
 * @param inputVoltageVolts     input voltage
 * @param inputCurrentAmperes   input current
 * @param outputVoltageVolts    main (12 V) output voltage
 * @param outputCurrentAmperes  main output current
 * @param inputPowerWatts       input power
 * @param outputPowerWatts      main output power
 * @param temperaturesCelsius   Temperature 1, 2, … by number (absent ones left out)
 * @param fanSpeedsRpm          Fan 1, 2, … by number
 * @param model                 PWS Module Number
 * @param serial                PWS Serial Number
 * @param revision              PWS Revision
 */
public record PsuModule(String slaveAddress, int module, String statusText, OptionalInt statusByte, boolean dcInput,
                        OptionalDouble inputVoltageVolts, OptionalDouble inputCurrentAmperes,
                        OptionalDouble outputVoltageVolts, OptionalDouble outputCurrentAmperes,
                        OptionalDouble inputPowerWatts, OptionalDouble outputPowerWatts,
                        SortedMap<Integer, Double> temperaturesCelsius, SortedMap<Integer, Integer> fanSpeedsRpm,
                        Optional<String> model, Optional<String> serial, Optional<String> revision) {

    public PsuModule {
        Objects.requireNonNull(slaveAddress, "slaveAddress");
        Objects.requireNonNull(statusText, "statusText");
        Objects.requireNonNull(statusByte, "statusByte");
        Objects.requireNonNull(inputVoltageVolts, "inputVoltageVolts");
        Objects.requireNonNull(inputCurrentAmperes, "inputCurrentAmperes");
        Objects.requireNonNull(outputVoltageVolts, "outputVoltageVolts");
        Objects.requireNonNull(outputCurrentAmperes, "outputCurrentAmperes");
        Objects.requireNonNull(inputPowerWatts, "inputPowerWatts");
        Objects.requireNonNull(outputPowerWatts, "outputPowerWatts");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revision, "revision");
        temperaturesCelsius = Collections.unmodifiableSortedMap(new TreeMap<>(temperaturesCelsius));
        fanSpeedsRpm = Collections.unmodifiableSortedMap(new TreeMap<>(fanSpeedsRpm));
    }

    /** The {@code psu_status} value (see {@link PsuStatus}), empty when the Status row is not understood. */
    public OptionalInt status() {
        return PsuStatus.of(statusText, statusByte);
    }
}
