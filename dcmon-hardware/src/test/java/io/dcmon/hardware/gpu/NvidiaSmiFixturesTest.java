package io.dcmon.hardware.gpu;

import io.dcmon.hardware.Fixtures;
import io.dcmon.hardware.ParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every nvidia-smi fixture is parsed and checked against values read off the file. */
class NvidiaSmiFixturesTest {

    static final long MIB = 1024L * 1024;

    /** The --query-gpu field list of the h100-query-gpu-* captures (a fixture itself). */
    static List<String> h100Fields() {
        return Arrays.stream(Fixtures.text("nvidia-smi/h100-query-gpu-fields.txt").strip().split(",")).toList();
    }

    static List<String> h100bAllFields() {
        return Arrays.stream(Fixtures.text("nvidia-smi/h100b-query-gpu-all-fields-list.txt").strip().split(",")).map(String::strip).toList();
    }

    /** GPU count, then each GPU's name and core temperature. */
    static Consumer<List<GpuReading>> gpus(Object... nameTemp) {
        return list -> {
            assertThat(list).hasSize(nameTemp.length / 2);
            for (int i = 0; i < list.size(); i++) {
                assertThat(list.get(i).name()).isEqualTo(nameTemp[2 * i]);
                assertThat(list.get(i).temperatureCelsius()).hasValue(((Number) nameTemp[2 * i + 1]).doubleValue());
                assertThat(list.get(i).uuid()).startsWith("GPU-");
                assertThat(list.get(i).pciBusId()).matches("|[0-9A-Fa-f]{8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\\.[0-9]"); // empty when not queried
                list.get(i).utilizationGpuPercent().ifPresent(u -> assertThat(u).isBetween(0.0, 100.0));
                list.get(i).fanSpeedPercent().ifPresent(u -> assertThat(u).isBetween(0.0, 100.0));
            }
        };
    }

    static Consumer<String> xml(Consumer<List<GpuReading>> check) {
        return t -> check.accept(NvidiaSmiXml.parse(t));
    }

    static Consumer<String> withHeader(Consumer<List<GpuReading>> check) {
        return t -> check.accept(NvidiaSmiCsv.parseWithHeader(t));
    }

