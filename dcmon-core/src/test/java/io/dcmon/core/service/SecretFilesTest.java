package io.dcmon.core.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;

class SecretFilesTest {

    @TempDir
    Path tmp;

    @Test
    void tokenIsCreatedOnceWithMode600InADirectoryWithMode700() throws Exception {
        Path file = tmp.resolve("auth").resolve("admin_token");
        SecretFiles.Created first = SecretFiles.readOrCreateToken(file);
        SecretFiles.Created second = SecretFiles.readOrCreateToken(file);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.value()).isEqualTo(first.value());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void writeReplacesContentAtomicallyAndLeavesNoTempFile() throws Exception {
        Path file = tmp.resolve("client_token");
        SecretFiles.write(file, "one");
        SecretFiles.write(file, "two");
        assertThat(SecretFiles.read(file)).contains("two");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("client_token");
        }
    }

    @Test
    void privateKeyPemRoundTripsToTheSameKeyPair() {
        KeyPair kp = Keys.generateRsa();
        KeyPair back = Keys.parsePrivatePem(Keys.toPem(kp.getPrivate()));
        assertThat(back.getPrivate()).isEqualTo(kp.getPrivate());
        assertThat(back.getPublic()).isEqualTo(kp.getPublic());
    }
}
