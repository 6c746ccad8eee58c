package io.dcmon.storage;

import io.dcmon.core.service.OverloadedException;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * The single write path. Every write is a {@link Work} queued here; one thread takes whatever is queued
 * (up to {@code maxGroup} requests), runs it in ONE immediate transaction on its own connection and
 * completes the callers' futures only after the commit. Many concurrent appends therefore become few
 * transactions (group commit), and SQLite never sees two writers, so there is no SQLITE_BUSY between us.
 * When a group fails, each request of it is retried alone, so one bad request fails only its caller.
 */
final class WriteQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WriteQueue.class);
    /** What an overloaded caller is told to wait: a group commit takes milliseconds, a second drains a full queue. */
    static final java.time.Duration RETRY_AFTER = java.time.Duration.ofSeconds(1);

    /** One unit of work inside the writer's transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** What a {@link Work} sees: the writer connection and a place for after-commit actions. */
    interface Tx {
        DSLContext dsl();

        Connection connection();

        /** Runs {@code action} on the writer thread once the transaction committed; dropped on rollback. */
        void afterCommit(Runnable action);

        /**
         * The number of the transaction running now, different for every transaction (a group retried alone after a
         * failure gets new numbers). State a {@link Work} keeps for "this transaction only" is stale once the number
         * changed: by then it was either committed (and its {@link #afterCommit} actions ran) or rolled back.
         */
        long sequence();
    }

    private static final class Task<T> {
        final Work<T> work;
        final boolean autoCommit;
        final CompletableFuture<T> future = new CompletableFuture<>();
        T result;

        Task(Work<T> work, boolean autoCommit) {
            this.work = work;
            this.autoCommit = autoCommit;
        }
    }

    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Connection connection;
    private final DSLContext dsl;
    private final int maxGroup;
    private final int capacity;
    private final java.util.concurrent.atomic.AtomicInteger bounded = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread thread;
    private final String name;
    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    private final Task<Void> poison = new Task<>(tx -> null, false);
    private final List<Runnable> hooks = new ArrayList<>();
    private long sequence;   // writer thread only: the transaction (or auto-commit task) running now
    private final Tx tx = new Tx() {
        @Override
        public DSLContext dsl() {
            return dsl;
        }

        @Override
        public Connection connection() {
            return connection;
        }

        @Override
        public void afterCommit(Runnable action) {
            hooks.add(action);
        }

        @Override
        public long sequence() {
            return sequence;
        }
    };

    WriteQueue(String name, Connection connection, DSLContext dsl, int maxGroup, int capacity) {
        this.name = name;
        this.capacity = capacity;
        this.connection = connection;
        this.dsl = dsl;
        this.maxGroup = maxGroup;
        this.thread = new Thread(this::loop, name + "-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code work} in a write transaction and returns its result once committed. */
    <T> T submit(Work<T> work) {
        return enqueue(work, false);
    }

    /**
     * Like {@link #submit} for the work that floods the writer under load (sample appends): at most
     * {@code capacity} of them wait or run at a time, and one more is refused at once instead of queueing.
     *
     * @throws OverloadedException when {@code capacity} bounded writes are already waiting
     */
    <T> T submitBounded(Work<T> work) {
        if (bounded.incrementAndGet() > capacity) {
            bounded.decrementAndGet();
            throw new OverloadedException(name + ": the write queue is full (" + capacity
                    + " writes waiting); retry shortly, or raise storage write_queue_capacity if the disk keeps up",
                    RETRY_AFTER);
        }
        try {
            return enqueue(work, false);
        } finally {
            bounded.decrementAndGet();
        }
    }

    /** Writes queued and not yet taken by the writer thread (all kinds). */
    int depth() {
        return queue.size();
    }

    /** The most bounded writes (appends) that may wait at once. */
    int capacity() {
        return capacity;
    }

    /** Runs {@code work} alone on the writer connection outside any transaction (VACUUM, checkpoints). */
    <T> T submitAutoCommit(Work<T> work) {
        return enqueue(work, true);
    }

    private <T> T enqueue(Work<T> work, boolean autoCommit) {
        if (closing) {
            throw new StorageException(name + " is closed; open the storage again to write");
        }
        if (Thread.currentThread() == thread) {
            // nested submit from inside a Work would wait for itself forever
            throw new IllegalStateException("submit called from the writer thread");
        }
        Task<T> task = new Task<>(work, autoCommit);
        queue.add(task);
        return await(task.future, () -> name + " write");
    }

    static <T> T await(CompletableFuture<T> future, Supplier<String> what) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    // the write is already queued and will commit; waiting it out keeps "returns after commit" true
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new StorageException(what.get() + " failed: " + c.getMessage(), c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        List<Task<?>> group = new ArrayList<>(maxGroup);
        boolean stop = false;
        while (!stop) {
            group.clear();
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                // only close() interrupts us, and it queues the poison pill first; keep draining
                continue;
            }
            queue.drainTo(group, maxGroup - 1);
            if (group.remove(poison)) {
                stop = true;
                queue.drainTo(group); // whatever raced in before close() still gets written
            }
            runSplit(group);
        }
        poison.future.complete(null);
    }

    /** Runs transactional tasks in groups, in queue order, and each auto-commit task alone between them. */
    private void runSplit(List<Task<?>> all) {
        List<Task<?>> pending = new ArrayList<>(all.size());
        for (Task<?> t : all) {
            if (!t.autoCommit) {
                pending.add(t);
                continue;
            }
            if (!pending.isEmpty()) {
                runGroup(pending);
                pending = new ArrayList<>();
            }
            try {
                hooks.clear();
                sequence++;
                run(t);
                for (Runnable r : hooks) {
                    r.run();
                }
                hooks.clear();
                complete(t);
            } catch (Exception | AssertionError e) {
                t.future.completeExceptionally(e);
            }
        }
        if (!pending.isEmpty()) {
            runGroup(pending);
        }
    }

    private void runGroup(List<Task<?>> group) {
        try {
            runInTransaction(group);
            for (Task<?> t : group) {
                complete(t);
            }
        } catch (Exception | AssertionError e) {
            if (group.size() == 1) {
                group.get(0).future.completeExceptionally(e);
                return;
            }
            LOG.debug("{}: a group of {} writes failed ({}); retrying each alone", name, group.size(), e.toString());
            for (Task<?> t : group) {
                try {
                    runInTransaction(List.of(t));
                    complete(t);
                } catch (Exception | AssertionError single) {
                    t.future.completeExceptionally(single);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> t) {
        t.future.complete(t.result);
    }

    private void runInTransaction(List<Task<?>> group) throws SQLException {
        hooks.clear();
        sequence++;
        connection.setAutoCommit(false);
        boolean committed = false;
        try {
            for (Task<?> t : group) {
                run(t);
            }
            connection.commit();
            committed = true;
            commits.incrementAndGet();
        } finally {
            if (!committed) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailed) {
                    LOG.warn("{}: rollback failed: {}", name, rollbackFailed.toString());
                }
                hooks.clear();
            }
            connection.setAutoCommit(true);
        }
        for (Runnable r : hooks) {
            r.run();
        }
        hooks.clear();
    }

    private <T> void run(Task<T> t) throws SQLException {
        t.result = t.work.run(tx);
    }

    /** Transactions committed so far (group commit makes this smaller than the number of writes). */
    long commits() {
        return commits.get();
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        queue.add(poison);
        await(poison.future, () -> name + " close");
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("{}: closing the writer connection failed: {}", name, e.toString());
        }
    }
}
