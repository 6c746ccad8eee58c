package io.dcmon.simulator;

import io.dcmon.core.command.CommandTypes;
import io.dcmon.core.model.Sample;
import io.dcmon.prometheus.MetricCatalog;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class MachineModelTest {

    @Test
    void aMachineShipsAboutTwoHundredFiftyDistinctSeries() {
        List<Sample> batch = new MachineModel(1).next(1_000_000L);
        Set<Object> keys = new HashSet<>();
        batch.forEach(s -> keys.add(s.series()));
        assertThat(batch).hasSizeBetween(240, 270);
        assertThat(keys).hasSameSizeAs(batch);
        assertThat(batch).allSatisfy(s -> assertThat(s.timestampMs()).isEqualTo(1_000_000L));
    }

    @Test
    void valuesHaveRealisticShapes() {
        MachineModel m = new MachineModel(42);
        List<Sample> first = m.next(1_000_000L);
        List<Sample> second = m.next(1_030_000L);
        for (int i = 0; i < first.size(); i++) {
            Sample a = first.get(i);
            Sample b = second.get(i);
            if (a.metric().endsWith("_total")) {
                assertThat(b.value().doubleValue()).as(a.series().toString()).isGreaterThanOrEqualTo(a.value().doubleValue());
            }
            if (a.metric().endsWith("_celsius")) {
                assertThat(a.value()).as(a.series().toString()).isInstanceOf(Long.class);
            }
            if (a.metric().equals("ipmi_fan_speed_rpm")) {
                assertThat(a.value().longValue() % 140).isZero();
            }
            if (a.metric().equals("ipmi_voltage_volts")) {
                double v = a.value().doubleValue() * 10;
                assertThat(Math.abs(v - Math.rint(v))).isLessThan(1e-6);
            }
        }
        long bytesCounters = first.stream().filter(s -> s.metric().equals("node_network_receive_bytes_total")).count();
        assertThat(bytesCounters).isEqualTo(2);
        assertThat(first.stream().filter(s -> s.metric().startsWith("nvidia_gpu_temperature")).count()).isEqualTo(8);
    }

    @Test
    void theSameSeedGivesTheSameValues() {
        assertThat(new MachineModel(3).next(5L)).isEqualTo(new MachineModel(3).next(5L));
        assertThat(new MachineModel(3).next(5L)).isNotEqualTo(new MachineModel(4).next(5L));
    }

    @Test
    void everyMetricIsOneDcmonsCollectorsShipUnderTheSameName() {
        // a name the agent does not use would load the storage realistically but leave the fleet view's columns
        // (fan mode, uptime) empty for every simulated machine, as "fan_mode" once did
        List<Sample> batch = new MachineModel(7).next(1_000_000L);
        Set<String> names = new TreeSet<>();
        batch.forEach(s -> names.add(s.metric()));
        assertThat(MetricCatalog.builtIn().entries().keySet()).containsAll(names);
        assertThat(names).contains("bmc_fan_mode", "bmc_fan_zone_duty_percent", "node_uptime_seconds");

        Set<String> collectors = new TreeSet<>();
        batch.stream().filter(s -> s.metric().equals("dcmon_collector_up")).forEach(s -> collectors.add(s.series().labels().get("collector")));
        assertThat(collectors).isEqualTo(CommandTypes.COLLECTORS);
    }
}
