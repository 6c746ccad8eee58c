package io.dcmon.packaging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds "a newer release" of a jar for upgrade tests: the same classes, different bytes, still a runnable jar. */
final class Jars {

    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final int EOCD_SIZE = 22;

    private Jars() {
    }

    /**
     * Copies {@code jar} to {@code out} with a zip archive comment added. The comment lives in the
     * end-of-central-directory record, so every entry and offset stays valid: the copy runs exactly
     * like the original yet hashes differently, without re-compressing a 30 MB jar.
     */
    static Path newerCopy(Path jar, Path out) throws IOException {
        byte[] bytes = Files.readAllBytes(jar);
        ByteBuffer eocd = ByteBuffer.wrap(bytes, bytes.length - EOCD_SIZE, EOCD_SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        if (eocd.getInt(0) != END_OF_CENTRAL_DIRECTORY || eocd.getShort(20) != 0) {
            throw new IllegalStateException(jar + " does not end with a comment-free end-of-central-directory record");
        }
        byte[] comment = "dcmon upgrade test: a newer build".getBytes(StandardCharsets.US_ASCII);
        eocd.putShort(20, (short) comment.length);
        Files.createDirectories(out.getParent());
        Files.write(out, bytes);
        Files.write(out, comment, java.nio.file.StandardOpenOption.APPEND);
        return out;
    }
}
