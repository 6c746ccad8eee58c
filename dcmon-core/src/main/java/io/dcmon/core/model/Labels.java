package io.dcmon.core.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A small, immutable set of string labels in canonical (sorted by name) order.
 * Two label sets with the same pairs are equal and have the same {@link #canonical()} text,
 * which is what storage keys a series by. Thread-safe.
 *
 * @param map the labels, sorted by name; unmodifiable
 */
public record Labels(SortedMap<String, String> map) {

    /** Label names follow Prometheus: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    public static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** At most this many labels per series: labels are for identity, not payload. */
    public static final int MAX_LABELS = 32;
    /** Longest label name or value, in characters. */
    public static final int MAX_LENGTH = 256;

    private static final Labels EMPTY = new Labels(new TreeMap<>());

    public Labels {
        Objects.requireNonNull(map, "map");
        if (map.size() > MAX_LABELS) {
            throw new IllegalArgumentException("a series has " + map.size() + " labels; the limit is " + MAX_LABELS);
        }
        // a map built by this class (Owned) is private to the new instance, so it is checked in place instead of
        // copied a second time: Labels are made once per ingested sample
        TreeMap<String, String> copy = map instanceof Owned owned ? owned : new TreeMap<>();
        boolean fill = copy != map;
        for (Map.Entry<String, String> e : map.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (name == null || !isName(name) || name.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("label name '" + truncate(name) + "' is not valid; it must match "
                        + NAME.pattern() + " and be at most " + MAX_LENGTH + " characters");
            }
            if (value == null || value.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("label '" + name + "' has " + (value == null ? "no value" : value.length() + " characters")
                        + "; values must be present and at most " + MAX_LENGTH + " characters");
            }
            if (fill) {
                copy.put(name, value);
            }
        }
        map = Collections.unmodifiableSortedMap(copy);
    }

    /** A sorted map that only this class creates and never shares, so the constructor may keep it without a copy. */
    private static final class Owned extends TreeMap<String, String> {
        private static final long serialVersionUID = 1L;

        Owned() {
        }

        Owned(Map<String, String> m) {
            super(m);
        }
    }

    /**
     * True when {@code s} matches {@link #NAME}; a character loop instead of the regex because every label of every
     * ingested sample is checked (same rule, a fraction of the cost).
     */
    static boolean isName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The empty label set. */
    public static Labels empty() {
        return EMPTY;
    }

    /** Labels from alternating names and values: {@code Labels.of("gpu", "0", "uuid", "GPU-1")}. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs; got " + namesAndValues.length + " strings");
        }
        TreeMap<String, String> m = new Owned();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Labels(m);
    }

    /** Labels from a map (copied). */
    public static Labels of(Map<String, String> labels) {
        return labels.isEmpty() ? EMPTY : new Labels(new Owned(labels));
    }

    /** A copy with one more (or replaced) label. */
    public Labels with(String name, String value) {
        TreeMap<String, String> m = new Owned(map);
        m.put(name, value);
        return new Labels(m);
    }

    /** The value of a label, or null. */
    public String get(String name) {
        return map.get(name);
    }

    /** True when there are no labels. */
    public boolean isEmpty() {
        return map.isEmpty();
    }

    /**
     * The canonical text, Prometheus style: {@code {a="1",b="x\"y"}}; {@code {}} when empty.
     * Equal label sets always give equal text, so storage can key series by it.
     */
    public String canonical() {
        StringBuilder sb = new StringBuilder(16 + map.size() * 16).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(e.getKey()).append("=\"");
            String v = e.getValue();
            // almost no value needs escaping: copy those whole (storage keys every ingested sample by this text)
            if (v.indexOf('\\') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
                sb.append(v).append('"');
                continue;
            }
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    @Override
    public String toString() {
        return canonical();
    }

    static String truncate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