    static final Map<String, Consumer<String>> EXPECTED = Map.ofEntries(
            Map.entry("nvidia-smi/a100-sxm4-80gb-driver535-q-x.xml", xml(gpus("NVIDIA A100-SXM4-80GB", 27).andThen(g -> {
                assertThat(g.get(0).migMode()).contains("Enabled");
                assertThat(g.get(0).memoryTotalBytes()).hasValue(81920 * MIB); // not a MIG instance's 19968 MiB
                assertThat(g.get(0).powerDrawWatts()).hasValue(67.03);
                assertThat(g.get(0).memoryTemperatureCelsius()).hasValue(44);
            }))),
            Map.entry("nvidia-smi/a10g-driver515-q-x.xml", xml(gpus("NVIDIA A10G", 17).andThen(g -> {
                assertThat(g.get(0).powerDrawWatts()).hasValue(25.58);
                assertThat(g.get(0).fanSpeedPercent()).hasValue(0);
            }))),
            Map.entry("nvidia-smi/h100-q-x-idle.xml", xml(gpus("NVIDIA H100 80GB HBM3", 36))),
            Map.entry("nvidia-smi/h100-q-x-load.xml", xml(gpus("NVIDIA H100 80GB HBM3", 58).andThen(g -> {
                GpuReading h = g.get(0);
                assertThat(h.powerDrawWatts()).hasValue(698.21);
                assertThat(h.powerLimitWatts()).hasValue(700.0);
                assertThat(h.memoryUsedBytes()).hasValue(1139 * MIB);
                assertThat(h.activeClockEventReasons()).containsExactly(ClockEventReason.SW_POWER_CAP);
                assertThat(h.pcieLinkGeneration()).hasValue(5);
                assertThat(h.pcieLinkWidth()).hasValue(16);
                assertThat(h.fanSpeedPercent()).isEmpty();
                assertThat(h.retiredPagesSingleBit()).isEmpty();
                assertThat(h.remappedRowsCorrectable()).hasValue(0);
                assertThat(h.remappedRowsPending()).contains(false);
                assertThat(h.eccCorrectedVolatile()).hasValue(0);
                assertThat(h.migMode()).contains("Disabled");
                assertThat(NvidiaSmiXml.parseSnapshot(Fixtures.text("nvidia-smi/h100-q-x-load.xml")).processes())
                        .containsExactly(new GpuProcess(h.uuid(), 442, "python3", java.util.OptionalLong.of(1130 * MIB)));
            }))),
            Map.entry("nvidia-smi/h100b-q-x-idle.xml", xml(gpus("NVIDIA H100 80GB HBM3", 39))),
            Map.entry("nvidia-smi/h100b-q-x-load.xml", xml(gpus("NVIDIA H100 80GB HBM3", 38))),
            Map.entry("nvidia-smi/rtx-3090-driver525-q-x.xml", xml(gpus("NVIDIA GeForce RTX 3090", 37).andThen(g ->
                    assertThat(g.get(0).powerDrawWatts()).hasValue(27.23)))),
            Map.entry("nvidia-smi/rtx-4000-sff-ada-driver595-q-x.xml", xml(gpus("NVIDIA RTX 4000 SFF Ada Generation", 38).andThen(g -> {
                assertThat(g.get(0).powerDrawWatts()).hasValue(8.81);
                assertThat(NvidiaSmiXml.parseSnapshot(Fixtures.text("nvidia-smi/rtx-4000-sff-ada-driver595-q-x.xml")).processes()).hasSize(4);
            }))),
            Map.entry("nvidia-smi/rtx-a5000-x2-driver590-q-x.xml", xml(gpus("NVIDIA RTX A5000", 13, "NVIDIA RTX A5000", 15).andThen(g -> {
                assertThat(g.get(0).index()).isZero();
                assertThat(g.get(1).index()).isEqualTo(1);
                assertThat(g.get(1).pciBusId()).isEqualTo("00000000:C1:00.0");
                assertThat(g.get(0).powerDrawWatts()).hasValue(6.41);
                assertThat(g.get(1).powerDrawWatts()).hasValue(13.60);
                assertThat(g.get(1).fanSpeedPercent()).hasValue(30);
            }))),
            Map.entry("nvidia-smi/rtx-pro-6000-blackwell-maxq-driver590-q-x.xml",
                    xml(gpus("NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition", 24).andThen(g ->
                            assertThat(g.get(0).powerDrawWatts()).hasValue(3.97)))),
            Map.entry("nvidia-smi/tesla-p100-pcie-16gb-q-x.xml", xml(gpus("Tesla P100-PCIE-16GB", 38).andThen(g -> {
                assertThat(g.get(0).eccCorrectedVolatile()).hasValue(0); // volatile single_bit total (aggregate is 3)
                assertThat(g.get(0).retiredPagesSingleBit()).hasValue(0);
                assertThat(g.get(0).retiredPagesPending()).contains(false);
                assertThat(g.get(0).powerDrawWatts()).hasValue(26.16);
                assertThat(g.get(0).powerLimitWatts()).hasValue(250.0);
            }))),
            Map.entry("nvidia-smi/tesla-t4-driver515-q-x.xml", xml(gpus("Tesla T4", 40).andThen(g -> {
                assertThat(g.get(0).fanSpeedPercent()).isEmpty();
                assertThat(g.get(0).memoryTemperatureCelsius()).isEmpty();
                assertThat(g.get(0).powerDrawWatts()).hasValue(26.78);
                assertThat(g.get(0).powerLimitWatts()).hasValue(70.0);
            }))),
            Map.entry("nvidia-smi/h100-query-gpu-idle.csv", t -> {
                List<GpuReading> g = NvidiaSmiCsv.parseColumns(t, h100Fields());
                gpus("NVIDIA H100 80GB HBM3", 36).accept(g);
                assertThat(g.get(0).powerDrawWatts()).hasValue(70.87);
                assertThat(g.get(0).activeClockEventReasons()).containsExactly(ClockEventReason.GPU_IDLE);
            }),
            Map.entry("nvidia-smi/h100-query-gpu-load.csv", t -> {
                List<GpuReading> g = NvidiaSmiCsv.parseColumns(t, h100Fields());
                assertThat(g).hasSize(8).extracting(GpuReading::index).containsOnly(0);
                assertThat(g).extracting(r -> r.temperatureCelsius().getAsDouble()).containsExactly(36.0, 36.0, 55.0, 56.0, 55.0, 56.0, 56.0, 57.0);
            }),
            Map.entry("nvidia-smi/h100-query-gpu-with-header.csv", withHeader(gpus("NVIDIA H100 80GB HBM3", 36).andThen(g -> {
                assertThat(g.get(0).memoryTotalBytes()).hasValue(81559 * MIB);
                assertThat(g.get(0).smClockMhz()).hasValue(345);
                assertThat(g.get(0).clockEventReasons()).hasValue(1);
            }))),
            Map.entry("nvidia-smi/h100b-query-gpu-all-fields-idle.csv", withHeader(gpus("NVIDIA H100 80GB HBM3", 39).andThen(g -> {
                assertThat(g.get(0).powerDrawWatts()).hasValue(78.12);
                assertThat(g.get(0).remappedRowsCorrectable()).hasValue(0);
                assertThat(g.get(0).retiredPagesSingleBit()).isEmpty();
            }))),
            Map.entry("nvidia-smi/h100b-query-gpu-all-fields-load.csv", withHeader(gpus("NVIDIA H100 80GB HBM3", 39).andThen(g ->
                    assertThat(g.get(0).powerDrawWatts()).hasValue(84.43)))),
            Map.entry("nvidia-smi/h100b-query-gpu-all-fields-noheader-nounits-idle.csv", t ->
                    gpus("NVIDIA H100 80GB HBM3", 39).accept(NvidiaSmiCsv.parseColumns(t, h100bAllFields()))),
            Map.entry("nvidia-smi/h100b-query-gpu-all-fields-noheader-nounits-load.csv", t -> {
                List<GpuReading> g = NvidiaSmiCsv.parseColumns(t, h100bAllFields());
                gpus("NVIDIA H100 80GB HBM3", 39).accept(g);
                assertThat(g.get(0).powerDrawWatts()).hasValue(92.32);
            }),
            Map.entry("nvidia-smi/h200-driver590-query-gpu-all-fields-idle.csv", withHeader(gpus("NVIDIA H200", 28).andThen(g -> {
                assertThat(g.get(0).powerDrawWatts()).hasValue(77.71);
                assertThat(g.get(0).memoryTotalBytes()).hasValue(143771 * MIB);
                assertThat(g.get(0).migMode()).contains("Disabled");
            }))),
            Map.entry("nvidia-smi/h200-driver590-query-gpu-all-fields-load.csv", withHeader(gpus("NVIDIA H200", 52).andThen(g -> {
                assertThat(g.get(0).powerDrawWatts()).hasValue(627.40);
                assertThat(g.get(0).utilizationGpuPercent()).hasValue(100);
            }))),
            Map.entry("nvidia-smi/l40s-driver595-query-gpu-all-fields-idle.csv", withHeader(gpus("NVIDIA L40S", 63).andThen(g -> {
                assertThat(g.get(0).powerLimitWatts()).hasValue(350.0);
                assertThat(g.get(0).migMode()).isEmpty();
            }))),
            Map.entry("nvidia-smi/l40s-driver595-query-gpu-all-fields-load.csv", withHeader(gpus("NVIDIA L40S", 54).andThen(g ->
                    assertThat(g.get(0).powerDrawWatts()).hasValue(110.23)))),
            Map.entry("nvidia-smi/rtx-4080-super-driver595-query-gpu-all-fields-idle.csv",
                    withHeader(gpus("NVIDIA GeForce RTX 4080 SUPER", 43).andThen(g -> {
                        assertThat(g.get(0).fanSpeedPercent()).hasValue(0);
                        assertThat(g.get(0).remappedRowsCorrectable()).isEmpty();
                        assertThat(g.get(0).powerDrawWatts()).hasValue(26.20);
                    }))),
            Map.entry("nvidia-smi/tesla-p100-pcie-16gb-query-gpu-with-header.csv", withHeader(gpus("Tesla P100-PCIE-16GB", 37).andThen(g -> {
                assertThat(g.get(0).fanSpeedPercent()).isEmpty();
                assertThat(g.get(0).powerDrawWatts()).hasValue(28.16);
                assertThat(g.get(0).memoryFreeBytes()).hasValue(16280 * MIB);
                assertThat(g.get(0).performanceState()).contains("P0");
            }))),
            Map.entry("nvidia-smi/h100-compute-apps-load.csv", t -> assertThat(
                    NvidiaSmiCsv.parseComputeApps(t, List.of("pid", "process_name", "used_memory", "gpu_uuid")))
                    .containsExactly(new GpuProcess("GPU-74c03391-c2be-cdd2-fd5e-6efc93fde66a", 442, "python3", java.util.OptionalLong.of(1130 * MIB)))),
            Map.entry("nvidia-smi/h100b-compute-apps-load.csv", t -> assertThat(NvidiaSmiCsv.parseComputeAppsWithHeader(t))
                    .containsExactly(new GpuProcess("GPU-61f4664a-d5ab-ee54-2be5-cad87b574eb8", 445, "python3", java.util.OptionalLong.of(1130 * MIB)))),
            Map.entry("nvidia-smi/l40s-driver595-compute-apps-load.csv", t -> assertThat(NvidiaSmiCsv.parseComputeAppsWithHeader(t))
                    .extracting(GpuProcess::pid, GpuProcess::processName, p -> p.usedMemoryBytes().getAsLong())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(20037L, "ffmpeg", 538 * MIB),
                            org.assertj.core.groups.Tuple.tuple(20038L, "ffmpeg", 681 * MIB))),
            Map.entry("nvidia-smi/h100-query-gpu-fields.txt", t -> {
                // the capture's field list maps onto dcmon's fields, aliases included
                List<String> names = Arrays.stream(t.strip().split(",")).toList();
                assertThat(names).hasSize(35);
                assertThat(GpuField.byName("clocks_throttle_reasons.active")).contains(GpuField.CLOCK_EVENT_REASONS);
                assertThat(names.stream().map(GpuField::byName).filter(java.util.Optional::isPresent).count()).isEqualTo(28);
            }),
            Map.entry("nvidia-smi/h100b-query-gpu-all-fields-list.txt", t -> {
                List<String> names = Arrays.stream(t.strip().split(",")).map(String::strip).toList();
                assertThat(names).hasSize(255);
                // every name dcmon queries is a field driver 580 accepts
                for (GpuField f : NvidiaSmiCsv.QUERY_FIELDS) {
                    assertThat(names).as("driver 580 knows %s", f.queryName()).contains(f.queryName());
                }
            }),
            Map.entry("nvidia-smi/help-query-gpu-driver580.txt", t -> {
                for (GpuField f : NvidiaSmiCsv.QUERY_FIELDS) {
                    assertThat(t).as("driver 580 help lists %s", f.queryName()).contains("\"" + f.queryName() + "\"");
                }
            }),
            Map.entry("nvidia-smi/h100b-version.txt", t -> assertThat(NvidiaSmi.parseDriverVersion(t)).contains("580.159.04")),
            Map.entry("nvidia-smi/errors/driver580-bad-format.txt", t -> assertThat(ErrorFixture.parse(t).exitStatus()).isEqualTo(2)),
            Map.entry("nvidia-smi/errors/driver580-bad-id.txt", t -> assertThat(ErrorFixture.parse(t).exitStatus()).isEqualTo(6)),
            Map.entry("nvidia-smi/errors/driver580-bad-option.txt", t -> assertThat(ErrorFixture.parse(t).exitStatus()).isEqualTo(255)),
            Map.entry("nvidia-smi/errors/driver580-invalid-field.txt", t ->
                    assertThat(NvidiaSmi.invalidField(ErrorFixture.parse(t).stdout())).isEmpty()), // "xyz" is no dcmon field
            Map.entry("nvidia-smi/errors/driver580-no-format.txt", t -> {
                ErrorFixture e = ErrorFixture.parse(t);
                assertThat(e.exitStatus()).isZero();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> NvidiaSmiCsv.parse(e.stdout(), List.of(GpuField.INDEX)))
                        .isInstanceOf(ParseException.class)
                        .hasMessage("nvidia-smi --query-gpu output line 1 'index': index 'index' is not a number; "
                                + "was the output produced with --format=csv,noheader,nounits?");
            }));

    static Stream<String> nvidiaFixtures() {
        return Fixtures.all("nvidia-smi").stream();
    }

    @ParameterizedTest
    @MethodSource("nvidiaFixtures")
    void everyNvidiaSmiFixtureParsesToTheValuesInTheFile(String file) {
        assertThat(EXPECTED).as("expectations for %s (add them when adding a fixture)", file).containsKey(file);
        EXPECTED.get(file).accept(Fixtures.text(file));
    }

}
