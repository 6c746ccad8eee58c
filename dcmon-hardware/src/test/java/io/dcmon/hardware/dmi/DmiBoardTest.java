package io.dcmon.hardware.dmi;

import io.dcmon.hardware.testkit.BmcFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DmiBoardTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            dell-dss7500-dmidecode-full.txt;                           Dell Inc.;                    0X89R8;                false; ''
            hpe-proliant-bl460c-gen10-dmidecode-full.txt;              HPE;                          ProLiant BL460c Gen10; false; ''
            qct-x10e-9n-s3e-mb-dmidecode-full.txt;                     Quanta Cloud Technology Inc.; S3E-MB;                false; ''
            supermicro-ssg-6028r-x10drh-it-dmidecode-full.txt;         Supermicro;                   X10DRH-iT;             true;  X10
            supermicro-sys-5039ms-h12trf-x11sse-f-dmidecode-full.txt;  Supermicro;                   X11SSE-F;              true;  X11
            supermicro-x11ssh-tf-dmidecode-t-baseboard.txt;            Supermicro;                   X11SSH-TF;             true;  X11
            """)
    void readsBoardFromEveryCapturedDmidecode(String file, String vendor, String name, boolean supported, String generation) {
        BoardInfo board = DmiBoard.parseDmidecode(BmcFixtures.read("dmidecode", file)).orElseThrow();

        assertThat(board.vendor()).isEqualTo(vendor);
        assertThat(board.name()).isEqualTo(name);
        assertThat(board.supportsSupermicroFanControl()).isEqualTo(supported);
        assertThat(board.supermicroGeneration()).isEqualTo(generation.isEmpty() ? Optional.empty() : Optional.of(generation));
    }

    @Test
    void everyDmidecodeFixtureHasACase() {
        assertThat(BmcFixtures.files("dmidecode")).containsExactlyInAnyOrder("dell-dss7500-dmidecode-full.txt",
                "hpe-proliant-bl460c-gen10-dmidecode-full.txt", "qct-x10e-9n-s3e-mb-dmidecode-full.txt",
                "supermicro-ssg-6028r-x10drh-it-dmidecode-full.txt", "supermicro-sys-5039ms-h12trf-x11sse-f-dmidecode-full.txt",
                "supermicro-x11ssh-tf-dmidecode-t-baseboard.txt");
    }

    @Test
    void quantaSystemNamedX10IsNotMistakenForSupermicro() {
        // the QCT system is "QuantaMicro X10E-9N": only the board vendor and name count
        BoardInfo board = DmiBoard.parseDmidecode(BmcFixtures.read("dmidecode", "qct-x10e-9n-s3e-mb-dmidecode-full.txt")).orElseThrow();
        assertThat(board.isSupermicro()).isFalse();
        assertThat(new BoardInfo("Quanta", "X10E-9N").supportsSupermicroFanControl()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "Supermicro, X9DAi, X9", "Supermicro, X9SRL-F, X9", "Supermicro, X10DRi, X10", "Supermicro, X11SPi-TF, X11",
            "Supermicro, X12STH-F, X12", "Supermicro, X13SAE-F, X13", "Supermicro, H11SSL-i, H11", "Supermicro, H12SSL-i, H12",
            "Supermicro, H13SSL-N, H13", "Super Micro Computer Inc., X11DPi-N, X11"})
    void recognisesSupportedSupermicroGenerations(String vendor, String name, String generation) {
        assertThat(new BoardInfo(vendor, name).supermicroGeneration()).hasValue(generation);
    }

    @ParameterizedTest
    @CsvSource({"Supermicro, X8DTL-iF", "Supermicro, X14SBi", "Supermicro, H10QST", "Supermicro, A2SDi-8C-HLN4F",
            "Supermicro, M11SDV-8C-LN4F", "Supermicro, X1", "ASUSTeK COMPUTER INC., X11SSH", "Dell Inc., 0X89R8"})
    void rejectsOtherBoards(String vendor, String name) {
        assertThat(new BoardInfo(vendor, name).supportsSupermicroFanControl()).isFalse();
    }

    @Test
    void readsSysfsUnderAnInjectedRoot(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("board_vendor"), "Supermicro\n");
        Files.writeString(root.resolve("board_name"), "X11SPi-TF\n");
        assertThat(DmiBoard.fromSysfs(root)).hasValue(new BoardInfo("Supermicro", "X11SPi-TF"));
        assertThat(DmiBoard.fromSysfs(root.resolve("missing"))).isEmpty();
    }

    @Test
    void dmidecodeWithoutBaseBoardSectionIsEmpty() {
        assertThat(DmiBoard.parseDmidecode("# dmidecode 3.4\nHandle 0x0001, DMI type 1\nSystem Information\n\tManufacturer: X\n")).isEmpty();
    }
}
