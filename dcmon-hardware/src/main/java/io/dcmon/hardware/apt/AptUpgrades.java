package io.dcmon.hardware.apt;

import io.dcmon.hardware.ParseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code apt-get -s upgrade} (or {@code -s -qq upgrade}) would install. Pure parser; immutable and
 * thread-safe.
 *
 * @param packages       one entry per {@code Inst} line
 * @param summaryUpgraded the "N upgraded, …" summary when printed (not with {@code -qq})
 * @param skippedLines   lines that were neither {@code Inst}, {@code Conf}, the summary nor known chatter
 */
public record AptUpgrades(List<PendingUpgrade> packages, OptionalInt summaryUpgraded, int skippedLines) {

    public AptUpgrades {
        packages = List.copyOf(packages);
    }

    /**
     * One package apt would upgrade.
     *
     * @param name      package name
     * @param installed installed version, when printed
     * @param candidate the version apt would install
     * @param origins   release origins, e.g. {@code Ubuntu:12.04/precise-security}
     */
    public record PendingUpgrade(String name, Optional<String> installed, String candidate, String origins) {
        /** True when an origin is a security archive ({@code -security}, {@code Debian-Security}). */
        public boolean security() {
            return origins.toLowerCase(Locale.ROOT).contains("security");
        }
    }

    // Inst NAME [INSTALLED] (CANDIDATE ORIGINS [ARCH]) [deps]
    private static final Pattern INST = Pattern.compile("^Inst (\\S+)(?: \\[([^\\]]*)\\])? \\((\\S+) (.*?) \\[[^\\]]*\\]\\).*$");
    private static final Pattern SUMMARY = Pattern.compile("^(\\d+) upgraded, \\d+ newly installed, \\d+ to remove and \\d+ not upgraded\\.$");

    /** Pending upgrades. */
    public int pending() {
        return packages.size();
    }

    /** Pending upgrades from a security archive. */
    public int security() {
        return (int) packages.stream().filter(PendingUpgrade::security).count();
    }

    /**
     * Parses the output of {@code apt-get -s upgrade}.
     *
     * @throws ParseException when an {@code Inst} line does not have the expected shape, or the summary
     *                        disagrees with the number of {@code Inst} lines
     */
    public static AptUpgrades parse(String output) {
        List<PendingUpgrade> pkgs = new ArrayList<>();
        OptionalInt summary = OptionalInt.empty();
        int skipped = 0;
        int lineNo = 0;
        boolean inList = false;
        for (String line : output.split("\n", -1)) {
            lineNo++;
            if (line.startsWith("Inst ")) {
                Matcher m = INST.matcher(line);
                if (!m.matches()) {
                    throw new ParseException("apt-get -s upgrade output", lineNo, line,
                            "an Inst line without '(version origin [arch])'");
                }
                pkgs.add(new PendingUpgrade(m.group(1), Optional.ofNullable(m.group(2)), m.group(3), m.group(4)));
                continue;
            }
            Matcher s = SUMMARY.matcher(line.trim());
            if (s.matches()) {
                summary = OptionalInt.of(Integer.parseInt(s.group(1)));
                inList = false;
                continue;
            }
            if (line.startsWith("The following")) {
                inList = true; // package name lists, indented, follow
                continue;
            }
            if (line.isBlank() || line.startsWith("Conf ") || line.startsWith("NOTE:") || line.startsWith("      ")
                    || line.startsWith("Reading ") || line.startsWith("Building ") || line.startsWith("Calculating ")
                    || (inList && line.startsWith("  "))) {
                continue;
            }
            skipped++;
        }
        if (summary.isPresent() && summary.getAsInt() != pkgs.size()) {
            throw new ParseException("apt-get -s upgrade output", 0, null, "the summary says " + summary.getAsInt()
                    + " upgraded but there are " + pkgs.size() + " Inst lines; was the output truncated?");
        }
        return new AptUpgrades(pkgs, summary, skipped);
    }
}
