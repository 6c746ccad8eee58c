package io.dcmon.server.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code java -jar dcmon-server.jar}: parses the command line, builds the configuration and hands it to
 * {@link ServerLauncher}. Exit status 2 means the configuration was refused (every error is printed).
 */
@Command(name = "dcmon-server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "The dcmon server: collects metrics from dcmon agents, stores them in SQLite, serves the API.",
        subcommands = {Main.Run.class, Main.CheckConfig.class, Main.Fingerprint.class, Main.Backup.class, Main.Migrate.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: try 'run --dev'");
    }

    /** {@code run}: start the server and serve until stopped. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Start the server.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
        Path config;
        @Option(names = "--dev", description = "Development mode: loopback only, plain HTTP, data under --data-dir, API docs on")
        boolean dev;
        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory in --dev mode (default: ./dcmon-data)")
        Path dataDir;
        @Option(names = "--host", paramLabel = "H", description = "Address to listen on")
        String host;
        @Option(names = "--port", paramLabel = "P", description = "Port to listen on (0 = any free port)")
        Integer port;

        @Override
        public Integer call() throws Exception {
            ServerConfig config;
            try {
                config = resolve();
            } catch (ConfigLoader.ConfigException | IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            return ServerLauncher.run(config, dev);
        }

        ServerConfig resolve() throws ConfigLoader.ConfigException {
            if (dataDir != null && !dev) {
                throw new IllegalArgumentException("--data-dir applies to --dev mode; in production set auth_dir and db_path in --config");
            }
            ServerConfig base = dev ? ServerConfig.dev(dataDir != null ? dataDir : Path.of("dcmon-data")) : ServerConfig.defaults();
            ServerConfig c = config != null ? ConfigLoader.load(config, base) : base;
            c = c.with(host != null ? host : c.host(), port != null ? port : c.port(), c.testMode() || dev, c.useTls() && !dev);
            if (dev && !isLoopback(c.host())) {
                throw new IllegalArgumentException("--dev serves plain HTTP and so listens on loopback only; host '" + c.host()
                        + "' is not a loopback address. Drop --dev to serve the network over TLS.");
            }
            return c;
        }
    }

    /** {@code check-config FILE}: validate a configuration file without starting. */
    @Command(name = "check-config", mixinStandardHelpOptions = true, description = "Validate a configuration file and exit.")
    static final class CheckConfig implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            try {
                ServerConfig c = ConfigLoader.load(file, ServerConfig.defaults());
                System.out.println(file + " is valid: " + c);
                return 0;
            } catch (ConfigLoader.ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
    }

    /** {@code fingerprint}: print the SHA-256 fingerprint of the server's certificate, for agents to pin. */
    @Command(name = "fingerprint", mixinStandardHelpOptions = true,
            description = "Print the SHA-256 fingerprint of the server's TLS certificate (what agents pin).")
    static final class Fingerprint implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
        Path config;

        @Override
        public Integer call() {
            try {
                ServerConfig c = config != null ? ConfigLoader.load(config, ServerConfig.defaults()) : ServerConfig.defaults();
                Path cert = c.tlsCertFile() != null ? c.tlsCertFile() : c.authDir().resolve(io.dcmon.transport.tls.TlsMaterial.CERT_FILE);
                if (!java.nio.file.Files.exists(cert)) {
                    System.err.println("No certificate at " + cert + ": start the server once with use_tls: true to generate it.");
                    return 1;
                }
                Path key = c.tlsKeyFile() != null ? c.tlsKeyFile() : c.authDir().resolve(io.dcmon.transport.tls.TlsMaterial.KEY_FILE);
                System.out.println("SHA256:" + io.dcmon.transport.tls.TlsMaterial.fromPem(cert, key).fingerprintColons());
                return 0;
            } catch (ConfigLoader.ConfigException | RuntimeException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
    }

    /** {@code backup FILE}: a consistent copy of the live database, taken while the server keeps ingesting. */
    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Write a consistent copy of the database to FILE (safe while the server runs).")
    static final class Backup implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (for db_path)")
        Path config;
        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory of a --dev server instead of --config")
        Path dataDir;
        @Parameters(paramLabel = "FILE", description = "Where to write the copy (must not exist)")
        Path target;

        @Override
        public Integer call() {
            try {
                ServerConfig c = dataDir != null ? ServerConfig.dev(dataDir)
                        : config != null ? ConfigLoader.load(config, ServerConfig.defaults()) : ServerConfig.defaults();
                if (java.nio.file.Files.exists(target)) {
                    System.err.println(target + " already exists; choose a new file name");
                    return 2;
                }
                ServerLauncher.configureLogging("warn");
                // maintenance off: this short-lived second opener must only read and copy
                try (var storage = io.dcmon.storage.SqliteStorage.open(io.dcmon.storage.StorageConfig.of(c.dbPath())
                        .withMaintenanceInterval(java.time.Duration.ZERO))) {
                    storage.backup(target);
                }
                System.out.println("backup of " + c.dbPath() + " written to " + target);
                return 0;
            } catch (ConfigLoader.ConfigException | RuntimeException e) {
                System.err.println("backup failed: " + e.getMessage());
                return 1;
            }
        }
    }

    /** {@code migrate --to postgres}: copy the SQLite database at db_path into the PostgreSQL store the config names. */
    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Copy the SQLite database (db_path) into PostgreSQL (storage: postgres, postgres_url, ...). Stop the server first.")
    static final class Migrate implements Callable<Integer> {
        @Option(names = "--to", required = true, paramLabel = "postgres", description = "Target store; only 'postgres' exists")
        String to;
        @Option(names = "--config", required = true, paramLabel = "FILE",
                description = "YAML configuration naming db_path (the source) and postgres_url/postgres_user/postgres_password_file")
        Path config;

        @Override
        public Integer call() {
            if (!"postgres".equals(to)) {
                System.err.println("--to was '" + to + "'; the only target is postgres");
                return 2;
            }
            try {
                ServerConfig c = ConfigLoader.load(config, ServerConfig.defaults());
                if (c.postgres() == null) {
                    System.err.println(config + " does not name a PostgreSQL store: set storage: postgres, postgres_url, postgres_user");
                    return 2;
                }
                ServerLauncher.configureLogging("warn");
                ServerConfig.Postgres pg = c.postgres();
                try (var target = io.dcmon.storage.postgres.PostgresStorage.open(
                        io.dcmon.storage.postgres.PostgresConfig.of(pg.jdbcUrl(), pg.user(), pg.passwordFile())
                                .withMaintenanceInterval(java.time.Duration.ZERO))) {
                    var r = io.dcmon.storage.postgres.PostgresMigration.copy(c.dbPath(), target, java.time.Duration.ofDays(1));
                    System.out.printf(java.util.Locale.ROOT, "copied %d clients, %d commands, %d series, %d samples from %s to %s%n",
                            r.clients(), r.commands(), r.series(), r.samples(), c.dbPath(), pg.jdbcUrl());
                }
                return 0;
            } catch (ConfigLoader.ConfigException | RuntimeException e) {
                System.err.println("migration failed: " + e.getMessage());
                return 1;
            }
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"dcmon-server " + (v != null ? v : "development build")};
        }
    }
}
