package io.dcmon.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's on-disk buffer for batches the server did not take. Each batch is one file, written to a temporary
 * name, fsync'd and renamed, so a crash or {@code kill -9} leaves either the whole batch or none of it. Files are
 * named by a sequence number, so replay is oldest first. The spool is bounded by total bytes and by age; when a
 * bound is hit the oldest batches are dropped first and counted, never the newest.
 *
 * <p>Not thread-safe: the agent's push loop is its only user.
 */
public final class Spool {

    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final String SUFFIX = ".batch";

    /**
     * Bounds of the spool.
     *
     * @param maxBytes total size of spooled batches
     * @param maxAge   batches older than this are dropped
     */
    public record Limits(long maxBytes, Duration maxAge) {
        public Limits {
            if (maxBytes < 1024) {
                throw new IllegalArgumentException("spool max bytes was " + maxBytes + " but it must be at least 1024");
            }
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("spool max age was " + maxAge + " but it must be positive");
            }
        }

        /** 256 MiB, 7 days: a week's outage of a typical agent fits. */
        public static Limits defaults() {
            return new Limits(256L * 1024 * 1024, Duration.ofDays(7));
        }
    }

    /**
     * A spooled batch.
     *
     * @param file      where it is
     * @param createdMs when it was spooled
     * @param data      the batch as it will be sent
     */
    public record Entry(Path file, long createdMs, byte[] data) {
    }

    private final Path dir;
    private final Limits limits;
    private final Clock clock;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private long nextSeq;

    public Spool(Path dir, Limits limits, Clock clock) throws IOException {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        Files.createDirectories(dir);
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "*.tmp")) {
            for (Path p : tmp) {
                Files.deleteIfExists(p); // a batch half-written when the agent died: never acknowledged, never complete
            }
        }
        nextSeq = files().stream().mapToLong(Spool::seq).max().orElse(0) + 1;
    }

    /** Adds a batch durably, then enforces the bounds (dropping the oldest first). */
    public void add(byte[] batch) throws IOException {
        long now = clock.millis();
        String name = String.format(java.util.Locale.ROOT, "%019d-%d%s", nextSeq++, now, SUFFIX);
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(batch);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        written.incrementAndGet();
        enforceLimits();
    }

    /** The oldest batch, if any (after dropping expired ones). */
    public Optional<Entry> oldest() throws IOException {
        enforceLimits();
        List<Path> files = files();
        if (files.isEmpty()) {
            return Optional.empty();
        }
        Path f = files.get(0);
        return Optional.of(new Entry(f, created(f), Files.readAllBytes(f)));
    }

    /** Removes a batch once the server has acknowledged it. */
    public void remove(Entry entry) throws IOException {
        Files.deleteIfExists(entry.file());
    }

    /** Number of spooled batches. */
    public int depth() throws IOException {
        return files().size();
    }

    /** Total bytes spooled. */
    public long bytes() throws IOException {
        long total = 0;
        for (Path f : files()) {
            total += Files.size(f);
        }
        return total;
    }

    /** Batches written by {@link #add} since this spool was opened. */
    public long written() {
        return written.get();
    }

    /** Batches dropped by the bounds since this spool was opened. */
    public long dropped() {
        return dropped.get();
    }

    private void enforceLimits() throws IOException {
        List<Path> files = files();
        long cutoff = clock.millis() - limits.maxAge().toMillis();
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        int i = 0;
        while (i < files.size() && (total > limits.maxBytes() || created(files.get(i)) < cutoff)) {
            Path f = files.get(i++);
            total -= Files.size(f);
            Files.deleteIfExists(f);
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 100 == 0) {
                log.warn("spool {}: dropped the oldest batch {} to stay within {} bytes / {} ({} dropped so far)",
                        dir, f.getFileName(), limits.maxBytes(), limits.maxAge(), n);
            }
        }
    }

    private List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            ds.forEach(out::add);
        }
        out.sort(Comparator.comparingLong(Spool::seq));
        return out;
    }

    private static long seq(Path f) {
        String n = f.getFileName().toString();
        return Long.parseLong(n.substring(0, n.indexOf('-')));
    }

    private static long created(Path f) {
        String n = f.getFileName().toString();
        return Long.parseLong(n.substring(n.indexOf('-') + 1, n.length() - SUFFIX.length()));
    }

    private void syncDirectory() {
        // makes the rename itself durable; not every file system lets a directory be opened, which is fine
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("spool {}: directory fsync not supported: {}", dir, e.toString());
        }
    }
}
