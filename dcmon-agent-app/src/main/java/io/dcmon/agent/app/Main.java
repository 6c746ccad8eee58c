package io.dcmon.agent.app;

import io.dcmon.agent.Agent;
import io.dcmon.agent.AgentState;
import io.dcmon.agent.AgentTransport;
import io.dcmon.agent.CommandExecutor;
import io.dcmon.agent.Enrolment;
import io.dcmon.agent.ExecutedCommands;
import io.dcmon.agent.HostInfo;
import io.dcmon.agent.ServerCertificate;
import io.dcmon.agent.Spool;
import io.dcmon.transport.client.DcmonClientException;
import io.dcmon.transport.client.PinnedTrust;
import io.dcmon.transport.wire.ClientInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code java -jar dcmon-agent.jar}: register, run, collect, status. Parses, builds, starts; the work happens in
 * {@code io.dcmon.agent} and {@code dcmon-hardware}.
 */
@Command(name = "dcmon-agent", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "The dcmon agent: collects this machine's metrics and pushes them to a dcmon server.",
        subcommands = {Main.Register.class, Main.Run.class, Main.Collect.class, Main.Status.class, FansCommand.class})
public final class Main implements Runnable {

    /** Environment variable that may hold the admin token for unattended registration. */
    static final String ADMIN_TOKEN_ENV = "DCMON_ADMIN_TOKEN";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        // the service's command line takes a path without picocli: its ~170 classes would stay loaded (metaspace)
        // for the agent's whole life; anything else, --help included, goes through picocli
        Run run = Run.plain(args);
        System.exit(run != null ? run.callReportingErrors() : execute(args));
    }

    /** Runs one command line and returns its exit status (what {@link #main} exits with). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The JDK's {@code HttpURLConnection} setting for how long an idle connection to the server is kept (its default is
     * 5 s, so every 30 s push opened a new connection: over TLS a full handshake per cycle).
     */
    static final String KEEP_ALIVE_PROPERTY = "http.keepAlive.time.server";
    /**
     * Seconds an idle connection is kept: longer than a push interval of up to 120 s, shorter than the server's idle
     * timeout (150 s, {@code DcmonServer.IDLE_TIMEOUT}), so the agent closes first and never sends on a connection the
     * server is closing. For plain HTTP too: one property covers both schemes, and reuse saves a TCP connect there.
     */
    static final String KEEP_ALIVE_SECONDS = "125";

    /** Exit status for a command line that cannot be parsed (sysexits EX_USAGE): distinct from status's 0-3. */
    static final int EXIT_USAGE = 64;
    /** Exit status for a configuration that cannot be used (sysexits EX_CONFIG). */
    static final int EXIT_CONFIG = 78;
    /** Exit status for any other failure (sysexits EX_SOFTWARE). */
    static final int EXIT_FAILURE = 70;

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    // an operator gets the message, not a stack trace; scripts get a code that no state answer uses
                    line.getErr().println("dcmon-agent: " + e.getMessage());
                    return e instanceof IllegalArgumentException || e instanceof java.io.IOException ? EXIT_CONFIG : EXIT_FAILURE;
                });
        usageExitCode(cl);
        return cl;
    }

    private static void usageExitCode(CommandLine cl) {
        cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
        cl.getSubcommands().values().forEach(Main::usageExitCode);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: register, run, collect or status");
    }

    /** Options every subcommand shares. */
    static class Common {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (default: /etc/dcmon/agent.yaml if it exists)")
        Path config;
        @Option(names = "--auth-dir", paramLabel = "DIR", description = "Where the key and token live (default: /etc/dcmon/auth)")
        Path authDir;

        AgentConfig load() throws IOException {
            Path file = config;
            if (file == null && Files.isReadable(AgentConfigLoader.DEFAULT_FILE)) {
                file = AgentConfigLoader.DEFAULT_FILE;
            }
            AgentConfig c = file != null ? AgentConfigLoader.load(file) : AgentConfig.defaults();
            if (authDir != null) {
                c = c.withAuthDir(authDir, file == null);
            }
            Logging.configure(c.logLevel());
            return c;
        }
    }

    /** {@code register}: enrol this machine with a server. */
    @Command(name = "register", mixinStandardHelpOptions = true, description = "Register this machine with a dcmon server.")
    static final class Register extends Common implements Callable<Integer> {
        @Option(names = "--server", required = true, paramLabel = "URL", description = "Server base URL, e.g. http://127.0.0.1:8080")
        URI server;
        @Option(names = "--admin-token-file", paramLabel = "FILE",
                description = "File holding the admin token (else $" + ADMIN_TOKEN_ENV + ", else a prompt)")
        Path adminTokenFile;
        @Option(names = "--server-fingerprint", paramLabel = "SHA256:…",
                description = "Expected SHA-256 fingerprint of the server's certificate, as 'dcmon-server fingerprint' prints it "
                        + "(for unattended installs; otherwise you are asked to confirm it)")
        String fingerprint;

        @Override
        public Integer call() throws Exception {
            AgentConfig c = load();
            String adminToken = adminToken();
            if (adminToken == null) {
                System.err.println("No admin token: pass --admin-token-file FILE, set " + ADMIN_TOKEN_ENV + ", or run in a terminal to be asked.");
                return 2;
            }
            AgentState state = new AgentState(c.authDir());
            String pin;
            try {
                pin = pinFor(server);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 1;
            } catch (IOException e) {
                System.err.println("Could not reach " + server + " to read its certificate: " + e.getMessage()
                        + " (is the server running, and is this its address?)");
                return 1;
            }
            try {
                AgentState.Registration r = new Enrolment(state, Clock.systemUTC())
                        .register(server, pin, adminToken, HostInfo.local());
                System.out.println("Registered with " + server + " as client " + r.clientId() + "; token saved in " + c.authDir()
                        + (pin != null ? " (server certificate pinned)" : ""));
                return 0;
            } catch (DcmonClientException e) {
                System.err.println("Registration with " + server + " failed: " + e.getMessage());
                return 1;
            }
        }

        /**
         * The certificate pin to use, SSH style: none for plain HTTP or a certificate a public CA vouches for; the given
         * --server-fingerprint if the server presents it; else the operator confirms what the server presents.
         */
        private String pinFor(URI server) throws IOException {
            if (!"https".equals(server.getScheme())) {
                if (fingerprint != null) {
                    throw new IllegalArgumentException("--server-fingerprint was given but " + server + " is not an https:// URL");
                }
                return null;
            }
            String presented = ServerCertificate.fingerprint(server);
            if (fingerprint != null) {
                String expected = PinnedTrust.normalize(fingerprint);
                if (!expected.equals(presented)) {
                    throw new IllegalArgumentException("REFUSED: " + server + " presents certificate " + ServerCertificate.display(presented)
                            + " but --server-fingerprint is " + ServerCertificate.display(expected)
                            + ". Check 'dcmon-server fingerprint' on the server; someone may be intercepting the connection.");
                }
                return presented;
            }
            if (ServerCertificate.trustedByCa(server)) {
                return null;
            }
            Console console = System.console();
            if (console == null) {
                throw new IllegalArgumentException("The server's certificate is self-signed (" + ServerCertificate.display(presented)
                        + ") and there is no terminal to confirm it: pass --server-fingerprint after checking it with "
                        + "'dcmon-server fingerprint' on the server.");
            }
            console.printf("The authenticity of %s can't be established.%nIts certificate fingerprint is %s.%n"
                    + "Compare it with 'dcmon-server fingerprint' on the server.%n", server, ServerCertificate.display(presented));
            String answer = console.readLine("Trust this certificate and continue (yes/no)? ");
            if (answer == null || !answer.trim().equalsIgnoreCase("yes")) {
                throw new IllegalArgumentException("Not registered: the certificate was not confirmed.");
            }
            return presented;
        }

        private String adminToken() throws IOException {
            if (adminTokenFile != null) {
                String t = Files.readString(adminTokenFile).trim();
                if (t.isEmpty()) {
                    throw new IOException(adminTokenFile + " is empty; it should hold the server's admin token");
                }
                return t;
            }
            String env = System.getenv(ADMIN_TOKEN_ENV);
            if (env != null && !env.isBlank()) {
                return env.trim();
            }
            Console console = System.console();
            if (console == null) {
                return null;
            }
            char[] typed = console.readPassword("Admin token for %s: ", server);
            return typed == null || typed.length == 0 ? null : new String(typed).trim();
        }
    }

    /** {@code run}: collect and push until stopped. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Collect and push metrics until stopped.")
    static final class Run extends Common implements Callable<Integer> {
        @Option(names = "--server", paramLabel = "URL", description = "Server base URL (default: the one registered with)")
        URI server;
        @Option(names = "--interval", paramLabel = "SECONDS", description = "Seconds between pushes (default 30)")
        Integer interval;

        /**
         * The {@code run} command line parsed without picocli, or null when it holds anything but
         * {@code run [--config FILE] [--auth-dir DIR] [--server URL] [--interval SECONDS]} (picocli then parses it,
         * and explains what is wrong).
         */
        static Run plain(String... args) {
            if (args.length == 0 || !args[0].equals("run") || args.length % 2 == 0) {
                return null;
            }
            Run r = new Run();
            try {
                for (int i = 1; i < args.length; i += 2) {
                    String value = args[i + 1];
                    switch (args[i]) {
                        case "--config" -> r.config = Path.of(value);
                        case "--auth-dir" -> r.authDir = Path.of(value);
                        case "--server" -> r.server = new URI(value);
                        case "--interval" -> r.interval = Integer.valueOf(value);
                        default -> {
                            return null;
                        }
                    }
                }
            } catch (java.net.URISyntaxException | RuntimeException e) {
                return null;
            }
            return r;
        }

        /** {@link #call()}, with failures reported and mapped to exit codes as picocli's handler does. */
        int callReportingErrors() {
            try {
                return call();
            } catch (Exception e) {
                System.err.println("dcmon-agent: " + e.getMessage());
                return e instanceof IllegalArgumentException || e instanceof IOException ? EXIT_CONFIG : EXIT_FAILURE;
            }
        }

        @Override
        public Integer call() throws Exception {
            // read once, when the JDK's connection cache is first used: before this command's first connection;
            // a -D on the command line wins
            if (System.getProperty(KEEP_ALIVE_PROPERTY) == null) {
                System.setProperty(KEEP_ALIVE_PROPERTY, KEEP_ALIVE_SECONDS);
            }
            AgentConfig c = load();
            AgentState state = new AgentState(c.authDir());
            var registration = state.registration();
            if (registration.isEmpty()) {
                System.err.println("This agent is not registered (nothing in " + c.authDir() + "). Run first:\n"
                        + "  dcmon-agent register --server https://SERVER:8443 [--auth-dir " + c.authDir() + "]");
                return 1;
            }
            URI target = server != null ? server : c.server() != null ? c.server() : registration.get().server();
            Duration every = interval != null ? Duration.ofSeconds(interval) : c.interval();
            if (every.isZero() || every.isNegative()) {
                System.err.println("--interval was " + interval + " but it must be at least 1");
                return 2;
            }
            var reg = registration.get();
            AgentState.Registration connection = new AgentState.Registration(reg.clientId(), reg.token(), target, reg.pin());
            // one transport for pushes and the command long-poll
            AgentTransport client = connection.transport();
            AgentHardware hw = new AgentHardware(c);
            try (AgentCollectors collectors = AgentCollectors.create(c, hw, every)) {
                Spool spool = new Spool(c.spoolDir(), new Spool.Limits(c.spoolMaxBytes(), c.spoolMaxAge()), Clock.systemUTC());
                Agent agent = new Agent(client, reg.token(), collectors::collect, spool, Clock.systemUTC(), Duration.ofMinutes(5));
                AgentLoop loop = new AgentLoop(agent, every, target);
                try (CommandExecutor commands = new CommandExecutor(client, reg.token(), reg.clientId(), c.commands(),
                        hw::fans, new ExecutedCommands(c.spoolDir().resolveSibling("executed_commands")),
                        Clock.systemUTC(), update -> {
                            if (update.containsKey("interval")) {
                                loop.interval(Duration.ofSeconds(Long.parseLong(update.get("interval"))));
                            }
                            if (update.containsKey("collectors")) {
                                collectors.enable(java.util.List.of(update.get("collectors").split(",")));
                            }
                        }, argv -> new ProcessBuilder(argv).inheritIO().start())) {
                    collectors.start();
                    commands.start();
                    return loop.run();
                }
            }
        }
    }

    /** {@code collect --once}: print what this machine reports, without a server. */
    @Command(name = "collect", mixinStandardHelpOptions = true, description = "Collect once and print the samples.")
    static final class Collect extends Common implements Callable<Integer> {
        @Option(names = "--once", required = true, description = "Collect one cycle and exit")
        boolean once;
        @Option(names = "--format", defaultValue = "table", paramLabel = "json|table", description = "Output format (default: table)")
        Format format;

        enum Format { json, table }

        @Override
        public Integer call() throws Exception {
            AgentConfig c = load();
            try (AgentCollectors collectors = AgentCollectors.create(c, new AgentHardware(c), c.interval())) {
                var samples = collectors.collect();
                System.out.print(format == Format.json
                        ? SampleOutput.json(samples, collectors.availability())
                        : SampleOutput.table(samples, collectors.availability()));
                return 0;
            }
        }
    }

    /** {@code status}: 0 registered and verified, 1 installed but not (or no longer) registered, 2 nothing set up. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Exit 0 when registered and verified by the server, 1 when installed but not registered, 2 when nothing is set up.")
    static final class Status extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            AgentConfig c = load();
            AgentState state = new AgentState(c.authDir());
            AgentState.Setup local = state.localSetup();
            if (local != AgentState.Setup.REGISTERED) {
                System.out.println(local == AgentState.Setup.NOTHING
                        ? "not set up: no key or token in " + c.authDir()
                        : "installed but not registered: run 'dcmon-agent register --server URL'");
                return local.exitCode();
            }
            var r = state.registration().orElseThrow();
            URI target = c.server() != null ? c.server() : r.server();
            try {
                ClientInfo me = new AgentState.Registration(r.clientId(), r.token(), target, r.pin()).client().verify(r.token());
                System.out.println("registered with " + target + " as client " + me.clientId() + " (" + me.hostname() + ")");
                return AgentState.Setup.REGISTERED.exitCode();
            } catch (DcmonClientException e) {
                if (e.status() == 401 || e.status() == 403) {
                    System.out.println("the server " + target + " no longer knows this agent (" + e.getMessage() + "): register again");
                    return AgentState.Setup.INSTALLED.exitCode();
                }
                System.out.println("registered with " + target + " but the server could not be asked: " + e.getMessage());
                return 3;
            }
        }
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"dcmon-agent " + (v != null ? v : "development build")};
        }
    }
}
