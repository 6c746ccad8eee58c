package io.dcmon.transport.server;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import io.dcmon.core.service.Tokens;
import io.dcmon.transport.tls.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A standalone Jetty server with the dcmon API mounted at {@code /} through {@link DcmonHandler}, exactly as a
 * host application would mount it. {@link #create} returns it unstarted; tests use port 0 and {@link #uri()}.
 *
 * <pre>{@code
 * try (DcmonServer server = DcmonServer.create("127.0.0.1", 0, services)) {
 *     server.start();
 *     System.out.println(server.uri());
 *     server.join();
 * }
 * }</pre>
 */
public final class DcmonServer implements AutoCloseable {

    /** Upper bound on request threads: long-polls are asynchronous, so a small pool serves many agents. */
    public static final int MAX_THREADS = 64;

    /**
     * How long a connection may sit idle before the server closes it. Jetty's default is 30 s, an agent's push
     * interval, so an idle connection never lived to the next push and an agent on TLS made a full handshake every
     * cycle. 150 s is longer than the longest push interval we expect (120 s) plus margin, so the agent's own
     * keep-alive (125 s) always ends first and it never sends on a connection the server is closing; it is also longer
     * than the 60 s command long-poll. The cost: an idle or stalled connection holds a socket (no thread) for 150 s.
     */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(150);

    /** How long a stop waits for requests in flight (waiting long-polls are answered at once, not waited for). */
    static final long STOP_TIMEOUT_MS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(DcmonServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final String scheme;

    private final String fingerprint;

    private DcmonServer(Server server, ServerConnector connector, String scheme, String fingerprint) {
        this.server = server;
        this.connector = connector;
        this.scheme = scheme;
        this.fingerprint = fingerprint;
    }

    /**
     * Creates an unstarted server listening on {@code host:port}.
     *
     * @param host     address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port     TCP port; 0 picks a free one (see {@link #uri()} after {@link #start()})
     * @param services the wired core services
     */
    public static DcmonServer create(String host, int port, DcmonServices services) {
        return create(host, port, services, null);
    }

    /**
     * Creates an unstarted server listening on {@code host:port}, with HTTPS when {@code tls} is given.
     * There is no plain-HTTP fallback: with TLS material the only connector is TLS.
     *
     * @param tls certificate and key, or null for plain HTTP (development only)
     */
    public static DcmonServer create(String host, int port, DcmonServices services, TlsMaterial tls) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(services, "services");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port was " + port + " but it must be 0 (any free port) to 65535");
        }
        Server server = newServer();
        HttpConfiguration http = httpConfiguration();
        ServerConnector connector;
        if (tls == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // agents connect by IP address too; the pinned certificate, not SNI, identifies the server
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(sslContextFactory(tls), "http/1.1"),
                    new HttpConnectionFactory(http));
        }
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        server.setHandler(DcmonHandler.create("/", services));
        return new DcmonServer(server, connector, tls == null ? "http" : "https", tls == null ? null : tls.fingerprint());
    }

    static Server newServer() {
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 4);
        pool.setName("dcmon-http");
        Server server = new Server(pool);
        server.setErrorHandler(JsonErrorHandlers.server());
        server.setStopTimeout(STOP_TIMEOUT_MS);
        return server;
    }

    /** A Jetty server-side TLS factory holding {@code tls} in an in-memory key store. */
    public static SslContextFactory.Server sslContextFactory(TlsMaterial tls) {
        char[] password = Tokens.generate().toCharArray();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore(password));
        ssl.setKeyStorePassword(new String(password));
        ssl.setSniRequired(false);
        return ssl;
    }

    static HttpConfiguration httpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        return http;
    }

    /** Starts listening. */
    public void start() throws Exception {
        server.start();
        if (fingerprint == null) {
            log.info("dcmon-api: listening on {} (plain HTTP)", uri());
        } else {
            log.info("dcmon-api: listening on {}; certificate SHA-256 fingerprint {}", uri(), fingerprint);
        }
    }

    /** The base URI, e.g. {@code http://127.0.0.1:43121/}; the bound port once started. */
    public URI uri() {
        String host = connector.getHost();
        if (host == null || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "localhost";
        } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = connector.getLocalPort() > 0 ? connector.getLocalPort() : connector.getPort();
        return URI.create(scheme + "://" + host + ":" + port + "/");
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** The underlying Jetty server, for hosts that add handlers or inspect threads. */
    public Server jetty() {
        return server;
    }

    /** Stops the server; waits up to 5 s for requests in flight. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("dcmon-api: stopping the server failed: {}", e.toString());
        }
    }
}
