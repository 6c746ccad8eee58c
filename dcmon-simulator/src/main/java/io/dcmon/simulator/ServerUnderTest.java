package io.dcmon.simulator;

import java.net.URI;
import java.util.OptionalLong;

/**
 * The dcmon server the simulated fleet talks to: started in this JVM, started as a separate process from the
 * server jar, or an already running one given by URL. Measurements a kind cannot make are empty.
 */
public interface ServerUnderTest extends AutoCloseable {

    /** Base URI, e.g. {@code http://127.0.0.1:43121/}. */
    URI uri();

    /** The admin token (registers agents, queues commands). */
    String adminToken();

    /** Resident memory of the server process now, in bytes ({@code VmRSS}). */
    OptionalLong rssBytes();

    /**
     * Resident memory of the server process that is not a mapped file, in bytes ({@code RssAnon}): RSS also counts
     * pages of the database file SQLite maps, which the kernel can drop at any time.
     */
    OptionalLong rssAnonBytes();

    /** Peak resident memory of the server process so far, in bytes ({@code VmHWM}). */
    OptionalLong peakRssBytes();

    /** CPU time (user + system) the server process has used so far, in nanoseconds. */
    OptionalLong cpuNanos();

    /** Bytes of the database on disk now: the SQLite file plus its write-ahead log. */
    OptionalLong databaseBytes();

    /** What kind of server this is, for the report: {@code in-process}, {@code process} or {@code remote}. */
    String kind();

    /** True when the server shares this JVM, so its RSS and CPU include the simulator's own. */
    boolean sharesJvm();

    /** The PostgreSQL database the server stores into, or null when it uses SQLite (or is not known). */
    default PostgresTarget postgres() {
        return null;
    }

    /** The storage backend, for the report: {@code sqlite}, {@code postgres} or {@code unknown}. */
    default String storage() {
        return postgres() != null ? "postgres" : "sqlite";
    }

    /** Stops the server this object started; a remote server is left alone. */
    @Override
    void close();
}
