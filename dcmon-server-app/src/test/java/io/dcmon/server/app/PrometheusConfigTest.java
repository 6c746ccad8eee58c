package io.dcmon.server.app;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import io.dcmon.prometheus.RemoteWriteConfig;
import io.dcmon.storage.SqliteStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code prometheus:} section: parsing, errors, and what the launcher builds from it. */
class PrometheusConfigTest {

    @TempDir
    Path tmp;

    Path yaml(String text) throws Exception {
        Path f = tmp.resolve("server.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsTheSection() throws Exception {
        ServerConfig c = ConfigLoader.load(yaml("""
                prometheus:
                  scrape_token_file: /etc/dcmon-server/auth/scrape_token
                  max_age_seconds: 120
                  remote_write:
                    url: https://mimir.example/api/v1/push
                    basic_auth_user: dcmon
                    basic_auth_password_file: /etc/dcmon-server/auth/rw_password
                    queue_samples: 5000
                    batch_samples: 500
                    timeout_seconds: 10
                """), ServerConfig.defaults());
        PrometheusSettings p = c.prometheus();
        assertThat(p.scrapeTokenFile()).isEqualTo(Path.of("/etc/dcmon-server/auth/scrape_token"));
        assertThat(p.maxAge()).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.remoteWrite().url()).isEqualTo(URI.create("https://mimir.example/api/v1/push"));
        assertThat(p.remoteWrite().basicUser()).isEqualTo("dcmon");
        assertThat(p.remoteWrite().queueSamples()).isEqualTo(5000);
        assertThat(p.remoteWrite().batchSamples()).isEqualTo(500);
        assertThat(p.remoteWrite().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ConfigLoader.load(yaml("port: 1\n"), ServerConfig.defaults()).prometheus()).isNull();
    }

    @Test
    void reportsEveryProblemOfTheSectionAtOnce() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(yaml("""
                prometheus:
                  scrape_token: x
                  remote_write:
                    url: ftp://nowhere/write
                    queue_sample: 3
                """), ServerConfig.defaults()))
                .hasMessageContaining("prometheus.scrape_token: unknown property. Did you mean 'scrape_token_file'?")
                .hasMessageContaining("prometheus.remote_write.queue_sample: unknown property. Did you mean 'queue_samples'?");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("""
                prometheus:
                  remote_write:
                    url: ftp://nowhere/write
                """), ServerConfig.defaults()))
                .hasMessageContaining("must be an http or https URL");
        assertThatThrownBy(() -> ConfigLoader.load(yaml("""
                prometheus:
                  remote_write:
                    url: http://p:9090/api/v1/write
                    bearer_token_file: /a
                    basic_auth_user: u
                    basic_auth_password_file: /b
                    batch_samples: 0
                """), ServerConfig.defaults()))
                .hasMessageContaining("batch_samples was '0' but it must be a positive integer")
                .hasMessageContaining("not both");
        assertThat(Main.commandLine().execute("check-config", yaml("prometheus:\n  remote_write: {}\n").toString())).isEqualTo(2);
        assertThat(Main.commandLine().execute("check-config",
                yaml("prometheus:\n  scrape_token_file: /tmp/t\n").toString())).isZero();
    }

    @Test
    void theLauncherGeneratesTheScrapeTokenFileAndExposesTheStore() throws Exception {
        Path tokenFile = tmp.resolve("auth").resolve("scrape_token");
        PrometheusSettings s = new PrometheusSettings(tokenFile, Duration.ofMinutes(10), null);
        try (SqliteStorage storage = SqliteStorage.open(tmp.resolve("dcmon.db"));
             PrometheusWiring w = PrometheusWiring.open(s, storage, storage, Clock.systemUTC())) {
            assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(w.hooks.scrapeToken()).isEqualTo(Files.readString(tokenFile).strip()).hasSizeGreaterThan(20);
            assertThat(w.hooks.forwarder()).isNull();
            Client c = storage.upsert("m1", "mid", "pem", "fp1", Map.of(), "ab".repeat(32), Instant.now());
            storage.append(c.id(), List.of(Sample.of(SeriesKey.of("node_load1"), System.currentTimeMillis(), 0.5)));
            assertThat(w.hooks.exposition().render()).contains("node_load1{client=\"" + c.id() + "\",instance=\"m1\"} 0.5 ");
            // a revoked machine leaves the exposition
            storage.revoke(c.id());
            assertThat(w.hooks.exposition().render()).doesNotContain("node_load1");
        }
        // a second start keeps the token
        String first = Files.readString(tokenFile);
        try (SqliteStorage storage = SqliteStorage.open(tmp.resolve("dcmon.db"));
             PrometheusWiring w = PrometheusWiring.open(s, storage, storage, Clock.systemUTC())) {
            assertThat(w.hooks.scrapeToken()).isEqualTo(first.strip());
        }
    }

    @Test
    void remoteWriteAuthComesFromItsFiles() throws Exception {
        Path bearer = Files.writeString(tmp.resolve("rw_token"), "s3cret-token\n");
        RemoteWriteConfig c = PrometheusWiring.remoteWriteConfig(new PrometheusSettings.RemoteWrite(
                URI.create("http://127.0.0.1:9/api/v1/write"), bearer, null, null, 100, 10, Duration.ofSeconds(5)));
        assertThat(c.authorization()).isEqualTo("Bearer s3cret-token");
        Path pw = Files.writeString(tmp.resolve("rw_pw"), "pw\n");
        RemoteWriteConfig basic = PrometheusWiring.remoteWriteConfig(new PrometheusSettings.RemoteWrite(
                URI.create("http://127.0.0.1:9/api/v1/write"), null, "u", pw, 100, 10, Duration.ofSeconds(5)));
        assertThat(basic.authorization()).isEqualTo(RemoteWriteConfig.basic("u", "pw"));
        assertThatThrownBy(() -> PrometheusWiring.remoteWriteConfig(new PrometheusSettings.RemoteWrite(
                URI.create("http://127.0.0.1:9/api/v1/write"), tmp.resolve("absent"), null, null, 100, 10, Duration.ofSeconds(5))))
                .hasMessageContaining("bearer_token_file").hasMessageContaining("missing or empty");
    }
}
