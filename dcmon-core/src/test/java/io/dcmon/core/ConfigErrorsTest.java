package io.dcmon.core;

import io.dcmon.core.config.ConfigErrors;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigErrorsTest {

    static final Set<String> KEYS = Set.of("server_url", "interval", "auth_dir");

    @Test
    void suggestsTheClosestKeyForCamelCaseAndTypos() {
        assertThat(ConfigErrors.didYouMean("serverUrl", KEYS)).isEqualTo(" Did you mean 'server_url'?");
        assertThat(ConfigErrors.didYouMean("intervall", KEYS)).isEqualTo(" Did you mean 'interval'?");
        assertThat(ConfigErrors.didYouMean("auth-dir", KEYS)).isEqualTo(" Did you mean 'auth_dir'?");
    }

    @Test
    void listsKnownKeysWhenNothingIsClose() {
        assertThat(ConfigErrors.didYouMean("colour", KEYS)).isEqualTo(" Known keys: auth_dir, interval, server_url");
    }

    @Test
    void reportsEveryProblemTogether() {
        ConfigErrors errors = new ConfigErrors("/etc/dcmon/agent.yaml");
        errors.add("interval was '0' but it must be at least 1");
        errors.unknownKey("", "serverUrl", KEYS);
        assertThatThrownBy(errors::throwIfAny).hasMessage("""
                /etc/dcmon/agent.yaml has the following errors:
                  * interval was '0' but it must be at least 1
                  * serverUrl: unknown property. Did you mean 'server_url'?""");
    }
}
