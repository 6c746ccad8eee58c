package io.dcmon.hardware.apt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Debian/Ubuntu's reboot flag: {@code /var/run/reboot-required} exists after an update that needs a reboot,
 * and {@code reboot-required.pkgs} lists the packages that asked for it. Immutable and thread-safe.
 *
 * @param required true when the flag file exists
 * @param packages distinct package names from the {@code .pkgs} file (empty when absent)
 */
public record RebootRequired(boolean required, Set<String> packages) {

    public RebootRequired {
        packages = Set.copyOf(packages);
    }

    /** Reads the flag under {@code root} (normally {@code /}). Unreadable files count as absent. */
    public static RebootRequired read(Path root) {
        Path dir = root.resolve("var/run");
        boolean flag = Files.exists(dir.resolve("reboot-required"));
        Set<String> pkgs = new LinkedHashSet<>();
        try {
            for (String l : Files.readAllLines(dir.resolve("reboot-required.pkgs"), StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    pkgs.add(l.trim());
                }
            }
        } catch (IOException e) {
            // no .pkgs file: no package names, the flag alone decides
        }
        return new RebootRequired(flag, pkgs);
    }
}
