package io.dcmon.hardware.exec;

import io.dcmon.hardware.CollectorException;

/**
 * An external tool could not give an answer. The subtypes keep "not installed" apart from "failed",
 * "hung" and "still busy", so "not installed" never looks like "no data".
 */
public abstract sealed class ToolException extends CollectorException
        permits ToolException.NotFound, ToolException.Failed, ToolException.TimedOut, ToolException.Busy {

    protected ToolException(String message) {
        super(message);
    }

    /** The binary is missing or not executable. */
    public static final class NotFound extends ToolException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The tool exited with a non-zero status; {@link #result()} holds its output. */
    public static final class Failed extends ToolException {
        private final transient CommandResult result;

        public Failed(String message, CommandResult result) {
            super(message);
            this.result = result;
        }

        /** Exit status and captured output of the failed run. */
        public CommandResult result() {
            return result;
        }
    }

    /** The tool did not finish in time and was killed with its children. */
    public static final class TimedOut extends ToolException {
        public TimedOut(String message) {
            super(message);
        }
    }

    /**
     * The previous call of the same tool is still running, so this call was refused instead of piling up
     * behind it (see {@link ToolRunner}).
     */
    public static final class Busy extends ToolException {
        public Busy(String message) {
            super(message);
        }
    }
}
