package io.dcmon.core.service;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TokensTest {

    @Test
    void generatedTokensAreLongUrlSafeAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = Tokens.generate();
            assertThat(t).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(seen.add(t)).isTrue();
        }
    }

    @Test
    void hashIsSha256Hex() {
        assertThat(Tokens.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void constantTimeEqualsComparesContent() {
        assertThat(Tokens.constantTimeEquals("secret-token", "secret-token")).isTrue();
        assertThat(Tokens.constantTimeEquals("secret-token", "secret-tokem")).isFalse();
        assertThat(Tokens.constantTimeEquals(null, "x")).isFalse();
    }
}
