package io.dcmon.agent.app;

import io.dcmon.hardware.exec.ProcessCommandRunner;
import io.dcmon.hardware.fan.FanControlException;
import io.dcmon.hardware.fan.FanControlSettings;
import io.dcmon.hardware.fan.SupermicroFans;
import io.dcmon.hardware.ipmi.Ipmitool;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The hardware access the agent's configuration describes (tool paths, BMC over LAN, fan limits). One instance per
 * agent, so the IPMI sensor collector and fan control share one ipmitool and never talk to the BMC at once.
 */
final class AgentHardware {

    private final AgentConfig config;
    private final Ipmitool ipmitool;

    AgentHardware(AgentConfig config) {
        this.config = config;
        this.ipmitool = ipmitool(config);
    }

    /** The shared ipmitool. */
    Ipmitool ipmitool() {
        return ipmitool;
    }

    /** Fan control over the shared ipmitool; see {@link #fans(AgentConfig, Ipmitool)}. */
    SupermicroFans fans() throws FanControlException {
        return fans(config, ipmitool);
    }

    /** ipmitool as configured: the local BMC through /dev/ipmi0, or a BMC over the LAN. */
    static Ipmitool ipmitool(AgentConfig c) {
        AgentConfig.ToolConfig tool = c.tools().get("ipmitool");
        Ipmitool.Builder b = c.bmc() == null ? Ipmitool.builder()
                : Ipmitool.lan(c.bmc().host()).port(c.bmc().port()).user(c.bmc().user())
                        .passwordFile(c.bmc().passwordFile()).cipherSuite(c.bmc().cipherSuite());
        if (tool != null && tool.path() != null) {
            b.binary(tool.path());
        }
        if (tool != null && tool.timeout() != null) {
            b.timeout(tool.timeout());
        }
        return b.runner(ProcessCommandRunner.local()).build();
    }

    static FanControlSettings fanSettings(AgentConfig c) {
        return FanControlSettings.defaults().withMinimumDutyPercent(c.fanMinimumDutyPercent());
    }

    /**
     * Supermicro fan control for the configured BMC. For the local BMC the board is checked first (DMI), so an
     * unsupported board is refused with its name before anything is sent; a LAN BMC is taken as configured.
     *
     * @throws FanControlException when the local board is not a supported Supermicro board
     */
    static SupermicroFans fans(AgentConfig c, Ipmitool ipmitool) throws FanControlException {
        if (c.bmc() != null) {
            return new SupermicroFans(ipmitool, fanSettings(c));
        }
        Optional<SupermicroFans> fans;
        try {
            fans = SupermicroFans.forLocalBoard(ipmitool, fanSettings(c));
        } catch (IOException e) {
            throw new FanControlException(FanControlException.Reason.TOOL, "could not read the board's DMI data to check fan "
                    + "control support: " + e.getMessage());
        }
        if (fans.isEmpty()) {
            throw new FanControlException(FanControlException.Reason.UNSUPPORTED_BOARD,
                    "this machine's board (" + boardName() + ") is not a Supermicro X9–X13/H11–H13; fan control is unavailable");
        }
        return fans.get();
    }

    private static String boardName() {
        try {
            return io.dcmon.hardware.dmi.DmiBoard.local().map(b -> b.vendor() + " " + b.name()).orElse("unknown board");
        } catch (IOException | RuntimeException e) {
            return "unknown board";
        }
    }
}
