package io.dcmon.hardware.gpu;

import io.dcmon.hardware.Availability;
import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.exec.ToolException;
import io.dcmon.hardware.exec.ToolRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NVIDIA GPUs through {@code nvidia-smi}: {@code NvidiaSmi.local().read()} returns one {@link GpuReading} per
 * GPU. Runs through a {@link ToolRunner}, so each call has a timeout that kills a hung nvidia-smi and at
 * most one call is in flight. Thread-safe.
 *
 * <p>A driver that does not know one of the queried fields answers {@code Field "x" is not a valid field to
 * query.} and prints nothing else; dcmon then drops that field, retries, and keeps the shorter list for
 * later calls, so an old driver loses one metric instead of all of them.
 */
public final class NvidiaSmi {

    /** Default timeout of one nvidia-smi call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern INVALID_FIELD = Pattern.compile("Field \"([^\"]+)\" is not a valid field to query");

    private final ToolRunner tool;
    private volatile List<GpuField> fields = NvidiaSmiCsv.QUERY_FIELDS;

    /** nvidia-smi as configured in {@code tool} (binary path, extra arguments, timeout). */
    public NvidiaSmi(ToolRunner tool) {
        this.tool = Objects.requireNonNull(tool, "tool");
    }

    /** {@code nvidia-smi} from {@code PATH} with a 10 s timeout. */
    public static NvidiaSmi local() {
        return new NvidiaSmi(ToolRunner.local(Tool.of("nvidia-smi", DEFAULT_TIMEOUT)));
    }

    /** The runner, e.g. to share it with another user of the same binary. */
    public ToolRunner tool() {
        return tool;
    }

    /** The fields the next {@link #read()} queries (shorter than {@link NvidiaSmiCsv#QUERY_FIELDS} on old drivers). */
    public List<GpuField> fields() {
        return fields;
    }

    /**
     * Reads every GPU with {@code --query-gpu=… --format=csv,noheader,nounits}.
     *
     * @throws ToolException when nvidia-smi is missing, fails (message holds its output) or hangs
     */
    public List<GpuReading> read() throws ToolException {
        for (int attempt = 0; ; attempt++) {
            List<GpuField> f = fields;
            try {
                CommandResult r = tool.run(NvidiaSmiCsv.queryArgument(f), "--format=csv,noheader,nounits");
                return NvidiaSmiCsv.parse(r.stdout(), f);
            } catch (ToolException.Failed e) {
                Optional<GpuField> invalid = invalidField(e.result().stdout() + e.result().stderr());
                if (invalid.isEmpty() || attempt >= NvidiaSmiCsv.QUERY_FIELDS.size() || !f.contains(invalid.get())
                        || invalid.get() == GpuField.INDEX || invalid.get() == GpuField.UUID) {
                    throw explain(e);
                }
                List<GpuField> fewer = new ArrayList<>(f);
                fewer.remove(invalid.get());
                fields = List.copyOf(fewer);
            }
        }
    }

    /**
     * Reads the compute processes with {@code --query-compute-apps}.
     *
     * @throws ToolException when nvidia-smi is missing, fails or hangs
     */
    public List<GpuProcess> processes() throws ToolException {
        try {
            CommandResult r = tool.run("--query-compute-apps=" + String.join(",", NvidiaSmiCsv.COMPUTE_APPS_FIELDS),
                    "--format=csv,noheader,nounits");
            return NvidiaSmiCsv.parseComputeApps(r.stdout(), NvidiaSmiCsv.COMPUTE_APPS_FIELDS);
        } catch (ToolException.Failed e) {
            throw explain(e);
        }
    }

    /**
     * Reads everything with {@code -q -x} (slower than {@link #read()}: about 100 KB of XML per GPU).
     *
     * @throws ToolException when nvidia-smi is missing, fails or hangs
     */
    public NvidiaSmiXml.Snapshot readXml() throws ToolException {
        try {
            return NvidiaSmiXml.parseSnapshot(tool.run("-q", "-x").stdout());
        } catch (ToolException.Failed e) {
            throw explain(e);
        }
    }

    /**
     * Whether nvidia-smi exists and sees at least one GPU ({@code nvidia-smi -L}). Decided once at start by
     * the collector runner.
     */
    public Availability availability() {
        try {
            String out = tool.run("-L").stdout();
            long gpus = out.lines().filter(l -> l.startsWith("GPU ")).count();
            return gpus == 0 ? Availability.no("nvidia-smi -L lists no GPU") : Availability.yes(gpus + " GPU" + (gpus == 1 ? "" : "s"));
        } catch (ToolException e) {
            return Availability.no(explainMessage(e));
        }
    }

    /** Parses {@code nvidia-smi --version}: the driver version, when printed. */
    public static Optional<String> parseDriverVersion(String versionOutput) {
        Matcher m = Pattern.compile("(?m)^DRIVER version\\s*:\\s*(\\S+)").matcher(versionOutput);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static Optional<GpuField> invalidField(String output) {
        Matcher m = INVALID_FIELD.matcher(output);
        return m.find() ? GpuField.byName(m.group(1)) : Optional.empty();
    }

    private static ToolException explain(ToolException.Failed e) {
        return new ToolException.Failed(explainMessage(e), e.result());
    }

    /** Adds what to do for the failures operators meet. */
    static String explainMessage(ToolException e) {
        String m = e.getMessage();
        if (m.contains("No devices were found")) {
            return m + ". The driver sees no GPU: check `nvidia-smi -L`, `lsmod | grep nvidia` and dmesg. GPU metrics skipped";
        }
        if (m.contains("couldn't communicate with the NVIDIA driver") || m.contains("NVIDIA-SMI has failed")) {
            return m + ". The driver is not loaded or does not match the kernel: reinstall the driver or reboot. GPU metrics skipped";
        }
        if (m.contains("is not recognized") || m.contains("is not a valid field")) {
            return m + ". This nvidia-smi does not accept dcmon's arguments: check the configured extra arguments and the driver version";
        }
        return m;
    }
}
