package io.dcmon.server.app;

import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.SampleStore;
import io.dcmon.core.service.SecretFiles;
import io.dcmon.prometheus.MetricCatalog;
import io.dcmon.prometheus.PrometheusExposition;
import io.dcmon.prometheus.RemoteWriteConfig;
import io.dcmon.prometheus.RemoteWriteForwarder;
import io.dcmon.transport.server.PrometheusHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Turns the {@code prometheus:} section into the API's {@link PrometheusHooks}: the scrape token (read from its file,
 * or generated there with mode 600 on first start), the exposition over the store, and the remote-write forwarder,
 * which it stops at close.
 */
final class PrometheusWiring implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dcmon.server");

    final PrometheusHooks hooks;
    private final RemoteWriteForwarder forwarder;

    private PrometheusWiring(PrometheusHooks hooks, RemoteWriteForwarder forwarder) {
        this.hooks = hooks;
        this.forwarder = forwarder;
    }

    /** Hooks for {@code settings}; {@link PrometheusHooks#none()} when it is null. */
    static PrometheusWiring open(PrometheusSettings settings, SampleStore samples, ClientStore clients, Clock clock)
            throws IOException {
        if (settings == null) {
            return new PrometheusWiring(PrometheusHooks.none(), null);
        }
        String token = null;
        PrometheusExposition exposition = null;
        if (settings.scrapeTokenFile() != null) {
            Path file = settings.scrapeTokenFile();
            if (file.toAbsolutePath().getParent() != null) {
                SecretFiles.ensureDirectory(file.toAbsolutePath().getParent());
            }
            SecretFiles.Created t = SecretFiles.readOrCreateToken(file);
            token = t.value();
            exposition = new PrometheusExposition(samples, clients, clock, settings.maxAge(), MetricCatalog.builtIn());
            log.info("Prometheus scrape endpoint on: GET /api/prometheus/metrics with the bearer token in {}{}",
                    file.toAbsolutePath(), t.created() ? " (generated now, mode 600)" : "");
        }
        RemoteWriteForwarder forwarder = null;
        if (settings.remoteWrite() != null) {
            forwarder = RemoteWriteForwarder.start(remoteWriteConfig(settings.remoteWrite()));
        }
        return new PrometheusWiring(new PrometheusHooks(token, exposition, forwarder,
                forwarder == null ? null : forwarder::counters), forwarder);
    }

    static RemoteWriteConfig remoteWriteConfig(PrometheusSettings.RemoteWrite rw) throws IOException {
        RemoteWriteConfig c = RemoteWriteConfig.of(rw.url()).withSizes(rw.queueSamples(), rw.batchSamples())
                .withTiming(rw.timeout(), Duration.ofMillis(500), Duration.ofSeconds(30));
        if (rw.bearerTokenFile() != null) {
            c = c.withAuthorization(RemoteWriteConfig.bearer(secret(rw.bearerTokenFile(), "bearer_token_file")));
        } else if (rw.basicUser() != null) {
            c = c.withAuthorization(RemoteWriteConfig.basic(rw.basicUser(),
                    secret(rw.basicPasswordFile(), "basic_auth_password_file")));
        }
        return c;
    }

    private static String secret(Path file, String key) throws IOException {
        String s = SecretFiles.read(file).orElse("");
        if (s.isEmpty()) {
            throw new IOException("prometheus.remote_write." + key + " '" + file + "' is missing or empty; write the secret "
                    + "into it (mode 600)");
        }
        return s;
    }

    @Override
    public void close() {
        if (forwarder != null) {
            forwarder.close();
        }
    }
}
