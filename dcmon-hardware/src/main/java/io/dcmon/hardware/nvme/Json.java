package io.dcmon.hardware.nvme;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader (RFC 8259) for the outputs of nvme-cli and smartctl, so this library needs no
 * JSON dependency. Objects become {@code Map<String, Object>} (insertion order; a repeated key keeps its last
 * value, as most parsers do), arrays {@code List<Object>}, strings {@code String}, {@code true}/{@code false}
 * {@code Boolean}, {@code null} {@link #NULL}. Integers become {@code Long}, or {@code BigInteger} beyond
 * 64 bits (NVMe counters are 128-bit); other numbers {@code Double}. Everything outside the grammar is
 * rejected with the line and column: comments, trailing commas, single quotes, leading zeros, NaN, control
 * characters in strings, trailing text. Nesting is limited to {@value #MAX_DEPTH} levels.
 */
final class Json {

    /** JSON {@code null}; a map never holds Java null. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    static final int MAX_DEPTH = 64;

    private final String s;
    private int pos;
    private int depth;

    private Json(String s) {
        this.s = s;
    }

    /**
     * Parses one JSON value filling the whole text (surrounding whitespace allowed).
     *
     * @throws JsonException naming line and column of the first error
     */
    static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.pos != p.s.length()) {
            throw p.error("unexpected text after the JSON value");
        }
        return v;
    }

    /** The text was not JSON; the message names the line and column. */
    static final class JsonException extends IllegalArgumentException {
        JsonException(String message) {
            super(message);
        }
    }

    private Object value() {
        if (pos >= s.length()) {
            throw error("unexpected end of input");
        }
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        pos++; // {
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            pos++;
            depth--;
            return m;
        }
        while (true) {
            ws();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            String key = string();
            ws();
            expect(':');
            ws();
            m.put(key, value());
            ws();
            char c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
            ws();
            if (peek() == '}') {
                throw error("trailing comma before '}'");
            }
        }
        depth--;
        return Collections.unmodifiableMap(m);
    }

    private List<Object> array() {
        enter();
        pos++; // [
        List<Object> l = new ArrayList<>();
        ws();
        if (peek() == ']') {
            pos++;
            depth--;
            return l;
        }
        while (true) {
            ws();
            l.add(value());
            ws();
            char c = next();
            if (c == ']') {
                break;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
            ws();
            if (peek() == ']') {
                throw error("trailing comma before ']'");
            }
        }
        depth--;
        return Collections.unmodifiableList(l);
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw error("truncated \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> {
                    pos--;
                    throw error("bad escape '\\" + e + "'");
                }
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (Character.isDigit(peek())) {
                throw error("leading zero in number");
            }
        } else if (Character.isDigit(peek())) {
            while (Character.isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("expected a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!Character.isDigit(peek())) {
                throw error("expected a digit after '.'");
            }
            while (Character.isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!Character.isDigit(peek())) {
                throw error("expected a digit in the exponent");
            }
            while (Character.isDigit(peek())) {
                pos++;
            }
        }
        String t = s.substring(start, pos);
        if (integral) {
            BigInteger b = new BigInteger(t);
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        return new BigDecimal(t).doubleValue();
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) {
            throw error("unexpected literal");
        }
        pos += word.length();
        return v;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void ws() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                break;
            }
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= s.length()) {
            throw error("unexpected end of input");
        }
        return s.charAt(pos++);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private JsonException error(String problem) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(pos, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        int lineStart = s.lastIndexOf('\n', Math.max(0, Math.min(pos, s.length()) - 1)) + 1;
        int lineEnd = s.indexOf('\n', lineStart);
        String text = s.substring(lineStart, lineEnd < 0 ? s.length() : lineEnd);
        return new JsonException("line " + line + " column " + col + ": " + problem + " in '"
                + (text.length() > 120 ? text.substring(0, 120) + "…" : text) + "'");
    }

    // ---- typed access used by the nvme parsers ----

    /** The object at {@code key}, or an empty map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof Map ? (Map<String, Object>) v : Map.of();
    }

    /** The array at {@code key}, or an empty list. */
    @SuppressWarnings("unchecked")
    static List<Object> arr(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof List ? (List<Object>) v : List.of();
    }

    /** The string at {@code key} (trimmed), or null. */
    static String str(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        if (v instanceof String t) {
            return t.trim();
        }
        return v instanceof Long || v instanceof BigInteger ? v.toString() : null;
    }

    /** The number at {@code key} as BigInteger: JSON integers, or strings holding one (nvme-cli prints some 128-bit counters as strings). */
    static BigInteger integer(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        if (v instanceof Long l) {
            return BigInteger.valueOf(l);
        }
        if (v instanceof BigInteger b) {
            return b;
        }
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return BigDecimal.valueOf(d).toBigInteger();
        }
        if (v instanceof String t) {
            String digits = t.trim().replace(",", "");
            if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit)) {
                return new BigInteger(digits);
            }
        }
        return null;
    }

    /** Reads the value at a path of object keys. */
    static Object at(Object root, String... path) {
        Object cur = root;
        for (String p : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(p);
        }
        return cur;
    }
}
