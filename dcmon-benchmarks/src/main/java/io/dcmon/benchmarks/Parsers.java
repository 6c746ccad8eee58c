package io.dcmon.benchmarks;

import io.dcmon.hardware.gpu.GpuReading;
import io.dcmon.hardware.gpu.NvidiaSmiCsv;
import io.dcmon.hardware.gpu.NvidiaSmiXml;
import io.dcmon.hardware.ipmi.IpmiReadings;
import io.dcmon.hardware.ipmi.IpmitoolSensorParser;
import io.dcmon.hardware.proc.CpuStat;
import io.dcmon.hardware.proc.MemInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one parse of each captured output the agent parses every cycle. Inputs are real captures (see
 * fixtures/SOURCES.md in this module's resources); the benchmark returns the parse result so the JIT cannot drop it.
 * Run: {@code java -jar dcmon-benchmarks/target/benchmarks.jar Parsers}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Parsers {

    private String queryGpuCsv;
    private List<String> queryGpuFields;
    private String queryGpuAllFieldsWithHeader;
    private String h100Xml;
    private String dualA5000Xml;
    private String procStat;
    private String procMeminfo;
    private String ipmitoolSensor;

    @Setup
    public void load() {
        queryGpuCsv = fixture("nvidia-smi/h100-query-gpu-load.csv");
        queryGpuFields = Arrays.asList(fixture("nvidia-smi/h100-query-gpu-fields.txt").strip().split(","));
        queryGpuAllFieldsWithHeader = fixture("nvidia-smi/h200-driver590-query-gpu-all-fields-load.csv");
        h100Xml = fixture("nvidia-smi/h100-q-x-load.xml");
        dualA5000Xml = fixture("nvidia-smi/rtx-a5000-x2-driver590-q-x.xml");
        procStat = fixture("proc/h100-host/stat");
        procMeminfo = fixture("proc/h100-host/meminfo");
        ipmitoolSensor = fixture("ipmitool/supermicro-x10-dual-socket-sensor-list.txt");
    }

    /** 8 lines × 35 fields of {@code --query-gpu … --format=csv,noheader,nounits} (what the agent runs). */
    @Benchmark
    public List<GpuReading> nvidiaSmiQueryGpuCsv8Lines() {
        return NvidiaSmiCsv.parseColumns(queryGpuCsv, queryGpuFields);
    }

    /** 1 GPU × 212 fields with header and units. */
    @Benchmark
    public List<GpuReading> nvidiaSmiQueryGpuAllFieldsWithHeader() {
        return NvidiaSmiCsv.parseWithHeader(queryGpuAllFieldsWithHeader);
    }

    /** {@code nvidia-smi -q -x}, one H100 (27 KB). */
    @Benchmark
    public NvidiaSmiXml.Snapshot nvidiaSmiXmlH100() {
        return NvidiaSmiXml.parseSnapshot(h100Xml);
    }

    /** {@code nvidia-smi -q -x}, two RTX A5000 (94 KB). */
    @Benchmark
    public NvidiaSmiXml.Snapshot nvidiaSmiXmlTwoGpus() {
        return NvidiaSmiXml.parseSnapshot(dualA5000Xml);
    }

    /** {@code /proc/stat} of a 16-CPU host. */
    @Benchmark
    public CpuStat procStat() {
        return CpuStat.parse(procStat);
    }

    /** {@code /proc/meminfo}. */
    @Benchmark
    public MemInfo procMeminfo() {
        return MemInfo.parse(procMeminfo);
    }

    /** {@code ipmitool sensor list} of a Supermicro X10 dual-socket board. */
    @Benchmark
    public IpmiReadings ipmitoolSensor() {
        return IpmitoolSensorParser.parse(ipmitoolSensor);
    }

    static String fixture(String name) {
        try (InputStream in = Parsers.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("benchmark input fixtures/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
