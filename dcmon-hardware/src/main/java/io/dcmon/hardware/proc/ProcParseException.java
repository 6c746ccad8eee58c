package io.dcmon.hardware.proc;

import io.dcmon.hardware.ParseException;

/**
 * A /proc file did not have the structure its parser expects (a wrong file, or a kernel format this
 * library does not know). The message names the file, the line number and quotes the line.
 */
public final class ProcParseException extends ParseException {

    ProcParseException(String file, int lineNumber, String line, String problem) {
        super(file, lineNumber, line, problem);
    }
}
