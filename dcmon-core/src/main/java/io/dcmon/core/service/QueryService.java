package io.dcmon.core.service;

import io.dcmon.core.model.Client;
import io.dcmon.core.model.SeriesData;
import io.dcmon.core.port.ClientStore;
import io.dcmon.core.port.SampleQuery;
import io.dcmon.core.port.SampleStore;

import java.util.List;
import java.util.Objects;

/** Read side for the admin API: clients and sample ranges. */
public final class QueryService {

    private final ClientStore clients;
    private final SampleStore samples;

    public QueryService(ClientStore clients, SampleStore samples) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.samples = Objects.requireNonNull(samples, "samples");
    }

    /** All registered clients. */
    public List<Client> clients() {
        return clients.list();
    }

    /** Samples matching the query. */
    public List<SeriesData> samples(SampleQuery query) {
        if (query.clientId().isPresent() && clients.find(query.clientId().getAsLong()).isEmpty()) {
            throw new RejectedException(RejectedException.Reason.NOT_FOUND,
                    "client " + query.clientId().getAsLong() + " is not registered");
        }
        return samples.query(query);
    }
}
