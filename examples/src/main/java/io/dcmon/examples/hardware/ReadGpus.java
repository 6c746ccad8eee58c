package io.dcmon.examples.hardware;

import io.dcmon.hardware.Hardware;
import io.dcmon.hardware.HardwareConfig;
import io.dcmon.hardware.exec.ProcessCommandRunner;
import io.dcmon.hardware.gpu.GpuReading;
import io.dcmon.hardware.gpu.NvidiaSmiReplay;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads this machine's NVIDIA GPUs with dcmon-hardware, the way any Java program would:
 *
 * <pre>{@code
 * Hardware hw = Hardware.probe();
 * for (GpuReading gpu : hw.gpus().read())
 *     System.out.println(gpu.name() + " " + gpu.temperatureCelsius().orElse(Double.NaN) + " °C");
 * }</pre>
 *
 * Without nvidia-smi on PATH it answers from a captured {@code nvidia-smi --query-gpu --format=csv} output
 * instead (an H200 by default, or the file given as the first argument), through the same parser.
 * Run from the repository root: {@code java -cp … io.dcmon.examples.hardware.ReadGpus [capture.csv]}.
 */
public final class ReadGpus {

    /** The capture used when no GPU is present (a real H200 output kept with dcmon-hardware's test fixtures). */
    static final Path DEFAULT_CAPTURE = Path.of("dcmon-hardware/src/test/resources/fixtures/nvidia-smi/h200-driver590-query-gpu-all-fields-load.csv");

    private ReadGpus() {
    }

    public static void main(String[] args) throws Exception {
        for (String line : run(args)) {
            System.out.println(line);
        }
    }

    /** The lines {@link #main} prints; separate so a test can check them. */
    static List<String> run(String[] args) throws Exception {
        Hardware hw;
        String source;
        if (ProcessCommandRunner.locate("nvidia-smi").isPresent() && args.length == 0) {
            hw = Hardware.probe();                                          // the real thing
            source = "nvidia-smi";
        } else {
            Path capture = args.length > 0 ? Path.of(args[0]) : DEFAULT_CAPTURE;
            NvidiaSmiReplay replay = new NvidiaSmiReplay(Files.readString(capture, StandardCharsets.UTF_8), Optional.empty());
            hw = Hardware.probe(HardwareConfig.defaults(), replay, Clock.systemUTC()); // same parser, captured output
            source = "capture " + capture;
        }
        List<GpuReading> gpus = hw.gpus().read();
        List<String> out = new java.util.ArrayList<>();
        out.add(gpus.size() + " GPU(s) from " + source);
        for (GpuReading gpu : gpus) {
            out.add(String.format(Locale.ROOT, "GPU %d %s: %s °C, %s W of %s W, fan %s",
                    gpu.index(), gpu.name(),
                    gpu.temperatureCelsius().isPresent() ? fmt(gpu.temperatureCelsius().getAsDouble()) : "n/a",
                    gpu.powerDrawWatts().isPresent() ? fmt(gpu.powerDrawWatts().getAsDouble()) : "n/a",
                    gpu.powerLimitWatts().isPresent() ? fmt(gpu.powerLimitWatts().getAsDouble()) : "n/a",
                    gpu.fanSpeedPercent().isPresent() ? fmt(gpu.fanSpeedPercent().getAsDouble()) + " %" : "not reported"));
        }
        return out;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
