package io.dcmon.hardware.ipmi;

import io.dcmon.hardware.ParseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the sensor listings of ipmitool. Pure functions over text: no I/O, no clock, no logging.
 *
 * <p>Each line is recognised by its number of {@code |}-separated columns, so one method reads all three
 * formats (and a mix, e.g. several captures concatenated):
 * <ul>
 *   <li>10 columns, {@code ipmitool sensor} / {@code sensor list}: name, value, unit, status, then the
 *       thresholds lnr lcr lnc unc ucr unr. Discrete sensors print {@code discrete} as the unit and the
 *       state bytes as {@code 0xDDEE} in the status column; the value becomes the asserted-state bit field
 *       {@code DD | EE << 8} (offset 0 = bit 0), and the status is {@link SensorStatus#UNSPECIFIED}.</li>
 *   <li>5 columns, {@code ipmitool sdr elist} / {@code sdr type …}: name, sensor id, status, entity,
 *       reading text ({@code 34 degrees C}, {@code Presence detected}, {@code No Reading}).</li>
 *   <li>3 columns, {@code ipmitool sdr} / {@code sdr list}: name, reading text, status. Discrete sensors
 *       print their state byte as {@code 0x00}, which becomes the value.</li>
 * </ul>
 * Readings {@code na}, {@code No Reading}, {@code Disabled}, {@code Not Readable} are absent, never 0. Lines
 * without {@code |} are skipped and counted; a line with {@code |} and another number of columns is not
 * ipmitool sensor output, and parsing fails naming it.
 */
public final class IpmitoolSensorParser {

    /** Compiled once: {@code String.split} compiles a regex of more than one character on every call. */
    private static final Pattern LINE_BREAK = Pattern.compile("\r?\n");

    private static final String SOURCE = "ipmitool sensor/sdr output";
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    private static final Pattern HEX = Pattern.compile("0x([0-9a-fA-F]{1,4})");
    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s+([A-Za-z][A-Za-z ]*)");
    private static final Pattern DISCRETE_STATE = Pattern.compile("0x([0-9a-fA-F]{2})([0-9a-fA-F]{2})");

    private IpmitoolSensorParser() {
    }

    /**
     * Parses {@code ipmitool sensor}, {@code sdr elist} or {@code sdr} output.
     *
     * @throws ParseException when a line has {@code |} columns in a number no ipmitool listing prints; the
     *                        message names the line number and quotes the line
     */
    public static IpmiReadings parse(String output) {
        Objects.requireNonNull(output, "output");
        List<SensorReading> sensors = new ArrayList<>();
        int skipped = 0;
        String[] lines = LINE_BREAK.split(output, -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.indexOf('|') < 0) {
                skipped++;
                continue;
            }
            String[] cols = line.split("\\|", -1);
            for (int c = 0; c < cols.length; c++) {
                cols[c] = cols[c].strip();
            }
            if (cols[0].isEmpty()) {
                throw structural(SOURCE, i, line, "the sensor name is empty");
            }
            switch (cols.length) {
                case 10 -> sensors.add(sensorRow(cols));
                case 5 -> sensors.add(elistRow(cols));
                case 3 -> sensors.add(sdrRow(cols));
                default -> throw structural(SOURCE, i, line, "it has " + cols.length
                        + " columns; ipmitool sensor prints 10, sdr elist 5 and sdr 3");
            }
        }
        return new IpmiReadings(sensors, skipped);
    }

    private static SensorReading sensorRow(String[] c) {
        String unit = c[2];
        Thresholds t = new Thresholds(number(c[4]), number(c[5]), number(c[6]), number(c[7]), number(c[8]), number(c[9]));
        if (unit.equalsIgnoreCase("discrete")) {
            Matcher m = DISCRETE_STATE.matcher(c[3]);
            OptionalDouble bits = m.matches()
                    ? OptionalDouble.of(Integer.parseInt(m.group(1), 16) | (Integer.parseInt(m.group(2), 16) << 8))
                    : OptionalDouble.empty();
            SensorStatus status = SensorStatus.parse(c[3]).orElse(SensorStatus.UNSPECIFIED);
            return new SensorReading(c[0], SensorKind.DISCRETE, unit, status.unreadable() ? OptionalDouble.empty() : bits,
                    status, t, Optional.empty());
        }
        SensorStatus status = SensorStatus.parse(c[3]).orElse(SensorStatus.UNSPECIFIED);
        OptionalDouble value = status.unreadable() ? OptionalDouble.empty() : number(c[1]);
        return new SensorReading(c[0], unit.isEmpty() ? SensorKind.OTHER : SensorKind.ofUnit(unit), unit, value, status, t,
                Optional.empty());
    }

    private static SensorReading elistRow(String[] c) {
        SensorStatus status = SensorStatus.parse(c[2]).orElse(SensorStatus.UNSPECIFIED);
        return fromReadingText(c[0], c[4], status);
    }

    private static SensorReading sdrRow(String[] c) {
        SensorStatus status = SensorStatus.parse(c[2]).orElse(SensorStatus.UNSPECIFIED);
        return fromReadingText(c[0], c[1], status);
    }

    /** A reading printed as text: {@code 34 degrees C}, {@code 0x00}, {@code Presence detected}, {@code No Reading}. */
    private static SensorReading fromReadingText(String name, String text, SensorStatus status) {
        if (status.unreadable() || isNoReading(text)) {
            return new SensorReading(name, SensorKind.OTHER, "", OptionalDouble.empty(), status, Thresholds.none(), Optional.empty());
        }
        Matcher num = NUMBER_WITH_UNIT.matcher(text);
        if (num.matches()) {
            String unit = num.group(2).strip();
            return new SensorReading(name, SensorKind.ofUnit(unit), unit, OptionalDouble.of(Double.parseDouble(num.group(1))),
                    status, Thresholds.none(), Optional.empty());
        }
        Matcher hex = HEX.matcher(text);
        if (hex.matches()) {
            return new SensorReading(name, SensorKind.DISCRETE, "discrete", OptionalDouble.of(Integer.parseInt(hex.group(1), 16)),
                    status, Thresholds.none(), Optional.empty());
        }
        return new SensorReading(name, SensorKind.DISCRETE, "discrete", OptionalDouble.empty(), status, Thresholds.none(),
                text.isEmpty() ? Optional.empty() : Optional.of(text));
    }

    static boolean isNoReading(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "na", "n/a", "no reading", "disabled", "not readable" -> true;
            default -> false;
        };
    }

    /** A plain decimal number, or absent ({@code na}, empty, anything else). */
    static OptionalDouble number(String text) {
        String t = text.strip();
        return NUMBER.matcher(t).matches() ? OptionalDouble.of(Double.parseDouble(t)) : OptionalDouble.empty();
    }

    static ParseException structural(String source, int index, String line, String why) {
        return new ParseException(source, index + 1, line, "not a sensor row: " + why);
    }
}
