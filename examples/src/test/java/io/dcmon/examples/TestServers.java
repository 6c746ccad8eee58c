package io.dcmon.examples;

import io.dcmon.core.service.ClientAuthenticator;
import io.dcmon.core.service.IngestService;
import io.dcmon.core.service.QueryService;
import io.dcmon.core.service.RegistrationService;
import io.dcmon.storage.SqliteStorage;
import io.dcmon.transport.auth.CaffeineNonceGuard;
import io.dcmon.transport.server.DcmonServices;

import java.time.Clock;

/** The server's wiring as the launcher does it, for tests that start servers in-process. */
final class TestServers {

    private TestServers() {
    }

    /** Core services over one SQLite store, with revocation and commands, in test mode. */
    static DcmonServices services(SqliteStorage storage, String adminToken, Clock clock) {
        return new DcmonServices(new ClientAuthenticator(adminToken, storage),
                new RegistrationService(storage, new CaffeineNonceGuard(), clock),
                new IngestService(storage, storage, clock), new QueryService(storage, storage), clock, true)
                .withClients(storage).withCommands(storage.commands());
    }
}
