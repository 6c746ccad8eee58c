package io.dcmon.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ids of commands this agent has started, kept on disk so a restart never runs a command twice. An id is
 * written (and fsync'd) before the command runs: a crash in the middle means the command is not repeated.
 * Only the newest {@link #KEEP} ids are kept; ids only grow, so older ones cannot come back.
 */
public final class ExecutedCommands {

    /** How many ids are remembered. */
    public static final int KEEP = 1000;

    private final Path file;
    private final Deque<Long> order = new ArrayDeque<>();
    private final Set<Long> ids = new HashSet<>();
    private long highest;

    public ExecutedCommands(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            for (String line : lines.subList(Math.max(0, lines.size() - KEEP), lines.size())) {
                try {
                    remember(Long.parseLong(line.trim()));
                } catch (NumberFormatException e) {
                    // a torn last line from a crash: that command never started
                }
            }
            if (lines.size() > 2 * KEEP) {
                rewrite();
            }
        }
    }

    /**
     * Records that command {@code id} is about to run.
     *
     * @return false when it already ran (or is older than everything remembered): do not run it again
     */
    public synchronized boolean claim(long id) throws IOException {
        if (ids.contains(id) || (order.size() >= KEEP && id < order.peekFirst())) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        remember(id);
        return true;
    }

    /** The highest id claimed so far, 0 when none. */
    public synchronized long highest() {
        return highest;
    }

    private void remember(long id) {
        if (ids.add(id)) {
            order.addLast(id);
            highest = Math.max(highest, id);
            while (order.size() > KEEP) {
                ids.remove(order.removeFirst());
            }
        }
    }

    private void rewrite() throws IOException {
        StringBuilder sb = new StringBuilder();
        order.forEach(id -> sb.append(id).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
