package io.dcmon.hardware.gpu;

import io.dcmon.hardware.exec.CommandResult;
import io.dcmon.hardware.exec.CommandRunner;
import io.dcmon.hardware.exec.ProcessCommandRunner;
import io.dcmon.hardware.exec.ToolException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link CommandRunner} that answers nvidia-smi commands from captured outputs instead of a GPU, for
 * examples, tests and demos on machines without one. It holds a {@code --query-gpu=<fields> --format=csv}
 * capture (header row naming the fields; an "all fields" capture answers any query) and optionally a
 * {@code --query-compute-apps … --format=csv} capture. A query for a field the capture lacks is answered the
 * way the driver does: exit status 2 and {@code Field "x" is not a valid field to query.} Thread-safe.
 */
public final class NvidiaSmiReplay implements CommandRunner {

    private final List<String> header;
    private final List<String[]> rows;
    private final String computeApps;

    /**
     * @param queryGpuWithHeader {@code nvidia-smi --query-gpu=… --format=csv} output
     * @param computeAppsWithHeader {@code nvidia-smi --query-compute-apps=… --format=csv} output, or empty
     */
    public NvidiaSmiReplay(String queryGpuWithHeader, Optional<String> computeAppsWithHeader) {
        List<String> lines = queryGpuWithHeader.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the --query-gpu capture is empty; give --format=csv output with its header row");
        }
        List<String> h = new ArrayList<>();
        for (String cell : lines.get(0).split(",", -1)) {
            String n = cell.trim();
            int unit = n.indexOf(" [");
            h.add(unit > 0 ? n.substring(0, unit) : n);
        }
        this.header = List.copyOf(h);
        List<String[]> r = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            r.add(l.split(",", -1));
        }
        this.rows = List.copyOf(r);
        this.computeApps = Objects.requireNonNull(computeAppsWithHeader, "computeAppsWithHeader").orElse(null);
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) throws ToolException {
        String query = arg(command, "--query-gpu=");
        if (query != null) {
            return answerQuery(command, List.of(query.split(",")));
        }
        String apps = arg(command, "--query-compute-apps=");
        if (apps != null) {
            return answerApps(command, List.of(apps.split(",")));
        }
        if (command.contains("-L")) {
            return answerList();
        }
        throw ProcessCommandRunner.failure(command, new CommandResult(255, "ERROR: this replay answers --query-gpu, "
                + "--query-compute-apps and -L only.\n", "", Duration.ZERO));
    }

    private CommandResult answerQuery(List<String> command, List<String> fields) throws ToolException {
        int[] cols = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            cols[i] = column(fields.get(i));
            if (cols[i] < 0) {
                throw ProcessCommandRunner.failure(command, new CommandResult(2,
                        "Field \"" + fields.get(i) + "\" is not a valid field to query.\n\n", "", Duration.ZERO));
            }
        }
        boolean units = !String.join(" ", command).contains("nounits");
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < cols.length; i++) {
                String cell = row[cols[i]].trim();
                out.append(i == 0 ? "" : ", ").append(units ? cell : stripUnit(cell));
            }
            out.append('\n');
        }
        return new CommandResult(0, out.toString(), "", Duration.ZERO);
    }

    private CommandResult answerApps(List<String> command, List<String> fields) throws ToolException {
        if (computeApps == null) {
            return new CommandResult(0, "", "", Duration.ZERO);
        }
        List<String> lines = computeApps.lines().filter(l -> !l.isBlank()).toList();
        List<String> h = new ArrayList<>();
        for (String cell : lines.get(0).split(",", -1)) {
            String n = cell.trim();
            int unit = n.indexOf(" [");
            n = unit > 0 ? n.substring(0, unit) : n;
            h.add(n.equals("used_gpu_memory") ? "used_memory" : n);
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            for (int i = 0; i < fields.size(); i++) {
                String f = fields.get(i).equals("used_gpu_memory") ? "used_memory" : fields.get(i);
                int c = h.indexOf(f);
                if (c < 0) {
                    throw ProcessCommandRunner.failure(command, new CommandResult(2,
                            "Field \"" + fields.get(i) + "\" is not a valid field to query.\n\n", "", Duration.ZERO));
                }
                out.append(i == 0 ? "" : ", ").append(stripUnit(cells[c].trim()));
            }
            out.append('\n');
        }
        return new CommandResult(0, out.toString(), "", Duration.ZERO);
    }

    private CommandResult answerList() {
        int name = column("name");
        int uuid = column("uuid");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            out.append("GPU ").append(i).append(": ").append(name < 0 ? "GPU" : rows.get(i)[name].trim())
                    .append(" (UUID: ").append(uuid < 0 ? "" : rows.get(i)[uuid].trim()).append(")\n");
        }
        return new CommandResult(0, out.toString(), "", Duration.ZERO);
    }

    /** The capture column of a query name or alias (the header prints canonical names). */
    private int column(String queryName) {
        int direct = header.indexOf(queryName);
        if (direct >= 0) {
            return direct;
        }
        Optional<GpuField> f = GpuField.byName(queryName);
        if (f.isPresent()) {
            for (String n : f.get().names()) {
                int c = header.indexOf(n);
                if (c >= 0) {
                    return c;
                }
            }
        }
        return -1;
    }

    private static String stripUnit(String cell) {
        if (cell.startsWith("[")) {
            return cell;
        }
        int sp = cell.lastIndexOf(' ');
        if (sp > 0) {
            String unit = cell.substring(sp + 1);
            if (unit.equals("MiB") || unit.equals("W") || unit.equals("%") || unit.equals("MHz") || unit.equals("us")) {
                return cell.substring(0, sp);
            }
        }
        return cell;
    }

    private static String arg(List<String> command, String prefix) {
        for (String a : command) {
            if (a.startsWith(prefix)) {
                return a.substring(prefix.length());
            }
        }
        return null;
    }
}
