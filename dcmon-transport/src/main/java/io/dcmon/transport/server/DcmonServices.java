package io.dcmon.transport.server;

import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.CommandStore;
import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationService;

import java.time.Clock;
import java.util.Objects;

/**
 * Everything the HTTP API needs from the rest of the server: the core services (already wired to storage), the
 * stores the command and revocation routes use, the clock and the options. A host application builds one and
 * hands it to {@link DcmonHandler#create} or {@link DcmonServer#create}.
 *
 * <pre>{@code
 * DcmonServices services = new DcmonServices(auth, registration, ingest, query, clock, devMode)
 *         .withClients(storage).withCommands(storage.commands()).withOptions(ApiOptions.defaults());
 * }</pre>
 *
 * @param auth         resolves bearer tokens (admin and client)
 * @param registration registers agents
 * @param ingest       stores sample batches
 * @param query        reads clients and samples
 * @param clock        time source for status, expiry and throttling decisions
 * @param devMode      development/test mode: serves the API description at {@code GET /api/docs}; never on in production
 * @param clients      for revocation ({@code DELETE /api/clients/{id}}); null answers that route with 503
 * @param commands     for the command routes; null answers them with 503
 * @param options      tunables
 * @param prometheus   scrape route and remote-write hook; null means {@link PrometheusHooks#none()}
 */
public record DcmonServices(ClientAuthenticator auth, RegistrationService registration, IngestService ingest,
                            QueryService query, Clock clock, boolean devMode,
                            ClientStore clients, CommandStore commands, ApiOptions options,
                            PrometheusHooks prometheus) {
    public DcmonServices {
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(clock, "clock");
        options = options == null ? ApiOptions.defaults() : options;
        prometheus = prometheus == null ? PrometheusHooks.none() : prometheus;
    }

    /** Services without the Prometheus hooks (the form before they existed). */
    public DcmonServices(ClientAuthenticator auth, RegistrationService registration, IngestService ingest,
                         QueryService query, Clock clock, boolean devMode,
                         ClientStore clients, CommandStore commands, ApiOptions options) {
        this(auth, registration, ingest, query, clock, devMode, clients, commands, options, null);
    }

    /** Services without revocation or commands (those routes answer 503) and with default options. */
    public DcmonServices(ClientAuthenticator auth, RegistrationService registration, IngestService ingest,
                         QueryService query, Clock clock, boolean devMode) {
        this(auth, registration, ingest, query, clock, devMode, null, null, ApiOptions.defaults(), null);
    }

    /** A copy using {@code clients} for revocation. */
    public DcmonServices withClients(ClientStore clients) {
        return new DcmonServices(auth, registration, ingest, query, clock, devMode, clients, commands, options, prometheus);
    }

    /** A copy using {@code commands} for the command routes. */
    public DcmonServices withCommands(CommandStore commands) {
        return new DcmonServices(auth, registration, ingest, query, clock, devMode, clients, commands, options, prometheus);
    }

    /** A copy with the Prometheus scrape route and remote-write hook. */
    public DcmonServices withPrometheus(PrometheusHooks prometheus) {
        return new DcmonServices(auth, registration, ingest, query, clock, devMode, clients, commands, options, prometheus);
    }

    /** A copy with other options. */
    public DcmonServices withOptions(ApiOptions options) {
        return new DcmonServices(auth, registration, ingest, query, clock, devMode, clients, commands, options, prometheus);
    }
}
