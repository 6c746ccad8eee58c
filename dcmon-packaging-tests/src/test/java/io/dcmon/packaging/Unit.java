package io.dcmon.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A systemd unit file read as "Section.Key" to its values (a key may repeat). */
final class Unit {

    private final Map<String, List<String>> entries = new LinkedHashMap<>();

    private Unit() {
    }

    static Unit read(Path file) throws IOException {
        Unit u = new Unit();
        String section = "";
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(file + ": line without '=': " + raw);
            }
            u.entries.computeIfAbsent(section + "." + line.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(line.substring(eq + 1).strip());
        }
        return u;
    }

    /** The last value of a key (systemd's rule for single-valued keys), or null. */
    String get(String sectionDotKey) {
        List<String> v = entries.get(sectionDotKey);
        return v == null ? null : v.get(v.size() - 1);
    }

    /** ExecStart split into words (our units quote nothing). */
    List<String> execStart() {
        String v = get("Service.ExecStart");
        if (v == null) {
            throw new IllegalStateException("no ExecStart");
        }
        return List.of(v.split("\\s+"));
    }

    /**
     * ExecStart as this machine can run it without a chroot: the binary stays (it is the host's
     * Java), every other absolute path moves under {@code root}.
     */
    List<String> execStartUnder(Path root) {
        List<String> words = execStart();
        List<String> out = new ArrayList<>();
        out.add(words.get(0));
        for (String w : words.subList(1, words.size())) {
            out.add(w.startsWith("/") ? root + w : w);
        }
        return out;
    }
}
