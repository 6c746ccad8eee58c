package io.dcmon.examples;

import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationService;
import io.dcmon.core.service.SecretFiles;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.auth.CaffeineNonceGuard;
import io.dcmon.transport.server.DcmonHandler;
import io.dcmon.transport.server.DcmonServices;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A "host" Jetty 12.1 application with a route of its own ({@code /hello/}) that mounts the whole dcmon API beside
 * it under {@code /dcmon}. Run it with {@code java ... io.dcmon.examples.EmbedInJetty [DATA_DIR]}; the admin token is
 * written to {@code DATA_DIR/admin_token}.
 */
public final class EmbedInJetty implements AutoCloseable {

    private final Server server;
    private final SqliteStorage storage;

    private EmbedInJetty(Server server, SqliteStorage storage) {
        this.server = server;
        this.storage = storage;
    }

    /** Builds and starts the host app on 127.0.0.1:{@code port} (0 = any free port). */
    public static EmbedInJetty start(Path dataDir, int port) throws Exception {
        // the host app as it was before dcmon: a server with its own context
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ContextHandler hello = new ContextHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
                response.write(true, ByteBuffer.wrap("hello from the host app\n".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        }, "/hello");
        ContextHandlerCollection contexts = new ContextHandlerCollection(hello);

        // dcmon: storage, services, and the API as one handler under /dcmon
        SqliteStorage storage = SqliteStorage.open(dataDir.resolve("dcmon.db"));
        String adminToken = SecretFiles.readOrCreateToken(dataDir.resolve("admin_token")).value();
        Clock clock = Clock.systemUTC();
        DcmonServices services = new DcmonServices(new ClientAuthenticator(adminToken, storage),
                new RegistrationService(storage, new CaffeineNonceGuard(), clock),
                new IngestService(storage, storage, clock), new QueryService(storage, storage), clock, false);
        contexts.addHandler(DcmonHandler.create("/dcmon", services));

        server.setHandler(contexts);
        server.start();
        return new EmbedInJetty(server, storage);
    }

    /** The port the host app listens on. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        storage.close();
    }

    /** Runs until Ctrl-C. */
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "dcmon-embed-data");
        try (EmbedInJetty app = start(data, 8090)) {
            System.out.println("host app: http://127.0.0.1:" + app.port() + "/hello/  dcmon: http://127.0.0.1:" + app.port()
                    + "/dcmon/api/clients (admin token in " + data.resolve("admin_token") + ")");
            app.server.join();
        }
    }
}
