package io.dcmon.hardware.proc;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The summary of {@code /proc/cpuinfo} a hardware inventory needs. Immutable and thread-safe.
 *
 * @param logicalCpus number of {@code processor} entries
 * @param modelName   the first {@code model name} (x86) or {@code Model}/{@code CPU part} (ARM), when present
 * @param sockets     distinct {@code physical id} values (0 when the kernel does not report them)
 */
public record CpuInfo(int logicalCpus, Optional<String> modelName, int sockets) {

    /** Parses the text of {@code /proc/cpuinfo}. */
    public static CpuInfo parse(String text) {
        int processors = 0;
        String model = null;
        Set<String> sockets = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "processor" -> processors++;
                case "model name", "Model" -> {
                    if (model == null && !value.isEmpty()) {
                        model = value;
                    }
                }
                case "physical id" -> sockets.add(value);
                default -> {
                    // other keys are not part of the summary
                }
            }
        }
        return new CpuInfo(processors, Optional.ofNullable(model), sockets.size());
    }
}
