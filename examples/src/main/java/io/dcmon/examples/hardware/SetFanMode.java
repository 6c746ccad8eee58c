package io.dcmon.examples.hardware;

import io.dcmon.hardware.fan.FanControlException;
import io.dcmon.hardware.fan.FanControlSettings;
import io.dcmon.hardware.fan.FanMode;
import io.dcmon.hardware.fan.FanZone;
import io.dcmon.hardware.fan.SupermicroFans;
import io.dcmon.hardware.ipmi.Ipmitool;

import java.util.ArrayList;
import java.util.List;

/**
 * Sets a Supermicro board's fan mode (and optionally a zone duty) with dcmon-hardware, the way any Java program would:
 *
 * <pre>{@code
 * SupermicroFans fans = new SupermicroFans(Ipmitool.local());
 * fans.setMode(FanMode.FULL);
 * fans.setZoneDuty(FanZone.CPU, 60);       // switches to full first, waits for the BMC, reads back
 * System.out.println(fans.status().describe());
 * }</pre>
 *
 * {@code java … io.dcmon.examples.hardware.SetFanMode MODE [CPU_DUTY] [IPMITOOL]}: the last argument may name another
 * ipmitool binary, e.g. a script standing in for a BMC when no Supermicro board is at hand.
 */
public final class SetFanMode {

    private SetFanMode() {
    }

    public static void main(String[] args) {
        try {
            run(args).forEach(System.out::println);
        } catch (FanControlException | IllegalArgumentException e) {
            System.err.println(e.getMessage());   // says which board and what the BMC answered
            System.exit(1);
        }
    }

    /** The lines {@link #main} prints; separate so a test can check them. */
    static List<String> run(String[] args) throws FanControlException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: SetFanMode full|standard|optimal|heavyio [CPU_DUTY] [IPMITOOL]");
        }
        Ipmitool ipmitool = args.length > 2 ? Ipmitool.builder().binary(args[2]).build() : Ipmitool.local();
        SupermicroFans fans = new SupermicroFans(ipmitool, FanControlSettings.defaults());
        List<String> out = new ArrayList<>();
        out.add("mode is now " + fans.setMode(FanMode.parse(args[0])).cliName());
        if (args.length > 1) {
            out.add(fans.setZoneDuty(FanZone.CPU, Integer.parseInt(args[1])).describe());
        }
        out.add(fans.status().describe());
        return out;
    }
}
