package io.dcmon.hardware.nvme;

import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.exec.ToolException;
import io.dcmon.hardware.exec.ToolRunner;

import java.time.Duration;
import java.util.Objects;

/**
 * Drive health through {@code smartctl -j -a DEVICE}. smartctl's exit status is a bitmask that is non-zero for
 * healthy-but-noteworthy drives too (bit 6: the error log has entries), so its JSON is parsed whatever the
 * status; only bits 0-1 (bad command line, device not opened) are errors. Thread-safe.
 */
public final class Smartctl {

    private final ToolRunner tool;

    /** smartctl as configured in {@code tool}. */
    public Smartctl(ToolRunner tool) {
        this.tool = Objects.requireNonNull(tool, "tool");
    }

    /** {@code smartctl} from PATH with a 20 s timeout (it may wake a sleeping SATA disk). */
    public static Smartctl local() {
        return new Smartctl(ToolRunner.local(Tool.of("smartctl", Duration.ofSeconds(20))));
    }

    /** {@code smartctl -j -a DEVICE}. */
    public NvmeHealth health(String devicePath) throws ToolException {
        CommandResult r;
        try {
            r = tool.run("-j", "-a", devicePath);
        } catch (ToolException.Failed e) {
            if (!e.result().stdout().trim().startsWith("{")) {
                throw e;
            }
            r = e.result();
        }
        return SmartctlJson.parse(r.stdout());
    }
}
