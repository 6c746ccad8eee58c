package io.dcmon.hardware.gpu;

import io.dcmon.hardware.ParseException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parsers for {@code nvidia-smi --query-gpu} and {@code --query-compute-apps} CSV output, both the
 * {@code --format=csv,noheader,nounits} form dcmon runs and the {@code --format=csv} form with a header row and
 * units that people paste and other exporters capture. Pure functions: no process, clock or logging.
 */
public final class NvidiaSmiCsv {
    private NvidiaSmiCsv() {
    }

    /** The fields dcmon queries, in column order. The argument and the column index come from this one list. */
    public static final List<GpuField> QUERY_FIELDS = List.of(GpuField.values());

    /** The compute-apps fields dcmon queries; the process name is last so a comma inside it cannot shift columns. */
    public static final List<String> COMPUTE_APPS_FIELDS = List.of("gpu_uuid", "pid", "used_memory", "process_name");

    private static final String SOURCE = "nvidia-smi --query-gpu output";
    private static final String APPS_SOURCE = "nvidia-smi --query-compute-apps output";

    /** {@code --query-gpu=index,uuid,…} for {@code fields}. */
    public static String queryArgument(List<GpuField> fields) {
        return "--query-gpu=" + fields.stream().map(GpuField::queryName).collect(Collectors.joining(","));
    }

    /**
     * Parses {@code --format=csv,noheader,nounits} output of a query for {@code fields}, one GPU per line.
     *
     * @throws ParseException when a line has the wrong number of columns or no numeric index (e.g. a header
     *                        row: the output was not produced with {@code noheader})
     */
    public static List<GpuReading> parse(String output, List<GpuField> fields) {
        List<Optional<GpuField>> columns = fields.stream().map(Optional::of).toList();
        return rows(output, columns, 0);
    }

    /**
     * Parses {@code noheader} output of a query whose field names are given as text (aliases accepted,
     * fields dcmon does not use ignored), e.g. every field a driver supports.
     */
    public static List<GpuReading> parseColumns(String output, List<String> fieldNames) {
        return rows(output, columnsOf(fieldNames), 0);
    }

    /**
     * Parses {@code --format=csv} output: a header row naming the fields (with units such as
     * {@code memory.total [MiB]}), then one GPU per line with units in the cells.
     *
     * @throws ParseException when the header is missing or a row does not match it
     */
    public static List<GpuReading> parseWithHeader(String output) {
        String header = output.lines().findFirst().orElse("");
        if (header.isBlank()) {
            throw new ParseException(SOURCE, 1, header, "no header row; use parse(output, fields) for noheader output");
        }
        List<String> names = List.of(header.split(",", -1));
        List<Optional<GpuField>> columns = columnsOf(names);
        if (columns.stream().noneMatch(c -> c.isPresent())) {
            throw new ParseException(SOURCE, 1, header, "the header names no nvidia-smi field dcmon knows");
        }
        return rows(output, columns, 1);
    }

    private static List<Optional<GpuField>> columnsOf(List<String> names) {
        Set<GpuField> seen = EnumSet.noneOf(GpuField.class);
        List<Optional<GpuField>> columns = new ArrayList<>();
        for (String n : names) {
            Optional<GpuField> f = GpuField.byName(n);
            // a field listed twice (an alias beside its canonical name) is read from its first column
            columns.add(f.isPresent() && seen.add(f.get()) ? f : Optional.empty());
        }
        return columns;
    }

