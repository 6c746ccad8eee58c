package io.dcmon.hardware;

/**
 * A tool's output did not have the structure its parser expects (a wrong command, an unknown format
 * version, an error text where data was expected). The message names the source, the line number and
 * quotes the line, truncated. Parsers throw it only for structural problems: an unparsable single field
 * becomes absent instead.
 */
public class ParseException extends IllegalArgumentException {

    /**
     * @param source     what was parsed, e.g. {@code "nvidia-smi --query-gpu output"}
     * @param lineNumber 1-based line number, 0 when not line-oriented
     * @param line       the offending line (truncated to 120 characters in the message)
     * @param problem    what is wrong and, where possible, what to do
     */
    public ParseException(String source, int lineNumber, String line, String problem) {
        super(source + (lineNumber > 0 ? " line " + lineNumber : "") + (line == null ? "" : " '" + truncate(line) + "'")
                + ": " + problem);
    }

    /** A problem not tied to one line. */
    public ParseException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }

    /** The first 120 characters of {@code line}, on one line. */
    public static String truncate(String line) {
        String l = line.replace('\n', ' ').replace('\r', ' ');
        return l.length() <= 120 ? l : l.substring(0, 120) + "…";
    }
}
