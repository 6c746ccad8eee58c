package io.dcmon.agent.app;

import io.dcmon.hardware.fan.FanControlException;
import io.dcmon.hardware.fan.FanMode;
import io.dcmon.hardware.fan.FanZone;
import io.dcmon.hardware.fan.SupermicroFans;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code dcmon-agent fans …}: a drop-in for the fans.sh operators use today. Exit status 0 on success, 1 when the
 * BMC refused or the board is unsupported (the message names the board and the reply), 2 on bad arguments.
 */
@Command(name = "fans", mixinStandardHelpOptions = true, description = "Supermicro BMC fan control.",
        subcommands = {FansCommand.Status.class, FansCommand.Mode.class, FansCommand.Duty.class})
final class FansCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: status, mode or duty");
    }

    /** Runs one fan action and turns failures into a message and exit status 1. */
    abstract static class Action extends Main.Common implements Callable<Integer> {
        abstract String act(SupermicroFans fans) throws FanControlException;

        @Override
        public Integer call() throws Exception {
            AgentConfig c = load();
            try {
                System.out.println(act(new AgentHardware(c).fans()));
                return 0;
            } catch (FanControlException e) {
                System.err.println(e.getMessage());
                return 1;
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
    }

    /** {@code fans status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the fan mode and zone duties.")
    static final class Status extends Action {
        @Override
        String act(SupermicroFans fans) throws FanControlException {
            return fans.status().describe();
        }
    }

    /** {@code fans mode full|standard|optimal|heavyio}. */
    @Command(name = "mode", mixinStandardHelpOptions = true, description = "Set the fan mode: full, standard, optimal or heavyio.")
    static final class Mode extends Action {
        @Parameters(paramLabel = "MODE")
        String mode;

        @Override
        String act(SupermicroFans fans) throws FanControlException {
            FanMode set = fans.setMode(FanMode.parse(mode));
            return "fan mode is now " + set.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code fans duty ZONE PERCENT}. */
    @Command(name = "duty", mixinStandardHelpOptions = true,
            description = "Set a zone's duty (zone 0/cpu or 1/peripheral); switches the mode to full first.")
    static final class Duty extends Action {
        @Parameters(index = "0", paramLabel = "ZONE")
        String zone;
        @Parameters(index = "1", paramLabel = "PERCENT")
        int percent;

        @Override
        String act(SupermicroFans fans) throws FanControlException {
            return fans.setZoneDuty(FanZone.parse(zone), percent).describe();
        }
    }
}
