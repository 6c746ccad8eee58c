package io.dcmon.hardware.nvme;

import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.exec.ToolException;
import io.dcmon.hardware.exec.ToolRunner;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * NVMe drives through nvme-cli: {@code nvme list -o json} and {@code nvme smart-log DEV -o json}. Reading the
 * SMART log needs root (or CAP_SYS_ADMIN). Thread-safe.
 */
public final class NvmeCli {

    private final ToolRunner tool;

    /** nvme-cli as configured in {@code tool}. */
    public NvmeCli(ToolRunner tool) {
        this.tool = Objects.requireNonNull(tool, "tool");
    }

    /** {@code nvme} from PATH with a 10 s timeout. */
    public static NvmeCli local() {
        return new NvmeCli(ToolRunner.local(Tool.of("nvme", Duration.ofSeconds(10))));
    }

    /** The runner. */
    public ToolRunner tool() {
        return tool;
    }

    /** {@code nvme list -o json}. */
    public List<NvmeDevice> list() throws ToolException {
        return NvmeJson.parseList(tool.run("list", "-o", "json").stdout());
    }

    /** {@code nvme smart-log DEVICE -o json}. */
    public NvmeHealth smartLog(String devicePath) throws ToolException {
        return NvmeJson.parseSmartLog(devicePath, tool.run("smart-log", devicePath, "-o", "json").stdout());
    }
}
