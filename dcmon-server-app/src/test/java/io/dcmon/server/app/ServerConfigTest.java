package io.dcmon.server.app;

import io.dcmon.transport.server.ApiOptions;
import io.dcmon.transport.wire.FleetView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {

    @TempDir
    Path tmp;

    Path yaml(String text) throws Exception {
        Path f = tmp.resolve("server.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsTheSeedKeysOverDefaults() throws Exception {
        ServerConfig c = ConfigLoader.load(yaml("""
                host: 127.0.0.1
                port: 9443
                auth_dir: /srv/dcmon/auth
                db_path: /srv/dcmon/dcmon.db
                use_tls: false
                metrics_days: 30
                cleanup_interval: 600
                log_level: DEBUG
                """), ServerConfig.defaults());
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(9443);
        assertThat(c.authDir()).isEqualTo(Path.of("/srv/dcmon/auth"));
        assertThat(c.useTls()).isFalse();
        assertThat(c.metricsDays()).isEqualTo(30);
        assertThat(c.logLevel()).isEqualTo("debug");
        assertThat(c.testMode()).isFalse();
    }

    @Test
    void reportsEveryErrorAtOnceWithHints() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(yaml("""
                port: eighty
                metricsDays: 3
                use_tls: maybe
                """), ServerConfig.defaults()))
                .hasMessageContaining("has the following errors:")
                .hasMessageContaining("  * port was '\"eighty\"' but it must be an integer")
                .hasMessageContaining("  * metricsDays: unknown property. Did you mean 'metrics_days'?")
                .hasMessageContaining("  * use_tls was '\"maybe\"' but it must be true or false");
    }

    @Test
    void dashboardThresholdsComeFromTheThresholdsSectionOverTheDefaults() throws Exception {
        ServerConfig c = ConfigLoader.load(yaml("""
                thresholds:
                  cpu_temp_celsius: {warn: 70, crit: 85.5}
                  load1: {crit: 4}
                command_redeliver_after: 300
                """), ServerConfig.defaults());
        assertThat(c.thresholds()).containsOnlyKeys("cpu_temp_celsius", "load1");
        assertThat(c.thresholds().get("cpu_temp_celsius")).isEqualTo(new FleetView.Threshold(70, 85.5));
        assertThat(c.thresholds().get("load1")).as("warn keeps its default").isEqualTo(new FleetView.Threshold(1.0, 4));
        assertThat(c.commandRedeliverAfterSeconds()).isEqualTo(300);
        // what the API then serves: the configured fields, and the defaults for the rest
        ApiOptions o = ApiOptions.defaults().withThresholds(c.thresholds());
        assertThat(o.thresholds().get("cpu_temp_celsius")).isEqualTo(new FleetView.Threshold(70, 85.5));
        assertThat(o.thresholds().get("gpu_temp_celsius")).isEqualTo(FleetView.defaultThresholds().get("gpu_temp_celsius"));
        assertThat(ServerConfig.defaults().thresholds()).isEmpty();
        assertThat(c.with("127.0.0.1", 1, true, false).thresholds()).as("the command-line flags keep them").isEqualTo(c.thresholds());
    }

    @Test
    void thePackagedConfigDocumentsTheDefaultThresholdsAndRedelivery() throws Exception {
        // the commented example in packaging/server/server.yaml, uncommented, must load and equal the defaults
        List<String> lines = Files.readAllLines(Path.of("..", "packaging", "server", "server.yaml"));
        StringBuilder example = new StringBuilder();
        boolean inThresholds = false;
        for (String line : lines) {
            // a commented section runs from its "#key:" line to the next line that is not an indented "#  " line
            inThresholds = line.startsWith("#thresholds:") || inThresholds && line.startsWith("#  ");
            if (inThresholds || line.startsWith("#command_redeliver_after:")) {
                example.append(line.substring(1)).append('\n');
            }
        }
        ServerConfig c = ConfigLoader.load(yaml(example.toString()), ServerConfig.defaults());
        assertThat(c.thresholds()).isEqualTo(FleetView.defaultThresholds());
        assertThat(c.commandRedeliverAfterSeconds()).isEqualTo(ServerConfig.DEFAULT_REDELIVER_AFTER_SECONDS);
    }

    @Test
    void badThresholdsAreAllReportedByField() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(yaml("""
                thresholds:
                  cpu_temp: {warn: 70, crit: 80}
                  gpu_temp_celsius: {warn: 95, crit: 90}
                  memory_percent: {warn: high}
                  load1: {warn: 1, critical: 2}
                  root_fs_percent: 90
                command_redeliver_after: 5
                """), ServerConfig.defaults()))
                .hasMessageContaining("  * thresholds.cpu_temp: unknown dashboard field. Did you mean 'cpu_temp_celsius'?")
                .hasMessageContaining("  * thresholds.gpu_temp_celsius: threshold crit was 90.0 but it must be at least warn (95.0)")
                .hasMessageContaining("  * thresholds.memory_percent.warn was '\"high\"' but it must be a number")
                .hasMessageContaining("  * thresholds.load1.critical: unknown property")
                .hasMessageContaining("  * thresholds.root_fs_percent was '90' but it must be a mapping");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("command_redeliver_after: 5\n"), ServerConfig.defaults()))
                .hasMessageContaining("command_redeliver_after was 5 but it must be at least 30");
    }

    @Test
    void valueRulesAreCheckedAfterParsing() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(yaml("port: 70000\n"), ServerConfig.defaults()))
                .hasMessageContaining("port was 70000 but it must be within 0..65535");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("log_level: loud\n"), ServerConfig.defaults()))
                .hasMessageContaining("log_level was 'loud'");
    }

    @Test
    void devModeIsLoopbackPlainHttpWithDataUnderTheDataDir() throws Exception {
        Main.Run run = new Main.Run();
        run.dev = true;
        run.dataDir = tmp.resolve("d");
        run.port = 0;
        ServerConfig c = run.resolve();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.useTls()).isFalse();
        assertThat(c.testMode()).isTrue();
        assertThat(c.authDir()).isEqualTo(tmp.resolve("d"));
        assertThat(c.dbPath()).isEqualTo(tmp.resolve("d").resolve("dcmon.db"));
    }

    @Test
    void devModeRefusesToServePlainHttpBeyondLoopback() {
        Main.Run run = new Main.Run();
        run.dev = true;
        run.host = "0.0.0.0";
        assertThatThrownBy(run::resolve).hasMessageContaining("loopback only");
    }

    @Test
    void productionDefaultsUseTls() throws Exception {
        ServerConfig c = new Main.Run().resolve();
        assertThat(c.useTls()).isTrue();
        assertThat(c.testMode()).isFalse();
    }

    @Test
    void postgresStorageNeedsItsUrlAndUser() throws Exception {
        ServerConfig c = ConfigLoader.load(yaml("""
                storage: postgres
                postgres_url: jdbc:postgresql://127.0.0.1:5432/dcmon
                postgres_user: dcmon
                postgres_password_file: /etc/dcmon-server/pg.pass
                """), ServerConfig.defaults());
        assertThat(c.postgres()).isEqualTo(new ServerConfig.Postgres("jdbc:postgresql://127.0.0.1:5432/dcmon", "dcmon",
                Path.of("/etc/dcmon-server/pg.pass")));
        assertThatThrownBy(() -> ConfigLoader.load(yaml("storage: postgres\n"), ServerConfig.defaults()))
                .hasMessageContaining("needs postgres_url and postgres_user");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("storage: mysql\n"), ServerConfig.defaults()))
                .hasMessageContaining("must be sqlite or postgres");
        assertThat(ConfigLoader.load(yaml("port: 1\n"), ServerConfig.defaults()).postgres()).isNull();
    }

    @Test
    void theSeriesCacheDefaultsToWhatEachStoreCanHold() throws Exception {
        String pg = "storage: postgres\npostgres_url: jdbc:postgresql://127.0.0.1:5432/dcmon\npostgres_user: dcmon\n";
        assertThat(ConfigLoader.load(yaml("port: 1\n"), ServerConfig.defaults()).storageTuning().seriesCacheSize())
                .isEqualTo(1_000_000);
        assertThat(ConfigLoader.load(yaml(pg), ServerConfig.defaults()).storageTuning().seriesCacheSize())
                .isEqualTo(ServerConfig.StorageTuning.POSTGRES_SERIES_CACHE_SIZE);
        assertThat(ConfigLoader.load(yaml(pg + "series_cache_size: 1000000\n"), ServerConfig.defaults())
                .storageTuning().seriesCacheSize()).isEqualTo(1_000_000);
    }

    @Test
    void checkConfigExitsTwoOnABadFile() throws Exception {
        Path f = yaml("prot: 1\n");
        assertThat(Main.commandLine().execute("check-config", f.toString())).isEqualTo(2);
        assertThat(Main.commandLine().execute("check-config", yaml("port: 8443\n").toString())).isZero();
    }
}
