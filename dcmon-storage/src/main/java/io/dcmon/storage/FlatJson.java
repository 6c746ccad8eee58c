package io.dcmon.storage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A flat JSON object of strings ({@code {"a":"1"}}), enough for labels, hardware summaries and command
 * parameters. Standard JSON, so SQLite's {@code json_extract} and PostgreSQL's jsonb read what this writes and this
 * reads their text; no JSON library needed. Public because every store writes the same format, so data migrated
 * between them reads back unchanged.
 */
public final class FlatJson {

    private FlatJson() {
    }

    /** The map as a JSON object, keys in the map's order. */
    public static String write(Map<String, String> map) {
        StringBuilder sb = new StringBuilder(2 + map.size() * 16).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, e.getKey());
            sb.append(':');
            quote(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A JSON object of strings read back, sorted by key. */
    public static SortedMap<String, String> readSorted(String json) {
        return new TreeMap<>(read(json));
    }

    /** A JSON object of strings read back, in document order. */
    public static Map<String, String> read(String json) {
        Parser p = new Parser(json);
        Map<String, String> out = new LinkedHashMap<>();
        p.skipWs();
        p.expect('{');
        p.skipWs();
        if (p.peek() == '}') {
            p.pos++;
            return out;
        }
        while (true) {
            p.skipWs();
            String k = p.string();
            p.skipWs();
            p.expect(':');
            p.skipWs();
            String v = p.string();
            out.put(k, v);
            p.skipWs();
            char c = p.next();
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw p.error("expected ',' or '}'");
            }
        }
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                throw error("expected '" + c + "'");
            }
        }

        void skipWs() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape '\\" + e + "'");
                }
            }
        }

        IllegalStateException error(String what) {
            String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
            return new IllegalStateException("stored JSON is corrupt at character " + pos + " (" + what + "): " + shown);
        }
    }
}
