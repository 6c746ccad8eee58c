package io.dcmon.simulator;

import io.dcmon.core.service.Keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One RSA key pair per simulated agent (the server identifies an agent by its key). A 2048-bit key takes tens of
 * milliseconds to generate, so keys can be kept in a cache file (PKCS#8 PEM blocks, throwaway test keys only)
 * and reused by later runs.
 */
final class KeyPool {

    private static final String END = "-----END PRIVATE KEY-----";

    private KeyPool() {
    }

    /**
     * {@code n} distinct key pairs: the first ones from {@code cache} when given, the rest generated on all cores
     * (and appended to the cache).
     */
    static List<KeyPair> get(int n, Path cache) throws IOException, InterruptedException {
        List<KeyPair> keys = new ArrayList<>(n);
        if (cache != null && Files.exists(cache)) {
            String text = Files.readString(cache, StandardCharsets.US_ASCII);
            int from = 0;
            while (keys.size() < n) {
                int end = text.indexOf(END, from);
                if (end < 0) {
                    break;
                }
                try {
                    keys.add(Keys.parsePrivatePem(text.substring(from, end + END.length())));
                } catch (IllegalArgumentException e) {
                    throw new IOException("key cache " + cache + " holds a block that is not an RSA private key ("
                            + e.getMessage() + "); delete the file to start a fresh cache", e);
                }
                from = end + END.length();
            }
        }
        int missing = n - keys.size();
        if (missing <= 0) {
            return keys;
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<KeyPair>> made = new ArrayList<>(missing);
            for (int i = 0; i < missing; i++) {
                made.add(pool.submit(Keys::generateRsa));
            }
            StringBuilder pem = new StringBuilder();
            for (Future<KeyPair> f : made) {
                KeyPair k = f.get();
                keys.add(k);
                pem.append(Keys.toPem(k.getPrivate()));
                if (pem.charAt(pem.length() - 1) != '\n') {
                    pem.append('\n');
                }
            }
            if (cache != null) {
                if (cache.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(cache.toAbsolutePath().getParent());
                }
                Files.writeString(cache, pem, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            return keys;
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not generate an RSA key: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
