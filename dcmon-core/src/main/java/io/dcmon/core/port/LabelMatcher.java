package io.dcmon.core.port;

import io.dcmon.core.model.Labels;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label condition of a query, as in Prometheus: {@code name="value"}, {@code name!="value"},
 * {@code name=~"regex"} or {@code name!~"regex"}. Regular expressions are Java {@link Pattern}s and anchored
 * (they must match the whole value: {@code gpu=~"1"} never matches {@code "10"}). As in Prometheus, a series
 * that lacks the label is matched as if its value were the empty string: {@code gpu!="0"} and
 * {@code gpu=~".*"} match it, {@code gpu="0"} and {@code gpu=~".+"} do not.
 *
 * <p>Immutable and thread-safe. Not a record because it keeps the compiled pattern beside its text.
 */
public final class LabelMatcher {

    /** The comparison, with its Prometheus operator text. */
    public enum Op {
        /** Equal: {@code =}. */
        EQ("="),
        /** Not equal: {@code !=}. */
        NE("!="),
        /** Anchored regex match: {@code =~}. */
        RE("=~"),
        /** No anchored regex match: {@code !~}. */
        NRE("!~");

        private final String text;

        Op(String text) {
            this.text = text;
        }

        /** The operator as written in a matcher, e.g. {@code =~}. */
        public String text() {
            return text;
        }
    }

    /** Longest regex accepted, in characters: label values are at most {@link Labels#MAX_LENGTH} long. */
    public static final int MAX_PATTERN_LENGTH = 1024;

    private final String name;
    private final Op op;
    private final String value;
    private final Pattern pattern; // RE and NRE only

    private LabelMatcher(String name, Op op, String value) {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        if (name == null || !Labels.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("label matcher name '" + name + "' is not valid; it must match "
                    + Labels.NAME.pattern());
        }
        this.name = name;
        this.op = op;
        this.value = value;
        if (op == Op.RE || op == Op.NRE) {
            if (value.length() > MAX_PATTERN_LENGTH) {
                throw new IllegalArgumentException("the regex for label '" + name + "' has " + value.length()
                        + " characters; the limit is " + MAX_PATTERN_LENGTH);
            }
            try {
                this.pattern = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("the regex for label '" + name + "' is not a valid Java regex: "
                        + e.getDescription() + " near index " + e.getIndex() + " of '" + value + "'", e);
            }
        } else {
            this.pattern = null;
        }
    }

    /**
     * A matcher.
     *
     * @throws IllegalArgumentException when the name is not a label name or the regex does not compile
     */
    public static LabelMatcher of(String name, Op op, String value) {
        return new LabelMatcher(name, op, value);
    }

    /** {@code name="value"}. */
    public static LabelMatcher equal(String name, String value) {
        return new LabelMatcher(name, Op.EQ, value);
    }

    /** {@code name=~"regex"}. */
    public static LabelMatcher regex(String name, String regex) {
        return new LabelMatcher(name, Op.RE, regex);
    }

    /**
     * Parses {@code name=value}, {@code name!=value}, {@code name=~regex} or {@code name!~regex}; the value may
     * be wrapped in double quotes (Prometheus style), which are removed, without any escapes inside.
     *
     * @throws IllegalArgumentException with what is wrong and an example, when the text is no matcher
     */
    public static LabelMatcher parse(String text) {
        Objects.requireNonNull(text, "text");
        int i = 0;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
            i++;
        }
        String name = text.substring(0, i);
        String rest = text.substring(i);
        Op op = null;
        for (Op o : new Op[] {Op.RE, Op.NRE, Op.NE, Op.EQ}) { // two-character operators first
            if (rest.startsWith(o.text())) {
                op = o;
                break;
            }
        }
        if (name.isEmpty() || op == null) {
            throw new IllegalArgumentException("label matcher '" + text + "' must be name=value, name!=value, "
                    + "name=~regex or name!~regex, e.g. gpu=~\"0|1\"");
        }
        String value = rest.substring(op.text().length());
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return new LabelMatcher(name, op, value);
    }

    /** The label name. */
    public String name() {
        return name;
    }

    /** The comparison. */
    public Op op() {
        return op;
    }

    /** The value or regex text. */
    public String value() {
        return value;
    }

    /** True when this matcher only accepts series that carry the label (so a store may prefilter on it). */
    public boolean requiresLabel() {
        return !matches((String) null);
    }

    /** Whether a label value matches; {@code null} (label absent) counts as the empty string. */
    public boolean matches(String labelValue) {
        String v = labelValue == null ? "" : labelValue;
        return switch (op) {
            case EQ -> v.equals(value);
            case NE -> !v.equals(value);
            case RE -> pattern.matcher(v).matches();
            case NRE -> !pattern.matcher(v).matches();
        };
    }

    /** Whether a series with these labels matches. */
    public boolean matches(Labels labels) {
        return matches(labels.get(name));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m && m.name.equals(name) && m.op == op && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, op, value);
    }

    /** The matcher in Prometheus syntax, e.g. {@code gpu=~"0|1"}. */
    @Override
    public String toString() {
        return name + op.text() + '"' + value + '"';
    }
}
