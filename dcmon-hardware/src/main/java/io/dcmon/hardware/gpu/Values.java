package io.dcmon.hardware.gpu;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Cell parsing shared by the CSV and XML parsers: "not supported" spellings become absent, units are dropped. */
final class Values {
    private Values() {
    }

    static final long MIB = 1024L * 1024L;

    /** The cell without surrounding blanks, or null when it says the value is not available. */
    static String present(String raw) {
        if (raw == null) {
            return null;
        }
        String v = raw.trim();
        if (v.isEmpty() || v.equals("N/A") || v.equals("Not Supported") || v.equals("Unknown Error")
                || (v.startsWith("[") && v.endsWith("]"))) {
            return null; // [N/A], [Not Supported], [Unknown Error], [GPU is lost], [Insufficient Permissions], …
        }
        return v;
    }

    /** The leading number of a cell such as {@code "532.22"}, {@code "81559 MiB"}, {@code "58 C"}, {@code "16x"}. */
    static OptionalDouble number(String raw) {
        String v = present(raw);
        if (v == null) {
            return OptionalDouble.empty();
        }
        int end = 0;
        while (end < v.length() && (Character.isDigit(v.charAt(end)) || v.charAt(end) == '.' || (end == 0 && v.charAt(0) == '-'))) {
            end++;
        }
        if (end == 0) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(v.substring(0, end)));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    static OptionalLong integer(String raw) {
        OptionalDouble d = number(raw);
        return d.isPresent() ? OptionalLong.of(Math.round(d.getAsDouble())) : OptionalLong.empty();
    }

    static OptionalInt smallInt(String raw) {
        OptionalDouble d = number(raw);
        return d.isPresent() ? OptionalInt.of((int) Math.round(d.getAsDouble())) : OptionalInt.empty();
    }

    /** MiB (what nvidia-smi prints) to bytes. */
    static OptionalLong mibToBytes(String raw) {
        OptionalDouble d = number(raw);
        return d.isPresent() ? OptionalLong.of(Math.round(d.getAsDouble() * MIB)) : OptionalLong.empty();
    }

    /** A {@code 0x…} bitmask. */
    static OptionalLong hex(String raw) {
        String v = present(raw);
        if (v == null || !(v.startsWith("0x") || v.startsWith("0X"))) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(v.substring(2), 16));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Yes/No, Enabled/Disabled, Active/Not Active. */
    static Optional<Boolean> bool(String raw) {
        String v = present(raw);
        if (v == null) {
            return Optional.empty();
        }
        return switch (v) {
            case "Yes", "yes", "Enabled", "Active", "True", "true" -> Optional.of(true);
            case "No", "no", "Disabled", "Not Active", "False", "false" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    static Optional<String> text(String raw) {
        return Optional.ofNullable(present(raw));
    }
}
