package io.dcmon.hardware.proc;

import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code /proc/mounts}. Immutable and thread-safe.
 *
 * @param device     source device, e.g. {@code /dev/vda}
 * @param mountPoint where it is mounted, with the kernel's octal escapes ({@code \040}) decoded
 * @param fsType     filesystem type, e.g. {@code ext4}
 * @param options    mount options
 */
public record Mount(String device, String mountPoint, String fsType, String options) {

    /** Compiled once: {@code String.split("\\s+")} compiles its pattern on every call, once per line here. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /**
     * Parses the text of {@code /proc/mounts}.
     *
     * @throws ProcParseException when a line has fewer than 4 fields
     */
    public static List<Mount> parse(String text) {
        List<Mount> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = WHITESPACE.split(line.trim());
            if (f.length < 4) {
                throw new ProcParseException("/proc/mounts", lineNo, line, "has " + f.length + " fields; expected at least 4");
            }
            out.add(new Mount(unescape(f[0]), unescape(f[1]), f[2], f[3]));
        }
        return out;
    }

    /** Decodes the kernel's {@code \ooo} escapes (space, tab, newline, backslash). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }
}