    private static List<GpuReading> rows(String output, List<Optional<GpuField>> columns, int skip) {
        List<GpuReading> gpus = new ArrayList<>();
        String[] lines = output.split("\n", -1);
        for (int i = skip; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != columns.size()) {
                throw new ParseException(SOURCE, i + 1, line, "has " + cells.length + " columns but " + columns.size()
                        + " fields were queried; is this the output of the same --query-gpu field list?");
            }
            GpuReading.Builder b = new GpuReading.Builder();
            b.index = gpus.size();
            for (int c = 0; c < cells.length; c++) {
                if (columns.get(c).isPresent()) {
                    set(b, columns.get(c).get(), cells[c], i + 1, line);
                }
            }
            gpus.add(b.build());
        }
        return gpus;
    }

    private static void set(GpuReading.Builder b, GpuField f, String cell, int lineNo, String line) {
        switch (f) {
            case INDEX -> {
                OptionalLong idx = Values.integer(cell);
                String v = cell.trim();
                if (idx.isEmpty() || !v.chars().allMatch(Character::isDigit)) {
                    throw new ParseException(SOURCE, lineNo, line, "index '" + ParseException.truncate(v)
                            + "' is not a number; was the output produced with --format=csv,noheader,nounits?");
                }
                b.index = (int) idx.getAsLong();
            }
            case UUID -> b.uuid = Values.text(cell).orElse("");
            case NAME -> b.name = Values.text(cell).orElse("");
            case PCI_BUS_ID -> b.pciBusId = Values.text(cell).orElse("");
            case DRIVER_VERSION, VBIOS_VERSION -> {
                // identity of the driver, not of the GPU: reported by NvidiaSmi.version(), not per reading
            }
            case TEMPERATURE_GPU -> b.temperature = Values.number(cell);
            case TEMPERATURE_MEMORY -> b.memoryTemperature = Values.number(cell);
            case UTILIZATION_GPU -> b.utilGpu = Values.number(cell);
            case UTILIZATION_MEMORY -> b.utilMemory = Values.number(cell);
            case MEMORY_TOTAL -> b.memTotal = Values.mibToBytes(cell);
            case MEMORY_USED -> b.memUsed = Values.mibToBytes(cell);
            case MEMORY_FREE -> b.memFree = Values.mibToBytes(cell);
            case POWER_DRAW -> b.powerDraw = Values.number(cell);
            case ENFORCED_POWER_LIMIT -> b.powerLimit = Values.number(cell);
            case POWER_LIMIT -> b.requestedPowerLimit = Values.number(cell);
            case FAN_SPEED -> b.fan = Values.number(cell);
            case CLOCK_SM -> b.smClock = Values.integer(cell);
            case CLOCK_MEMORY -> b.memClock = Values.integer(cell);
            case CLOCK_GRAPHICS -> b.grClock = Values.integer(cell);
            case PSTATE -> b.pstate = Values.text(cell);
            case PCIE_LINK_GEN -> b.pcieGen = Values.smallInt(cell);
            case PCIE_LINK_WIDTH -> b.pcieWidth = Values.smallInt(cell);
            case CLOCK_EVENT_REASONS -> b.clockEvents = Values.hex(cell);
            case ECC_CORRECTED_VOLATILE -> b.eccCorrected = Values.integer(cell);
            case ECC_UNCORRECTED_VOLATILE -> b.eccUncorrected = Values.integer(cell);
            case RETIRED_PAGES_SBE -> b.retiredSbe = Values.integer(cell);
            case RETIRED_PAGES_DBE -> b.retiredDbe = Values.integer(cell);
            case RETIRED_PAGES_PENDING -> b.retiredPending = Values.bool(cell);
            case REMAPPED_ROWS_CORRECTABLE -> b.remapCorr = Values.integer(cell);
            case REMAPPED_ROWS_UNCORRECTABLE -> b.remapUnc = Values.integer(cell);
            case REMAPPED_ROWS_PENDING -> b.remapPending = Values.bool(cell);
            case REMAPPED_ROWS_FAILURE -> b.remapFailure = Values.bool(cell);
            case MIG_MODE -> b.mig = Values.text(cell);
        }
    }

    /**
     * Parses {@code --query-compute-apps=<fields> --format=csv,noheader,nounits}. Recognised fields:
     * {@code gpu_uuid}, {@code pid}, {@code process_name}/{@code name}, {@code used_memory}/{@code used_gpu_memory};
     * others are ignored. A process name containing commas is kept whole when it is the last field.
     *
     * @throws ParseException when a line has too few columns or a non-numeric pid
     */
    public static List<GpuProcess> parseComputeApps(String output, List<String> fields) {
        return apps(output, fields, 0);
    }

    /** Parses {@code --query-compute-apps=… --format=csv} output (header row, units in cells). */
    public static List<GpuProcess> parseComputeAppsWithHeader(String output) {
        String header = output.lines().findFirst().orElse("");
        List<String> names = new ArrayList<>();
        for (String h : header.split(",", -1)) {
            String n = h.trim();
            int unit = n.indexOf(" [");
            names.add(unit > 0 ? n.substring(0, unit) : n);
        }
        if (!names.contains("pid")) {
            throw new ParseException(APPS_SOURCE, 1, header, "header has no 'pid' column");
        }
        return apps(output, names, 1);
    }

    private static List<GpuProcess> apps(String output, List<String> fields, int skip) {
        int uuid = indexOf(fields, "gpu_uuid", "uuid");
        int pid = indexOf(fields, "pid");
        int name = indexOf(fields, "process_name", "name");
        int mem = indexOf(fields, "used_memory", "used_gpu_memory");
        if (pid < 0) {
            throw new IllegalArgumentException("fields " + fields + " do not include 'pid'");
        }
        List<GpuProcess> out = new ArrayList<>();
        String[] lines = output.split("\n", -1);
        for (int i = skip; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("No running")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length > fields.size() && name == fields.size() - 1) {
                String[] merged = new String[fields.size()];
                System.arraycopy(cells, 0, merged, 0, fields.size() - 1);
                merged[name] = String.join(",", List.of(cells).subList(fields.size() - 1, cells.length));
                cells = merged;
            }
            if (cells.length != fields.size()) {
                throw new ParseException(APPS_SOURCE, i + 1, line, "has " + cells.length + " columns but "
                        + fields.size() + " fields were queried");
            }
            OptionalLong p = Values.integer(cells[pid]);
            if (p.isEmpty()) {
                throw new ParseException(APPS_SOURCE, i + 1, line, "pid '" + cells[pid].trim() + "' is not a number");
            }
            out.add(new GpuProcess(uuid < 0 ? "" : cells[uuid].trim(), p.getAsLong(),
                    name < 0 ? "" : cells[name].trim(), mem < 0 ? OptionalLong.empty() : Values.mibToBytes(cells[mem])));
        }
        return out;
    }

    private static int indexOf(List<String> fields, String... names) {
        for (String n : names) {
            int i = fields.indexOf(n);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }
}
