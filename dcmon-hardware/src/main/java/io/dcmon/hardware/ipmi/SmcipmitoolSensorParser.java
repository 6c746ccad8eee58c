package io.dcmon.hardware.ipmi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Supermicro SMCIPMITool's {@code ipmi sensor} table ({@code Status | (#)Sensor | Reading | Low Limit |
 * High Limit |}) into the same {@link SensorReading}s as ipmitool's listings. Pure function over text.
 *
 * <p>Readings carry both scales ({@code 47C/117F}); the Celsius part is kept. {@code Low Limit} and
 * {@code High Limit} are the lower and upper critical thresholds (they match ipmitool's lcr/ucr on the same
 * boards). The status column is {@code OK} or empty; a reading of {@code N/A} is absent. A discrete sensor
 * prints its state text across the reading and limit columns.
 */
public final class SmcipmitoolSensorParser {

    /** Compiled once: {@code String.split} compiles a regex of more than one character on every call. */
    private static final Pattern LINE_BREAK = Pattern.compile("\r?\n");

    private static final Pattern ROW = Pattern.compile("\\s*([^|]*)\\|\\s*\\((\\d+)\\)\\s*(.*?)\\s*\\|(.*)");
    private static final Pattern CELSIUS = Pattern.compile("(-?\\d+(?:\\.\\d+)?)C/-?\\d+(?:\\.\\d+)?F");
    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(RPM|V|W|A)");

    private SmcipmitoolSensorParser() {
    }

    /**
     * Parses the table; banner, header and separator lines are skipped and counted.
     *
     * @throws io.dcmon.hardware.ParseException when a sensor row has neither 3 value columns nor one state column
     */
    public static IpmiReadings parse(String output) {
        Objects.requireNonNull(output, "output");
        List<SensorReading> sensors = new ArrayList<>();
        int skipped = 0;
        String[] lines = LINE_BREAK.split(output, -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher row = ROW.matcher(lines[i]);
            if (!row.matches()) {
                skipped++;
                continue;
            }
            String statusText = row.group(1).strip();
            String name = row.group(3);
            String[] rest = row.group(4).split("\\|", -1);
            for (int c = 0; c < rest.length; c++) {
                rest[c] = rest[c].strip();
            }
            // A trailing "|" leaves one empty column at the end.
            int columns = rest.length > 0 && rest[rest.length - 1].isEmpty() ? rest.length - 1 : rest.length;
            if (name.isEmpty()) {
                throw IpmitoolSensorParser.structural("SMCIPMITool ipmi sensor output", i, lines[i], "the sensor name is empty");
            }
            SensorStatus status = status(statusText);
            if (columns == 1) {
                String state = rest[0];
                boolean none = IpmitoolSensorParser.isNoReading(state);
                sensors.add(new SensorReading(name, SensorKind.DISCRETE, "discrete", OptionalDouble.empty(),
                        none ? SensorStatus.NS : status, Thresholds.none(), none ? Optional.empty() : Optional.of(state)));
            } else if (columns == 3) {
                sensors.add(thresholdRow(name, status, rest[0], rest[1], rest[2]));
            } else {
                throw IpmitoolSensorParser.structural("SMCIPMITool ipmi sensor output", i, lines[i], "it has " + columns
                        + " value columns; SMCIPMITool prints 3 (reading, low, high) or 1 (state)");
            }
        }
        return new IpmiReadings(sensors, skipped);
    }

    private static SensorReading thresholdRow(String name, SensorStatus status, String reading, String low, String high) {
        String unit = unitOf(reading).or(() -> unitOf(low)).or(() -> unitOf(high)).orElse("");
        OptionalDouble value = IpmitoolSensorParser.isNoReading(reading) ? OptionalDouble.empty() : value(reading);
        Thresholds t = new Thresholds(OptionalDouble.empty(), value(low), OptionalDouble.empty(),
                OptionalDouble.empty(), value(high), OptionalDouble.empty());
        SensorStatus s = value.isEmpty() ? SensorStatus.NA : status;
        return new SensorReading(name, unit.isEmpty() ? SensorKind.OTHER : SensorKind.ofUnit(unit), unit, value, s, t,
                Optional.empty());
    }

    private static SensorStatus status(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "ok" -> SensorStatus.OK;
            case "warning", "nc" -> SensorStatus.NC;
            case "critical", "cr" -> SensorStatus.CR;
            case "nr" -> SensorStatus.NR;
            case "" -> SensorStatus.NA;
            default -> SensorStatus.UNSPECIFIED;
        };
    }

    private static Optional<String> unitOf(String text) {
        if (CELSIUS.matcher(text).matches()) {
            return Optional.of("degrees C");
        }
        Matcher m = NUMBER_WITH_UNIT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(switch (m.group(2)) {
            case "RPM" -> "RPM";
            case "V" -> "Volts";
            case "W" -> "Watts";
            default -> "Amps";
        });
    }

    private static OptionalDouble value(String text) {
        Matcher c = CELSIUS.matcher(text);
        if (c.matches()) {
            return OptionalDouble.of(Double.parseDouble(c.group(1)));
        }
        Matcher m = NUMBER_WITH_UNIT.matcher(text);
        return m.matches() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }
}
