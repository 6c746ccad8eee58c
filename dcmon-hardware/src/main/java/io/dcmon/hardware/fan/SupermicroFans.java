package io.dcmon.hardware.fan;

import io.dcmon.hardware.dmi.BoardInfo;
import io.dcmon.hardware.dmi.DmiBoard;
import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.ToolException;
import io.dcmon.hardware.ipmi.Ipmitool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Supermicro BMC fan control through ipmitool's raw OEM commands (X9–X13, H11–H13):
 * <pre>
 *   mode read   raw 0x30 0x45 0x00                 reply: mode byte (0 standard, 1 full, 2 optimal, 4 heavy I/O)
 *   mode set    raw 0x30 0x45 0x01 MODE
 *   duty read   raw 0x30 0x70 0x66 0x00 ZONE       reply: duty byte, percent (0x00–0x64)
 *   duty set    raw 0x30 0x70 0x66 0x01 ZONE PCT
 * </pre>
 * The BMC overrides a written duty unless the mode is full, and it applies a mode change asynchronously,
 * resetting duties when it does. So {@link #setZoneDuty(FanZone, int)} switches to full first (if needed),
 * waits {@link FanControlSettings#modeSettleTime()}, writes, waits {@link FanControlSettings#dutySettleTime()}
 * and reports the duty the BMC holds. Every failure is a {@link FanControlException} whose message names the
 * command, the board and the BMC's reply.
 *
 * <pre>{@code
 * SupermicroFans fans = new SupermicroFans(Ipmitool.local());
 * fans.setMode(FanMode.FULL);
 * DutyResult r = fans.setZoneDuty(FanZone.CPU, 60);
 * }</pre>
 * Thread-safe: calls are serialised, so two callers cannot interleave a mode switch and a duty write.
 */
public final class SupermicroFans {

    private static final Logger LOG = LoggerFactory.getLogger(SupermicroFans.class);

    private final Ipmitool ipmitool;
    private final Optional<BoardInfo> board;
    private final FanControlSettings settings;
    private final Sleeper sleeper;
    private final Object sequence = new Object();

    /** Fan control through {@code ipmitool} with default settings; the board is unknown (messages say so). */
    public SupermicroFans(Ipmitool ipmitool) {
        this(ipmitool, Optional.empty(), FanControlSettings.defaults(), Sleeper.THREAD);
    }

    /** Fan control through {@code ipmitool} with {@code settings}; the board is unknown. */
    public SupermicroFans(Ipmitool ipmitool, FanControlSettings settings) {
        this(ipmitool, Optional.empty(), settings, Sleeper.THREAD);
    }

    /** Fan control of {@code board} (named in error messages) through {@code ipmitool} with {@code settings}. */
    public SupermicroFans(Ipmitool ipmitool, BoardInfo board, FanControlSettings settings) {
        this(ipmitool, Optional.of(board), settings, Sleeper.THREAD);
    }

    // VisibleForTesting
    SupermicroFans(Ipmitool ipmitool, Optional<BoardInfo> board, FanControlSettings settings, Sleeper sleeper) {
        this.ipmitool = Objects.requireNonNull(ipmitool, "ipmitool");
        this.board = Objects.requireNonNull(board, "board");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Fan control for this machine's BMC when DMI ({@code /sys/class/dmi/id}) names a Supermicro X9–X13/H11–H13
     * board; empty on any other board or without DMI.
     *
     * @throws IOException when the DMI files exist but cannot be read
     */
    public static Optional<SupermicroFans> forLocalBoard(Ipmitool ipmitool, FanControlSettings settings) throws IOException {
        return forBoard(ipmitool, settings, DmiBoard.local());
    }

    /** As {@link #forLocalBoard(Ipmitool, FanControlSettings)}, reading {@code board_vendor}/{@code board_name} under {@code dmiIdDir}. */
    public static Optional<SupermicroFans> forLocalBoard(Ipmitool ipmitool, FanControlSettings settings, Path dmiIdDir)
            throws IOException {
        return forBoard(ipmitool, settings, DmiBoard.fromSysfs(dmiIdDir));
    }

    private static Optional<SupermicroFans> forBoard(Ipmitool ipmitool, FanControlSettings settings, Optional<BoardInfo> board) {
        if (board.isEmpty() || !board.get().supportsSupermicroFanControl()) {
            LOG.info("fans: no Supermicro fan control: board is {}", board.map(b -> "'" + b + "', not a " + BmcErrors.SUPPORTED)
                    .orElse("unknown (no DMI board information)"));
            return Optional.empty();
        }
        return Optional.of(new SupermicroFans(ipmitool, board.get(), settings));
    }

    /** The board named in messages, when known. */
    public Optional<BoardInfo> board() {
        return board;
    }

    /** The settings in use. */
    public FanControlSettings settings() {
        return settings;
    }

    /**
     * The current fan mode ({@code raw 0x30 0x45 0x00}).
     *
     * @throws FanControlException when the BMC refuses or reports a mode dcmon does not know
     */
    public FanMode mode() throws FanControlException {
        int code = readModeCode();
        return FanMode.fromCode(code).orElseThrow(() -> new FanControlException(FanControlException.Reason.BMC_ERROR,
                String.format(Locale.ROOT, "%s returned fan mode 0x%02x, which dcmon does not know; known modes: 0 standard,"
                        + " 1 full, 2 optimal, 4 heavyio", shown(modeReadArgs()), code)));
    }

    /**
     * Sets the fan mode ({@code raw 0x30 0x45 0x01 MODE}), waits for the BMC to apply it and returns the mode
     * it then reports.
     */
    public FanMode setMode(FanMode mode) throws FanControlException {
        Objects.requireNonNull(mode, "mode");
        synchronized (sequence) {
            raw(List.of("0x30", "0x45", "0x01", hex(mode.code())));
            LOG.info("fans: mode set to {} on {}", mode.cliName(), ipmitool.target());
            pause(settings.modeSettleTime());
            return mode();
        }
    }

    /**
     * The duty of {@code zone} in percent ({@code raw 0x30 0x70 0x66 0x00 ZONE}).
     */
    public int zoneDuty(FanZone zone) throws FanControlException {
        Objects.requireNonNull(zone, "zone");
        return firstByte(dutyReadArgs(zone), raw(dutyReadArgs(zone)));
    }

    /**
     * Sets the duty of {@code zone}: switches to {@link FanMode#FULL} first unless already there (the BMC
     * overrides duties in other modes), waits for the BMC, writes the duty, waits, reads it back.
     *
     * @param percent 0–100 and at least {@link FanControlSettings#minimumDutyPercent()}
     * @return what was requested and what the BMC holds
     * @throws IllegalArgumentException when {@code percent} is outside 0–100
     * @throws FanControlException      with {@link FanControlException.Reason#REFUSED} below the minimum duty,
     *                                  or when the BMC refuses a command
     */
    public DutyResult setZoneDuty(FanZone zone, int percent) throws FanControlException {
        Objects.requireNonNull(zone, "zone");
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("duty for zone " + zone.cliName() + " was " + percent + "% but it must be from 0 to 100");
        }
        if (percent < settings.minimumDutyPercent()) {
            throw new FanControlException(FanControlException.Reason.REFUSED, String.format(Locale.ROOT,
                    "duty %d%% for zone %s is below the minimum of %d%%: fans that slow can let the machine overheat."
                            + " Ask for at least %d%%, or lower the configured minimum duty if these fans are known to cope",
                    percent, zone.cliName(), settings.minimumDutyPercent(), settings.minimumDutyPercent()));
        }
        synchronized (sequence) {
            int before = readModeCode();
            boolean switched = before != FanMode.FULL.code();
            if (switched) {
                raw(List.of("0x30", "0x45", "0x01", hex(FanMode.FULL.code())));
                LOG.info("fans: mode switched from {} to full on {} to hold a manual duty", modeName(before), ipmitool.target());
                pause(settings.modeSettleTime());
            }
            raw(List.of("0x30", "0x70", "0x66", "0x01", hex(zone.id()), hex(percent)));
            pause(settings.dutySettleTime());
            int actual = zoneDuty(zone);
            DutyResult result = new DutyResult(zone, percent, actual, before, switched);
            if (result.applied()) {
                LOG.info("fans: {} on {}", result.describe(), ipmitool.target());
            } else {
                LOG.warn("fans: {} on {}; the BMC did not keep the requested duty", result.describe(), ipmitool.target());
            }
            return result;
        }
    }

    /**
     * Mode and every zone's duty. A zone the BMC answers with an error for (boards with one zone) is left out;
     * a failing mode read fails the call.
     */
    public FanStatus status() throws FanControlException {
        synchronized (sequence) {
            int mode = readModeCode();
            Map<FanZone, Integer> duties = new EnumMap<>(FanZone.class);
            for (FanZone zone : FanZone.values()) {
                try {
                    duties.put(zone, zoneDuty(zone));
                } catch (FanControlException e) {
                    if (e.reason() != FanControlException.Reason.BMC_ERROR && e.reason() != FanControlException.Reason.UNSUPPORTED_BOARD) {
                        throw e;
                    }
                    LOG.debug("fans: zone {} left out of the status: {}", zone.cliName(), e.getMessage());
                }
            }
            return new FanStatus(mode, duties);
        }
    }

    private int readModeCode() throws FanControlException {
        return firstByte(modeReadArgs(), raw(modeReadArgs()));
    }

    private static List<String> modeReadArgs() {
        return List.of("0x30", "0x45", "0x00");
    }

    private static List<String> dutyReadArgs(FanZone zone) {
        return List.of("0x30", "0x70", "0x66", "0x00", hex(zone.id()));
    }

    private String raw(List<String> rawArgs) throws FanControlException {
        List<String> args = new ArrayList<>(rawArgs.size() + 1);
        args.add("raw");
        args.addAll(rawArgs);
        try {
            CommandResult r = ipmitool.run(args);
            return r.stdout();
        } catch (ToolException e) {
            throw BmcErrors.from(shown(rawArgs), board, e);
        }
    }

    /** The first byte of ipmitool's raw reply (hex bytes separated by blanks, e.g. {@code " 01"}). */
    private int firstByte(List<String> rawArgs, String reply) throws FanControlException {
        String t = reply.strip();
        String first = t.isEmpty() ? "" : t.split("\\s+")[0];
        if (!first.matches("[0-9a-fA-F]{1,2}")) {
            throw new FanControlException(FanControlException.Reason.BMC_ERROR, shown(rawArgs) + " returned '"
                    + (t.length() > 60 ? t.substring(0, 60) + "…" : t) + "' instead of a data byte"
                    + board.map(b -> " on board " + b).orElse("") + "; the BMC does not speak Supermicro's fan protocol");
        }
        return Integer.parseInt(first, 16);
    }

    /** The command as shown in messages: {@code ipmitool raw 0x30 0x45 0x00}, plus the BMC when it is remote. */
    private String shown(List<String> rawArgs) {
        return "ipmitool raw " + String.join(" ", rawArgs) + (ipmitool.isLan() ? " to " + ipmitool.target() : "");
    }

    private void pause(java.time.Duration d) throws FanControlException {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FanControlException(FanControlException.Reason.TOOL, "interrupted while waiting for the BMC; the fan"
                    + " mode may have changed without the duty being written: run 'fans status' to check", e);
        }
    }

    private static String modeName(int code) {
        return FanMode.fromCode(code).map(FanMode::cliName).orElse("code " + code);
    }

    private static String hex(int value) {
        return String.format(Locale.ROOT, "0x%02x", value);
    }
}
