package io.dcmon.hardware;

import io.dcmon.core.model.Sample;
import io.dcmon.hardware.exec.Tool;
import io.dcmon.hardware.gpu.GpuReading;
import io.dcmon.hardware.gpu.NvidiaMetrics;
import io.dcmon.hardware.gpu.NvidiaSmiReplay;
import io.dcmon.hardware.proc.OsMetrics;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HardwareTest {

    @Test
    void probeRemembersWhatExistsAndGivesTypedDevices() throws Exception {
        NvidiaSmiReplay replay = new NvidiaSmiReplay(Fixtures.text("nvidia-smi/h200-driver590-query-gpu-all-fields-idle.csv"), Optional.empty());
        HardwareConfig config = HardwareConfig.defaults().withNvidiaSmi(Tool.of("/opt/nvidia/bin/nvidia-smi", Duration.ofSeconds(3)));
        Hardware hw = Hardware.probe(config, replay, Clock.systemUTC());

        List<GpuReading> gpus = hw.gpus().read();
        assertThat(gpus).extracting(GpuReading::name).containsExactly("NVIDIA H200");
        assertThat(gpus.get(0).temperatureCelsius()).hasValue(28);
        assertThat(hw.hasGpus()).isTrue();
        assertThat(hw.availability().get("nvidia").reason()).isEqualTo("1 GPU");
        assertThat(hw.availability().get("os").available()).isTrue();
        assertThat(hw.availability().get("nvme").available()).as("the replay answers nvidia-smi only").isFalse();
        assertThat(hw.gpus().tool().tool().binary()).isEqualTo("/opt/nvidia/bin/nvidia-smi");
        assertThat(hw.collectors()).extracting(Collector::name).contains("os", "nvidia").doesNotContain("nvme");
        assertThat(hw.supermicroFans()).as("this machine has no Supermicro DMI board").isEmpty();

        try (CollectorSet set = CollectorSet.of(hw.collectors())) {
            List<Sample> s = set.collectOnce(Duration.ofSeconds(10));
            assertThat(s).anyMatch(x -> x.metric().equals(NvidiaMetrics.POWER_DRAW) && x.value().equals(77.71));
            assertThat(s).anyMatch(x -> x.metric().equals(OsMetrics.MEMORY_TOTAL));
        }
    }

    @Test
    void defaultsUseThePathAndSaneTimeouts() {
        HardwareConfig c = HardwareConfig.defaults();
        assertThat(c.tools()).extracting(Tool::binary).containsExactly("nvidia-smi", "nvme", "smartctl", "apt-get");
        assertThat(c.ipmitool().binary()).isEqualTo("ipmitool");
        assertThat(c.tools()).allSatisfy(t -> assertThat(t.timeout()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(60)));
    }
}
