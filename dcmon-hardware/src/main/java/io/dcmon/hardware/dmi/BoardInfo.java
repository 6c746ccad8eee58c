package io.dcmon.hardware.dmi;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The main board as DMI names it (type 2, "Base Board Information"). Immutable and thread-safe.
 *
 * @param vendor board manufacturer, e.g. {@code Supermicro}
 * @param name   board product name, e.g. {@code X11SSH-TF}
 */
public record BoardInfo(String vendor, String name) {

    /**
     * Supermicro board generations whose BMC implements the OEM fan commands ({@code raw 0x30 0x45},
     * {@code 0x30 0x70 0x66}): X9–X13 (Intel) and H11–H13 (AMD). The generation is the letter and number the
     * board name starts with, followed by the board's series letter ({@code X10DRH-iT}, {@code H12SSL-i}).
     */
    private static final Pattern SUPERMICRO_GENERATION = Pattern.compile("^((?:X(?:1[0-3]|9))|(?:H1[1-3]))[A-Z]",
            Pattern.CASE_INSENSITIVE);

    public BoardInfo {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(name, "name");
        vendor = vendor.strip();
        name = name.strip();
    }

    /** True when the vendor is Supermicro (DMI says {@code Supermicro} or {@code Super Micro Computer}). */
    public boolean isSupermicro() {
        String v = vendor.toLowerCase(Locale.ROOT);
        return v.startsWith("supermicro") || v.startsWith("super micro");
    }

    /** The Supermicro generation ({@code X9} … {@code X13}, {@code H11} … {@code H13}), or empty for any other board. */
    public Optional<String> supermicroGeneration() {
        if (!isSupermicro()) {
            return Optional.empty();
        }
        Matcher m = SUPERMICRO_GENERATION.matcher(name);
        return m.find() ? Optional.of(m.group(1).toUpperCase(Locale.ROOT)) : Optional.empty();
    }

    /** True for Supermicro X9–X13 and H11–H13 boards, whose BMC takes the fan mode and zone duty commands. */
    public boolean supportsSupermicroFanControl() {
        return supermicroGeneration().isPresent();
    }

    /** {@code Supermicro X11SSH-TF}, for messages. */
    @Override
    public String toString() {
        return (vendor + " " + name).strip();
    }
}
