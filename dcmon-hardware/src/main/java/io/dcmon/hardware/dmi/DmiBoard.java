package io.dcmon.hardware.dmi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads which main board this machine has, from sysfs ({@code /sys/class/dmi/id/board_vendor} and
 * {@code board_name}, readable without root) or from {@code dmidecode} output (full or {@code -t baseboard}).
 */
public final class DmiBoard {

    /** Where the kernel exposes DMI strings. */
    public static final Path SYSFS_DMI_ID = Path.of("/sys/class/dmi/id");

    private DmiBoard() {
    }

    /** The board of this machine from {@link #SYSFS_DMI_ID}; empty when the kernel has no DMI (VMs on some clouds, ARM). */
    public static Optional<BoardInfo> local() throws IOException {
        return fromSysfs(SYSFS_DMI_ID);
    }

    /**
     * The board from {@code board_vendor} and {@code board_name} under {@code dmiIdDir}.
     *
     * @return empty when either file is missing
     * @throws IOException when a file exists but cannot be read
     */
    public static Optional<BoardInfo> fromSysfs(Path dmiIdDir) throws IOException {
        Objects.requireNonNull(dmiIdDir, "dmiIdDir");
        try {
            String vendor = Files.readString(dmiIdDir.resolve("board_vendor"), StandardCharsets.UTF_8).strip();
            String name = Files.readString(dmiIdDir.resolve("board_name"), StandardCharsets.UTF_8).strip();
            return Optional.of(new BoardInfo(vendor, name));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The board from the first "Base Board Information" section of {@code dmidecode} output: its
     * {@code Manufacturer} and {@code Product Name}. Pure function over text.
     *
     * @return empty when the output has no such section (e.g. {@code dmidecode -t system})
     */
    public static Optional<BoardInfo> parseDmidecode(String output) {
        Objects.requireNonNull(output, "output");
        boolean inBoard = false;
        String vendor = null;
        String name = null;
        for (String line : output.split("\r?\n")) {
            if (!inBoard) {
                inBoard = line.strip().equals("Base Board Information");
                continue;
            }
            if (line.isBlank() || !Character.isWhitespace(line.charAt(0))) {
                break;
            }
            String t = line.strip();
            if (t.startsWith("Manufacturer:")) {
                vendor = t.substring("Manufacturer:".length()).strip();
            } else if (t.startsWith("Product Name:")) {
                name = t.substring("Product Name:".length()).strip();
            }
        }
        return vendor == null || name == null ? Optional.empty() : Optional.of(new BoardInfo(vendor, name));
    }
}
