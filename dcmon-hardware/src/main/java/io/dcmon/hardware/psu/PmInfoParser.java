package io.dcmon.hardware.psu;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Supermicro {@code ipmicfg -pminfo} and SMCIPMITool {@code pminfo} output (the same table). Pure
 * function over text.
 *
 * <p>A module block starts with {@code [SlaveAddress = 78h] [Module 1]} and ends at a blank line; inside it,
 * {@code Item | Value} rows. Leading blanks vary between captures and do not matter. Rows outside a block
 * and unknown items are skipped and counted. {@code N/A} is absent; {@code 0 W} is zero.
 */
public final class PmInfoParser {

    private static final Pattern HEADER = Pattern.compile("\\s*\\[SlaveAddress\\s*=\\s*([0-9A-Fa-f]+h)\\]\\s*\\[Module\\s+(\\d+)\\]\\s*");
    private static final Pattern ROW = Pattern.compile("\\s*([^|]+?)\\s*\\|\\s*(.*?)\\s*");
    private static final Pattern NUMBER_UNIT = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(V|A|W|RPM)");
    private static final Pattern CELSIUS = Pattern.compile("(-?\\d+(?:\\.\\d+)?)C/-?\\d+(?:\\.\\d+)?F");
    private static final Pattern STATUS_BYTE = Pattern.compile("\\(([0-9A-Fa-f]{2})h\\)");
    private static final Pattern NUMBERED = Pattern.compile("(Temperature|Fan)\\s+(\\d+)");

    private PmInfoParser() {
    }

    /** Parses the whole output. */
    public static PmInfo parse(String output) {
        Objects.requireNonNull(output, "output");
        List<PsuModule> modules = new ArrayList<>();
        int skipped = 0;
        Block block = null;
        for (String line : output.split("\r?\n", -1)) {
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                if (block != null) {
                    modules.add(block.build());
                }
                block = new Block(h.group(1), Integer.parseInt(h.group(2)));
                continue;
            }
            if (line.isBlank()) {
                if (block != null) {
                    modules.add(block.build());
                    block = null;
                }
                continue;
            }
            Matcher r = ROW.matcher(line);
            if (block == null || !r.matches() || !block.accept(r.group(1), r.group(2))) {
                skipped++;
            }
        }
        if (block != null) {
            modules.add(block.build());
        }
        return new PmInfo(modules, skipped);
    }

    /** The rows of one module while it is read. */
    private static final class Block {
        final String address;
        final int module;
        String status = "";
        boolean dc;
        OptionalDouble vin = OptionalDouble.empty();
        OptionalDouble iin = OptionalDouble.empty();
        OptionalDouble vout = OptionalDouble.empty();
        OptionalDouble iout = OptionalDouble.empty();
        OptionalDouble pin = OptionalDouble.empty();
        OptionalDouble pout = OptionalDouble.empty();
        final TreeMap<Integer, Double> temps = new TreeMap<>();
        final TreeMap<Integer, Integer> fans = new TreeMap<>();
        Optional<String> model = Optional.empty();
        Optional<String> serial = Optional.empty();
        Optional<String> revision = Optional.empty();

        Block(String address, int module) {
            this.address = address;
            this.module = module;
        }

        /** Takes one row; false for header/separator rows and unknown items. */
        boolean accept(String item, String value) {
            String name = item;
            if (name.endsWith("(DC)")) {
                dc = true;
                name = name.substring(0, name.length() - 4).strip();
            }
            Matcher n = NUMBERED.matcher(name);
            if (n.matches()) {
                int index = Integer.parseInt(n.group(2));
                if (n.group(1).equals("Temperature")) {
                    Matcher c = CELSIUS.matcher(value);
                    if (c.matches()) {
                        temps.put(index, Double.parseDouble(c.group(1)));
                    }
                } else {
                    OptionalDouble rpm = number(value, "RPM");
                    if (rpm.isPresent()) {
                        fans.put(index, (int) Math.round(rpm.getAsDouble()));
                    }
                }
                return true;
            }
            switch (name) {
                case "Status" -> status = value;
                case "Input Voltage" -> vin = number(value, "V");
                case "Input Current" -> iin = number(value, "A");
                case "Main Output Voltage" -> vout = number(value, "V");
                case "Main Output Current" -> iout = number(value, "A");
                case "Input Power" -> pin = number(value, "W");
                case "Main Output Power" -> pout = number(value, "W");
                case "PWS Module Number" -> model = text(value);
                case "PWS Serial Number" -> serial = text(value);
                case "PWS Revision" -> revision = text(value);
                case "PMBus Revision" -> {
                    // Known, not reported: it describes the protocol, not the module's state.
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        PsuModule build() {
            Matcher b = STATUS_BYTE.matcher(status);
            OptionalInt statusByte = b.find() ? OptionalInt.of(Integer.parseInt(b.group(1), 16)) : OptionalInt.empty();
            return new PsuModule(address, module, status, statusByte, dc, vin, iin, vout, iout, pin, pout, temps, fans,
                    model, serial, revision);
        }

        private static OptionalDouble number(String value, String unit) {
            Matcher m = NUMBER_UNIT.matcher(value);
            return m.matches() && m.group(2).equals(unit) ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
        }

        private static Optional<String> text(String value) {
            return value.isEmpty() || value.equalsIgnoreCase("N/A") ? Optional.empty() : Optional.of(value);
        }
    }
}
