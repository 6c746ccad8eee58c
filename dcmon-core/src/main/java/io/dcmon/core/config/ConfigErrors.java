package io.dcmon.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Collects configuration problems so an operator sees all of them at once, Dropwizard style:
 * "FILE has the following errors:" followed by one "  * …" line per problem.
 */
public final class ConfigErrors {

    private final String source;
    private final List<String> errors = new ArrayList<>();

    /** @param source what is being read, e.g. the file name */
    public ConfigErrors(String source) {
        this.source = source;
    }

    /** Records a problem. */
    public void add(String message) {
        errors.add(message);
    }

    /** Records an unknown key with a "did you mean" hint. */
    public void unknownKey(String path, String key, Collection<String> known) {
        errors.add((path.isEmpty() ? "" : path + ".") + key + ": unknown property." + didYouMean(key, known));
    }

    /** True when nothing was recorded. */
    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** All problems, formatted for a terminal. */
    public String format() {
        StringBuilder sb = new StringBuilder(source).append(" has the following errors:");
        errors.forEach(e -> sb.append("\n  * ").append(e));
        return sb.toString();
    }

    /** Throws an {@link IllegalArgumentException} holding {@link #format()} when anything was recorded. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(format());
        }
    }

    /**
     * A hint for a mistyped key: " Did you mean 'server_url'?" when a known key is close (camelCase and dashes
     * are normalised first), otherwise the list of known keys.
     */
    public static String didYouMean(String key, Collection<String> known) {
        String normalized = key.replaceAll("([a-z])([A-Z])", "$1_$2").replace('-', '_').toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            // "server_url" for "server" is a near miss too, though many edits apart
            int d = normalized.startsWith(k) || k.startsWith(normalized) ? 1 : distance(normalized, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        if (best != null && bestDistance <= Math.max(2, best.length() / 3)) {
            return " Did you mean '" + best + "'?";
        }
        return " Known keys: " + String.join(", ", known.stream().sorted().toList());
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
