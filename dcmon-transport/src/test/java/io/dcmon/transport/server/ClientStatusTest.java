package io.dcmon.transport.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ClientStatusTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    @Test
    void onlineWithinThreeIntervalsSoOneLostPushDoesNotFlap() {
        assertThat(ClientStatus.of(NOW.minusSeconds(5), NOW, INTERVAL)).isEqualTo(ClientStatus.ONLINE);
        assertThat(ClientStatus.of(NOW.minusSeconds(90), NOW, INTERVAL)).isEqualTo(ClientStatus.ONLINE);
        assertThat(ClientStatus.of(NOW.minusSeconds(91), NOW, INTERVAL)).isEqualTo(ClientStatus.STALE);
    }

    @Test
    void staleUpToTenMinutesOrTenIntervalsThenOffline() {
        assertThat(ClientStatus.of(NOW.minusSeconds(600), NOW, INTERVAL)).isEqualTo(ClientStatus.STALE);
        assertThat(ClientStatus.of(NOW.minusSeconds(601), NOW, INTERVAL)).isEqualTo(ClientStatus.OFFLINE);
        Duration slow = Duration.ofMinutes(5);
        assertThat(ClientStatus.of(NOW.minus(Duration.ofMinutes(45)), NOW, slow)).isEqualTo(ClientStatus.STALE);
        assertThat(ClientStatus.of(NOW.minus(Duration.ofMinutes(51)), NOW, slow)).isEqualTo(ClientStatus.OFFLINE);
    }

    @Test
    void aClientThatNeverPushedIsOffline() {
        assertThat(ClientStatus.of(null, NOW, INTERVAL)).isEqualTo(ClientStatus.OFFLINE);
        assertThat(ClientStatus.OFFLINE.wire()).isEqualTo("offline");
    }
}
