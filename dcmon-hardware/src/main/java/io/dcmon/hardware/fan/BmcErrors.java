package io.dcmon.hardware.fan;

import io.dcmon.hardware.dmi.BoardInfo;
import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.ToolException;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what ipmitool said about a failed raw command into the operator-facing {@link FanControlException}.
 * Pure: the classification reads only the command, the board and ipmitool's output.
 */
final class BmcErrors {

    static final String SUPPORTED = "Supermicro X9–X13/H11–H13";
    private static final Pattern RSP = Pattern.compile("rsp=(0x[0-9a-fA-F]{1,2})\\)\\s*:?\\s*([^\\r\\n]*)");

    private BmcErrors() {
    }

    /**
     * The exception for a failed {@code command} ({@code ipmitool raw 0x30 0x45 0x00}).
     *
     * @param command what ran, as shown to the operator (password already masked)
     * @param board   the board when known
     */
    static FanControlException from(String command, Optional<BoardInfo> board, ToolException e) {
        if (e instanceof ToolException.Failed failed) {
            CommandResult r = failed.result();
            String said = r == null ? e.getMessage() : (r.stderr() + "\n" + r.stdout()).strip();
            return fromReply(command, board, said, e);
        }
        if (e instanceof ToolException.NotFound) {
            return new FanControlException(FanControlException.Reason.TOOL, command + " could not run: " + e.getMessage(), e);
        }
        return new FanControlException(FanControlException.Reason.TOOL, command + " failed: " + e.getMessage(), e);
    }

    /** The exception for ipmitool's reply text (stderr of a failed call). */
    static FanControlException fromReply(String command, Optional<BoardInfo> board, String reply, Throwable cause) {
        String onBoard = board.map(b -> " on board " + b).orElse("");
        Matcher rsp = RSP.matcher(reply);
        if (rsp.find()) {
            String code = rsp.group(1).toLowerCase(Locale.ROOT);
            String text = rsp.group(2).strip();
            String failed = command + " failed (rsp=" + code + (text.isEmpty() ? "" : " " + text) + ")";
            switch (code) {
                case "0xc1" -> {
                    String what;
                    if (board.isPresent() && board.get().supportsSupermicroFanControl()) {
                        what = ": the BMC of " + board.get() + " does not implement Supermicro's fan commands; fan control is"
                                + " unavailable (update the BMC firmware, or set the fan mode in the BMC web interface)";
                    } else if (board.isPresent()) {
                        what = ": this board (" + board.get() + ") is not a " + SUPPORTED + "; fan control is unavailable";
                    } else {
                        what = ": this board is not a " + SUPPORTED + " (or its BMC lacks Supermicro's fan commands); fan control is unavailable";
                    }
                    return new FanControlException(FanControlException.Reason.UNSUPPORTED_BOARD, failed + what, cause);
                }
                case "0xd4" -> {
                    return new FanControlException(FanControlException.Reason.PERMISSION, failed + onBoard
                            + ": the BMC session lacks the privilege for OEM commands; use a BMC user with ADMINISTRATOR privilege", cause);
                }
                case "0xc9", "0xcc" -> {
                    return new FanControlException(FanControlException.Reason.BMC_ERROR, failed + onBoard
                            + ": the BMC rejected the value; check the zone exists on this board (many boards have zone 0 only)", cause);
                }
                default -> {
                    return new FanControlException(FanControlException.Reason.BMC_ERROR, failed + onBoard
                            + ": the BMC refused the command; fan control is unavailable until it accepts it", cause);
                }
            }
        }
        String firstLine = reply.strip().lines().findFirst().orElse("no output");
        if (reply.contains("Could not open device")) {
            return new FanControlException(FanControlException.Reason.NO_DEVICE, command + " failed" + onBoard + " ("
                    + firstLine + "): could not open /dev/ipmi0: load ipmi_devintf and ipmi_si (modprobe ipmi_devintf ipmi_si),"
                    + " or run the agent with access to the device; a board without a BMC has no fan control", cause);
        }
        if (reply.contains("Permission denied")) {
            return new FanControlException(FanControlException.Reason.PERMISSION, command + " failed" + onBoard + " ("
                    + firstLine + "): run the agent as root or give it read/write access to /dev/ipmi0", cause);
        }
        return new FanControlException(FanControlException.Reason.TOOL, command + " failed" + onBoard + " (" + firstLine
                + "): check that ipmitool reaches the BMC with the same settings and 'mc info'", cause);
    }
}
