package io.dcmon.server.app;

import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationService;
import io.dcmon.core.service.SecretFiles;
import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.CommandStore;
import io.dcmon.core.port.SampleStore;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.storage.postgres.PostgresConfig;
import io.dcmon.storage.postgres.PostgresStorage;
import io.dcmon.storage.StorageConfig;
import io.dcmon.transport.auth.CaffeineNonceGuard;
import io.dcmon.core.port.AuditSink;
import io.dcmon.transport.server.ApiOptions;
import io.dcmon.transport.server.AuditLog;
import io.dcmon.transport.server.DcmonServer;
import io.dcmon.transport.server.DcmonServices;
import io.dcmon.transport.tls.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** The composition root: configuration in, a running server out. No business rules live here. */
final class ServerLauncher {

    private ServerLauncher() {
    }

    static int run(ServerConfig config, boolean dev) throws Exception {
        configureLogging(config.logLevel());
        Logger log = LoggerFactory.getLogger("dcmon.server");
        log.info("configuration: host='{}' port={} auth_dir='{}' db_path='{}' test_mode={} use_tls={} metrics_days={} "
                        + "cleanup_interval={}s log_level={} tls_cert_file={} tls_key_file={}",
                config.host(), config.port(), config.authDir(), config.dbPath(), config.testMode(), config.useTls(),
                config.metricsDays(), config.cleanupIntervalSeconds(), config.logLevel(),
                quoted(config.tlsCertFile()), quoted(config.tlsKeyFile()));
        if (!config.thresholds().isEmpty()) {
            log.info("configuration: dashboard thresholds {} (other fields keep their defaults)", config.thresholds());
        }
        log.info("storage tuning: write_queue_capacity={} series_cache_size={} sqlite_cache_mib={} sqlite_mmap_mib={}",
                config.storageTuning().writeQueueCapacity(), config.storageTuning().seriesCacheSize(),
                config.storageTuning().sqliteCacheMib(), config.storageTuning().sqliteMmapMib());

        SecretFiles.ensureDirectory(config.authDir());
        Path tokenFile = config.authDir().resolve("admin_token");
        SecretFiles.Created admin = SecretFiles.readOrCreateToken(tokenFile);
        if (admin.created()) {
            log.info("generated a new admin token in {} (mode 600)", tokenFile.toAbsolutePath());
        }
        // TLS is set up before anything listens: if it cannot be, the server does not start (never plain HTTP instead)
        Path auditFile = config.dbPath().toAbsolutePath().resolveSibling("audit.log");
        TlsMaterial tls;
        try (AuditLog audit = AuditLog.create(Clock.systemUTC(), auditFile)) {
            tls = setUpTls(config, audit);
        }
        if (config.postgres() == null) {
            Files.createDirectories(config.dbPath().toAbsolutePath().getParent());
        }

        Clock clock = Clock.systemUTC();
        CountDownLatch stopped = new CountDownLatch(1);
        try (Store storage = Store.open(config);
             PrometheusWiring prometheus = PrometheusWiring.open(config.prometheus(), storage.samples(), storage.clients(), clock)) {
            DcmonServices services = new DcmonServices(
                    new ClientAuthenticator(admin.value(), storage.clients()),
                    new RegistrationService(storage.clients(), new CaffeineNonceGuard(), clock),
                    new IngestService(storage.clients(), storage.samples(), clock),
                    new QueryService(storage.clients(), storage.samples()),
                    clock, config.testMode())
                    .withClients(storage.clients())
                    .withCommands(storage.commands())
                    .withOptions(ApiOptions.defaults().withAuditFile(auditFile)
                            .withThresholds(config.thresholds())
                            .withCommandRedeliverAfter(Duration.ofSeconds(config.commandRedeliverAfterSeconds())))
                    .withPrometheus(prometheus.hooks);
            try (DcmonServer server = tls == null ? DcmonServer.create(config.host(), config.port(), services)
                    : DcmonServer.create(config.host(), config.port(), services, tls)) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.close();
                    try {
                        stopped.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "dcmon-shutdown"));
                server.start();
                log.info("dcmon server listening on {} (API under {}api/)", server.uri(), server.uri());
                if (tls != null) {
                    log.info("TLS certificate SHA-256 fingerprint: {} ({}); agents pin it with --server-fingerprint",
                            tls.fingerprintColons(), tls.generated() ? "self-signed, in " + config.authDir() : "operator-provided");
                }
                log.info("admin token: {}", tokenFile.toAbsolutePath());
                if (dev) {
                    System.out.println("dcmon server (dev mode) at " + server.uri() + "  admin token in " + tokenFile.toAbsolutePath());
                }
                server.join();
            }
        } finally {
            stopped.countDown();
        }
        return 0;
    }

    /**
     * The store the configuration names (SQLite at db_path, or PostgreSQL), seen through the ports the services use.
     * Retention (metrics_days) and compaction run in the store's own maintenance thread every cleanup_interval.
     */
    record Store(ClientStore clients, SampleStore samples, CommandStore commands, AutoCloseable owner) implements AutoCloseable {

        static Store open(ServerConfig config) {
            Duration keep = Duration.ofDays(config.metricsDays());
            Duration every = Duration.ofSeconds(config.cleanupIntervalSeconds());
            if (config.postgres() != null) {
                ServerConfig.Postgres pg = config.postgres();
                PostgresStorage s = PostgresStorage.open(PostgresConfig.of(pg.jdbcUrl(), pg.user(), pg.passwordFile())
                        .withRetention(keep).withMaintenanceInterval(every).withSeriesCacheSize(config.storageTuning().seriesCacheSize()));
                return new Store(s, s, s.commands(), s);
            }
            ServerConfig.StorageTuning t = config.storageTuning();
            SqliteStorage s = SqliteStorage.open(StorageConfig.of(config.dbPath()).withRetention(keep).withMaintenanceInterval(every)
                    .withWriteQueueCapacity(t.writeQueueCapacity()).withSeriesCacheSize(t.seriesCacheSize())
                    .withCacheKib(t.sqliteCacheMib() * 1024L, Math.max(256, t.sqliteCacheMib() * 256L))
                    .withMmapBytes(t.sqliteMmapMib() * (1L << 20)));
            return new Store(s, s, s.commands(), s);
        }

        @Override
        public void close() throws Exception {
            owner.close();
        }
    }

    /**
     * TLS as configured, audited either way ({@code tls_setup} with the certificate's fingerprint and origin, or
     * {@code tls_setup_failed} with the reason before the failure propagates and the server refuses to start).
     *
     * @return the material, or null when {@code use_tls} is false
     */
    static TlsMaterial setUpTls(ServerConfig config, AuditSink audit) throws IOException {
        if (!config.useTls()) {
            audit.record("tls_setup", AuditLog.fields("tls", false, "reason", config.testMode()
                    ? "use_tls is false (test mode)" : "use_tls is false: plain HTTP, e.g. behind a TLS-terminating proxy"));
            return null;
        }
        try {
            TlsMaterial tls = tls(config);
            audit.record("tls_setup", AuditLog.fields("tls", true,
                    "certificate", tls.generated() ? "self-signed in " + config.authDir() : "operator-provided " + config.tlsCertFile(),
                    "sha256_fingerprint", tls.fingerprintColons(),
                    "not_after", tls.certificate().getNotAfter().toInstant().toString()));
            return tls;
        } catch (IOException | RuntimeException e) {
            audit.record("tls_setup_failed", AuditLog.fields("reason", String.valueOf(e.getMessage())));
            throw e;
        }
    }

    /** The operator's PEM certificate and key, or the self-signed one in auth_dir (generated on first start). */
    static TlsMaterial tls(ServerConfig config) throws IOException {
        if (config.tlsCertFile() != null) {
            return TlsMaterial.fromPem(config.tlsCertFile(), config.tlsKeyFile());
        }
        return TlsMaterial.loadOrCreate(config.authDir(), InetAddress.getLocalHost().getHostName());
    }

    private static String quoted(Path p) {
        return p == null ? "none" : "'" + p + "'";
    }

    static void configureLogging(String level) {
        // slf4j-simple reads these once, when the first logger is created
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        // third-party start-up chatter (Flyway steps, pool and Jetty banners) only when asked for
        String libraries = "debug".equals(level) || "trace".equals(level) ? level : "warn";
        for (String lib : new String[] {"org.eclipse.jetty", "org.flywaydb", "com.zaxxer.hikari", "org.glassfish.jersey", "org.jooq"}) {
            System.setProperty("org.slf4j.simpleLogger.log." + lib, "error".equals(level) ? level : libraries);
        }
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
