package io.dcmon.transport.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaffeineNonceGuardTest {

    @Test
    void aNonceIsAcceptedOnceWithinTheWindow() {
        CaffeineNonceGuard g = new CaffeineNonceGuard();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(g.firstUse("nonce-aaaaaaaaaaaaaaaa", t)).isTrue();
        assertThat(g.firstUse("nonce-aaaaaaaaaaaaaaaa", t.plusSeconds(1))).isFalse();
        assertThat(g.firstUse("nonce-aaaaaaaaaaaaaaaa", t.plus(g.window()).minusSeconds(1))).isFalse();
        assertThat(g.firstUse("nonce-bbbbbbbbbbbbbbbb", t)).isTrue();
    }

    @Test
    void aNonceIsForgottenAfterTheWindow() {
        CaffeineNonceGuard g = new CaffeineNonceGuard(Duration.ofMinutes(11), 10);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(g.firstUse("n", t)).isTrue();
        assertThat(g.firstUse("n", t.plus(Duration.ofMinutes(11)))).isTrue();
    }

    @Test
    void theDefaultWindowCoversTheAcceptedClockSkewBothWays() {
        assertThat(CaffeineNonceGuard.DEFAULT_WINDOW).isGreaterThan(Duration.ofSeconds(600));
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThatThrownBy(() -> new CaffeineNonceGuard(Duration.ZERO, 1)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new CaffeineNonceGuard(Duration.ofSeconds(1), 0)).hasMessageContaining("at least 1");
    }
}
