package io.dcmon.core.port;

import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesData;

import java.util.List;

/** Persistence of samples. Implementations are thread-safe. */
public interface SampleStore {

    /**
     * Stores samples of one client. Idempotent: a sample whose series and timestamp are already stored
     * is not stored again (the first value wins), so an agent may safely replay a batch.
     * Returns when the samples are durable.
     *
     * @return how many of the samples were new
     */
    int append(long clientId, List<Sample> samples);

    /** The series matching the query with their points in the time range, ascending by time. */
    List<SeriesData> query(SampleQuery query);
}
