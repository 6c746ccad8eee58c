package io.dcmon.hardware.fan;

import java.util.Objects;

/**
 * Fan control did not happen. The message says what failed, the BMC's reply and what to do; it is meant
 * to be shown to the operator as is (no stack trace needed). {@link #reason()} lets a CLI choose an exit code.
 */
public final class FanControlException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why fan control failed. */
    public enum Reason {
        /** The board or its BMC does not implement Supermicro's fan commands ({@code rsp=0xc1 Invalid command}). */
        UNSUPPORTED_BOARD,
        /** No local IPMI device ({@code Could not open device at /dev/ipmi0}). */
        NO_DEVICE,
        /** The BMC session or the device lacks the privilege ({@code rsp=0xd4}, permission denied). */
        PERMISSION,
        /** The BMC answered with another error or an unexpected reply. */
        BMC_ERROR,
        /** ipmitool is missing, timed out, could not reach the BMC, or the wait was interrupted. */
        TOOL,
        /** The request was refused before reaching the BMC (duty below the configured minimum). */
        REFUSED
    }

    private final Reason reason;

    /** An exception with the operator-facing message. */
    public FanControlException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** An exception with the operator-facing message and the tool failure behind it. */
    public FanControlException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why it failed. */
    public Reason reason() {
        return reason;
    }
}
