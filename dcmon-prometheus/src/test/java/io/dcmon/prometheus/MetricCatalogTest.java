package io.dcmon.prometheus;

import io.dcmon.hardware.CollectorSet;
import io.dcmon.hardware.apt.AptCollector;
import io.dcmon.hardware.fan.BmcFanCollector;
import io.dcmon.hardware.gpu.NvidiaMetrics;
import io.dcmon.hardware.ipmi.IpmiMetrics;
import io.dcmon.hardware.ipmi.SensorKind;
import io.dcmon.hardware.nvme.NvmeMetrics;
import io.dcmon.hardware.proc.OsMetrics;
import io.dcmon.hardware.psu.PsuMetrics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog lists exactly what dcmon emits: every name in it is a metric a collector really produces, and every
 * metric-name constant of the collectors is in it (so nothing the agents send goes without HELP/TYPE).
 */
class MetricCatalogTest {

    private static final Pattern METRIC = Pattern.compile("[a-z]+_[a-z0-9_]+");
    /** Classes whose public String constants are metric names (besides label names and collector names). */
    private static final Class<?>[] NAME_HOLDERS = {OsMetrics.class, NvidiaMetrics.class, NvmeMetrics.class,
            IpmiMetrics.class, CollectorSet.class, BmcFanCollector.class, AptCollector.class};

    static Set<String> constants() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : NAME_HOLDERS) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                    String v = (String) f.get(null);
                    if (METRIC.matcher(v).matches() && !v.equals("apt_get") && !v.equals("fan_control")) {
                        names.add(v);
                    }
                }
            }
        }
        for (SensorKind k : SensorKind.values()) {
            names.add(k.metric());
            names.add(k.thresholdMetric());
        }
        return names;
    }

    /** True when the name is a string constant in the compiled class (the place that emits it). */
    static boolean inClass(Class<?> c, String name) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(name);
        }
    }

    @Test
    void everyMetricNameConstantOfTheCollectorsIsCatalogued() throws Exception {
        Set<String> missing = new TreeSet<>(constants());
        missing.removeAll(MetricCatalog.builtIn().entries().keySet());
        assertThat(missing).as("emitted metrics without HELP/TYPE").isEmpty();
    }

    @Test
    void everyCataloguedNameIsOneDcmonEmits() throws Exception {
        Set<String> constants = constants();
        // the agent's own metrics live in dcmon-agent-app, which this module does not depend on: read its source
        String selfMetrics = Files.readString(Path.of("..", "dcmon-agent-app", "src", "main", "java", "io", "dcmon", "agent",
                "SelfMetrics.java"));
        for (String name : MetricCatalog.builtIn().entries().keySet()) {
            boolean emitted = constants.contains(name)
                    || (name.startsWith("psu_") && inClass(PsuMetrics.class, name))
                    || (name.startsWith("node_reboot_required") && inClass(AptCollector.class, name))
                    || (name.startsWith("dcmon_agent_") && selfMetrics.contains('"' + name + '"'));
            assertThat(emitted).as("%s is in metrics.tsv but no collector emits it", name).isTrue();
        }
    }

    @Test
    void countersAreExactlyTheTotalNames() {
        assertThat(MetricCatalog.builtIn().entries().values()).allSatisfy(i ->
                assertThat(i.type() == MetricCatalog.Type.COUNTER).as(i.name()).isEqualTo(i.name().endsWith("_total")));
        assertThat(MetricCatalog.builtIn().entries()).hasSizeGreaterThan(100);
    }
}
