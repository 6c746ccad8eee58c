package io.dcmon.transport.server;

import com.github.benmanes.caffeine.cache.Ticker;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.glassfish.jersey.inject.hk2.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.server.spi.Container;
import org.glassfish.jersey.server.spi.ContainerLifecycleListener;
import org.glassfish.jersey.servlet.ServletContainer;

import java.util.Objects;
import java.util.Set;

/**
 * The whole dcmon HTTP API and its web dashboard (under {@code ui/}) as one Jetty handler: a {@link ServletContextHandler} hosting Jersey's
 * {@link ServletContainer}. Mount it into any Jetty 12.1 server under a context path; dcmon's own launcher
 * ({@link DcmonServer}) mounts it exactly this way.
 *
 * <pre>{@code
 * ServletContextHandler api = DcmonHandler.create("/dcmon", services);
 * hostContexts.addHandler(api);
 * api.start();   // only when the host server is already running
 * }</pre>
 */
public final class DcmonHandler {

    private DcmonHandler() {
    }

    /**
     * Creates the API context (not started).
     *
     * @param contextPath where to mount it, e.g. {@code "/"} or {@code "/dcmon"}
     * @param services    the wired core services
     */
    public static ServletContextHandler create(String contextPath, DcmonServices services) {
        Objects.requireNonNull(contextPath, "contextPath");
        Objects.requireNonNull(services, "services");
        ServletContextHandler context = new ServletContextHandler(contextPath);
        context.setAllowNullPathInContext(true);
        context.setErrorHandler(JsonErrorHandlers.servlet());
        ResourceConfig rc = resourceConfig(services);
        ServletHolder holder = new ServletHolder("dcmon-api", new ServletContainer(rc));
        // long-polls suspend the request (AsyncResponse) instead of holding a thread
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        ApiContext api = (ApiContext) rc.getProperty(API_PROPERTY);
        if (api.commands() != null) {
            // Jetty's graceful stop waits for open requests: the hub (a Graceful bean) answers waiting long-polls
            // at its start instead
            context.addBean(api.commands(), false);
        }
        return context;
    }

    /** The resource classes of the API; every method in them carries an {@link Access} rule. */
    static Set<Class<?>> resourceClasses() {
        return Set.of(RegisterResource.class, MetricsResource.class, ClientsResource.class, HealthResource.class,
                CommandsResource.class, StatsResource.class, DocsResource.class, FleetResource.class,
                DashboardResource.class, SeriesResource.class, RootResource.class, PrometheusResource.class);
    }

    /** Threads for parallel store reads (the fleet view); as many as a default store pool has readers. */
    static java.util.concurrent.ExecutorService readPool() {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "dcmon-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The ResourceConfig property holding the {@link ApiContext}, for {@link #create} to reach the command hub. */
    private static final String API_PROPERTY = "io.dcmon.transport.api";

    static ResourceConfig resourceConfig(DcmonServices services) {
        ApiOptions o = services.options();
        TokenCache tokens = new TokenCache(services.auth(), o.tokenCacheTtl(), Ticker.systemTicker());
        AuditLog audit = AuditLog.create(services.clock(), o.auditFile());
        CommandHub commands = services.commands() == null ? null
                : new CommandHub(services.commands(), services.query(), services.clock(), o, audit);
        AuthThrottle throttle = new AuthThrottle(o.authFailureLimit(), o.authFailureWindow(), Ticker.systemTicker());
        DashboardSessions sessions = new DashboardSessions(o.sessionTtl(), Ticker.systemTicker());
        ApiContext api = new ApiContext(services, tokens, services.clock().instant(), audit, commands, throttle,
                new ApiContext.IngestTotals(), sessions, readPool());
        ResourceConfig rc = new ResourceConfig()
                .register(JacksonFeature.withoutExceptionMappers())
                .register(new ObjectMapperResolver())
                .register(new AuthenticationFilter(services.auth(), tokens, throttle, audit, sessions, services.prometheus()))
                .register(new SecurityHeadersFilter())
                .register(new GzipResponses())
                .register(new AuthorizationFilter())
                .register(new BodyLimitFilter(o.maxBodyBytes(), o.maxInflatedBytes()))
                .register(new ContainerLifecycleListener() {
                    @Override
                    public void onStartup(Container container) {
                        // the audit file opens on first use; the command expiry sweep starts now
                        if (commands != null) {
                            commands.start();
                        }
                    }

                    @Override
                    public void onReload(Container container) {
                        // a reload keeps the same audit log
                    }

                    @Override
                    public void onShutdown(Container container) {
                        if (commands != null) {
                            commands.stop();
                        }
                        audit.close();
                        api.reads().shutdownNow();
                    }
                })
                .register(new ErrorMapper())
                .register(new AbstractBinder() {
                    @Override
                    protected void configure() {
                        bind(api).to(ApiContext.class);
                    }
                })
                .property(API_PROPERTY, api)
                .property(ServerProperties.WADL_FEATURE_DISABLE, true)
                // errors keep their JSON body instead of becoming the container's HTML error page
                .property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true)
                // only what is registered here: no Jackson feature with echoing exception mappers sneaking in
                .property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        for (Class<?> c : resourceClasses()) {
            rc.register(c);
        }
        return rc;
    }
}
