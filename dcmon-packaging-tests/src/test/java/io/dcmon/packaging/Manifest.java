package io.dcmon.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A tree as data: relative path to "d MODE", "f MODE SHA-256" or "l TARGET", sorted by path. */
final class Manifest {

    private Manifest() {
    }

    static SortedMap<String, String> of(Path root) throws IOException {
        SortedMap<String, String> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(p -> !p.equals(root)).forEach(p -> m.put(root.relativize(p).toString(), describe(p)));
        }
        return m;
    }

    /** The octal mode of a path, e.g. "600". */
    static String mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        int bits = 0;
        for (PosixFilePermission perm : perms) {
            bits |= 1 << (8 - perm.ordinal());
        }
        return Integer.toOctalString(bits);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Path p) {
        try {
            if (Files.isSymbolicLink(p)) {
                return "l " + Files.readSymbolicLink(p);
            }
            if (Files.isDirectory(p)) {
                return "d " + mode(p);
            }
            return "f " + mode(p) + " " + sha256(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
