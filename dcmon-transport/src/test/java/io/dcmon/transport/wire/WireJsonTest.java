package io.dcmon.transport.wire;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.dcmon.core.model.Sample;
import io.dcmon.core.model.SeriesKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireJsonTest {

    @Test
    void samplesAreSnakeCaseWithIntegralValuesAsJsonIntegers() throws Exception {
        MetricsBatch b = new MetricsBatch(List.of(
                WireSample.from(Sample.of(SeriesKey.of("node_memory_total_bytes"), 1_700_000_000_000L, 42L)),
                WireSample.from(Sample.of(SeriesKey.of("node_load1", "cpu", "0"), 1_700_000_000_000L, 2.0))));
        String json = Json.mapper().writeValueAsString(b);
        assertThat(json).isEqualTo("{\"samples\":[{\"metric\":\"node_memory_total_bytes\",\"labels\":{},\"ts_ms\":1700000000000,\"value\":42},"
                + "{\"metric\":\"node_load1\",\"labels\":{\"cpu\":\"0\"},\"ts_ms\":1700000000000,\"value\":2.0}]}");
        MetricsBatch back = Json.mapper().readValue(json, MetricsBatch.class);
        assertThat(back.samples().get(0).value()).isEqualTo(42L);
        assertThat(back.samples().get(1).value()).isEqualTo(2.0);
        assertThat(back.samples().get(1).toCore().isIntegral()).isFalse();
    }

    @Test
    void nonFiniteValuesTravelAsStrings() throws Exception {
        for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            String json = Json.mapper().writeValueAsString(new PointView(1, d));
            assertThat(json).contains("\"value\":\"");
            assertThat(Json.mapper().readValue(json, PointView.class).value()).isEqualTo(d);
        }
        assertThat(Json.mapper().writeValueAsString(new PointView(1, Double.POSITIVE_INFINITY))).contains("\"+Inf\"");
    }

    @Test
    void integersBeyond64BitsAndOverflowingDoublesAreRefused() {
        assertThatThrownBy(() -> Json.mapper().readValue("{\"ts_ms\":1,\"value\":123456789012345678901234567890}", PointView.class))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("64-bit range");
        assertThatThrownBy(() -> Json.mapper().readValue("{\"ts_ms\":1,\"value\":1e999}", PointView.class))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("too large for a double");
        assertThatThrownBy(() -> Json.mapper().readValue("{\"ts_ms\":1,\"value\":\"12\"}", PointView.class))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("NaN");
    }

    @Test
    void unknownPropertiesDuplicatesAndTrailingTokensAreRefused() {
        assertThatThrownBy(() -> Json.mapper().readValue("{\"client_id\":1,\"hostname\":\"a\",\"x\":1}", ClientInfo.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
        assertThatThrownBy(() -> Json.mapper().readValue("{\"client_id\":1,\"client_id\":2}", ClientInfo.class))
                .hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> Json.mapper().readValue("{\"client_id\":1} {}", ClientInfo.class))
                .hasMessageContaining("Trailing token");
    }

    @Test
    void deepNestingAndHugeStringsHitTheStreamLimits() {
        String deep = "{\"samples\":" + "[".repeat(Json.MAX_NESTING_DEPTH + 5) + "]".repeat(Json.MAX_NESTING_DEPTH + 5) + "}";
        assertThatThrownBy(() -> Json.mapper().readTree(deep)).isInstanceOf(StreamConstraintsException.class);
        String big = "{\"client_id\":1,\"hostname\":\"" + "a".repeat(Json.MAX_STRING_LENGTH + 1) + "\"}";
        assertThatThrownBy(() -> Json.mapper().readValue(big, ClientInfo.class))
                .hasRootCauseInstanceOf(StreamConstraintsException.class);
        String longNumber = "{\"client_id\":" + "1".repeat(Json.MAX_NUMBER_LENGTH + 1) + ",\"hostname\":\"a\"}";
        assertThatThrownBy(() -> Json.mapper().readValue(longNumber, ClientInfo.class))
                .satisfiesAnyOf(e -> assertThat(e).isInstanceOf(StreamConstraintsException.class),
                        e -> assertThat(e).hasRootCauseInstanceOf(StreamConstraintsException.class));
    }

    @Test
    void registerResponseNeverPrintsItsToken() throws Exception {
        RegisterResponse r = new RegisterResponse(7, "secret-token-value");
        assertThat(r.toString()).doesNotContain("secret-token-value");
        assertThat(Json.mapper().writeValueAsString(r)).isEqualTo("{\"client_id\":7,\"client_token\":\"secret-token-value\"}");
    }

    @Test
    void registerRequestUsesTheProtocolFieldNames() throws Exception {
        RegisterRequest r = new RegisterRequest("h", "m", "pem", 5, "n", Map.of("a", "b"), "sig");
        assertThat(Json.mapper().readTree(Json.mapper().writeValueAsString(r)).fieldNames())
                .toIterable().containsExactlyInAnyOrder("hostname", "machine_id", "public_key", "timestamp", "nonce", "hardware", "signature");
    }
}
