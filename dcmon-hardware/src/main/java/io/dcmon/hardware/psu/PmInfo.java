package io.dcmon.hardware.psu;

import java.util.List;
import java.util.Objects;

/**
 * The modules read from one pminfo output, and how many lines were not part of a module table.
 * Immutable and thread-safe.
 *
 * @param modules      modules in order of appearance
 * @param skippedLines lines outside a module block or with an unknown item
 */
public record PmInfo(List<PsuModule> modules, int skippedLines) {

    public PmInfo {
        modules = List.copyOf(Objects.requireNonNull(modules, "modules"));
    }
}
