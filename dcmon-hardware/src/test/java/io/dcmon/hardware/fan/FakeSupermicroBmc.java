package io.dcmon.hardware.fan;

import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.CommandRunner;
import io.dcmon.hardware.exec.ToolException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scripted ipmitool that answers Supermicro's fan raw commands the way the BMC documents them: the mode
 * byte changes at once, but the BMC applies a mode {@link #APPLY_DELAY} later and then resets the zone
 * duties (100 % for full, its own curve otherwise); a duty written while the mode is not full is accepted
 * and ignored. Time passes only when the test's sleeper says so. Replies look like ipmitool's (" 01").
 */
final class FakeSupermicroBmc implements CommandRunner {

    static final Duration APPLY_DELAY = Duration.ofSeconds(2);
    /** Duty the BMC's own curve drives in automatic modes. */
    static final int CURVE_DUTY = 40;

    final List<String> commands = new ArrayList<>();
    private Duration now = Duration.ZERO;
    private int mode;
    private Duration applyAt;
    private final int[] duty = {CURVE_DUTY, CURVE_DUTY};

    FakeSupermicroBmc(FanMode initial) {
        this.mode = initial.code();
        if (initial == FanMode.FULL) {
            duty[0] = 100;
            duty[1] = 100;
        }
    }

    /** Lets time pass on the BMC (called by the test's sleeper). */
    void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) throws ToolException {
        int raw = command.indexOf("raw");
        if (raw < 0) {
            throw new IllegalStateException("fake BMC got a non-raw command " + command);
        }
        List<String> bytes = command.subList(raw + 1, command.size());
        commands.add(String.join(" ", bytes));
        applyPendingMode();
        String key = String.join(" ", bytes.subList(0, Math.min(bytes.size(), bytes.get(1).equals("0x45") ? 3 : 4)));
        switch (key) {
            case "0x30 0x45 0x00" -> {
                return reply(mode);
            }
            case "0x30 0x45 0x01" -> {
                mode = Integer.decode(bytes.get(3));
                applyAt = now.plus(APPLY_DELAY);
                return reply();
            }
            case "0x30 0x70 0x66 0x00" -> {
                return reply(duty[zone(bytes.get(4))]);
            }
            case "0x30 0x70 0x66 0x01" -> {
                int z = zone(bytes.get(4));
                if (mode == FanMode.FULL.code()) {
                    duty[z] = Integer.decode(bytes.get(5));
                }
                return reply();
            }
            default -> throw failed(bytes, "0xc1", "Invalid command");
        }
    }

    private void applyPendingMode() {
        if (applyAt != null && now.compareTo(applyAt) >= 0) {
            int d = mode == FanMode.FULL.code() ? 100 : CURVE_DUTY;
            duty[0] = d;
            duty[1] = d;
            applyAt = null;
        }
    }

    private int zone(String z) throws ToolException {
        int zone = Integer.decode(z);
        if (zone > 1) {
            throw failed(List.of("0x30", "0x70", "0x66", "?", z), "0xcc", "Invalid data field in request");
        }
        return zone;
    }

    private static CommandResult reply(int... values) {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            sb.append(String.format(Locale.ROOT, " %02x", v));
        }
        return new CommandResult(0, sb.append('\n').toString(), "", Duration.ofMillis(30));
    }

    private static ToolException.Failed failed(List<String> bytes, String rsp, String text) {
        String stderr = String.format(Locale.ROOT, "Unable to send RAW command (channel=0x0 netfn=%s lun=0x0 cmd=%s rsp=%s): %s%n",
                bytes.get(0), bytes.get(1), rsp, text);
        return new ToolException.Failed("ipmitool raw exited with status 1", new CommandResult(1, "", stderr, Duration.ofMillis(30)));
    }
}
