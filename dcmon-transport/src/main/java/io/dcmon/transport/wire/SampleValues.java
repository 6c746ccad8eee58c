package io.dcmon.transport.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;

import java.io.IOException;
import java.math.BigInteger;

/**
 * How sample values are written and read: integers stay integers (a {@link Long}), numbers with a fraction
 * or exponent are {@link Double}s, and NaN/±Inf travel as the strings {@code "NaN"}, {@code "+Inf"},
 * {@code "-Inf"} ({@code "Inf"} and {@code "Infinity"} are read too). Anything else, including an
 * integer outside the 64-bit range, a finite literal too large for a double, or a boolean, is an error.
 */
public final class SampleValues {

    /** Wire text for {@link Double#NaN}. */
    public static final String NAN = "NaN";
    /** Wire text for {@link Double#POSITIVE_INFINITY}. */
    public static final String POS_INF = "+Inf";
    /** Wire text for {@link Double#NEGATIVE_INFINITY}. */
    public static final String NEG_INF = "-Inf";

    private SampleValues() {
    }

    /** Writes a Long as a JSON integer, a finite Double as a JSON number, a non-finite one as a string. */
    public static final class Serializer extends JsonSerializer<Number> {
        @Override
        public void serialize(Number value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value instanceof Double || value instanceof Float) {
                double d = value.doubleValue();
                if (Double.isNaN(d)) {
                    gen.writeString(NAN);
                } else if (Double.isInfinite(d)) {
                    gen.writeString(d > 0 ? POS_INF : NEG_INF);
                } else {
                    gen.writeNumber(d);
                }
            } else {
                gen.writeNumber(value.longValue());
            }
        }
    }

    /** Reads the forms {@link Serializer} writes; refuses everything else with a message naming the value. */
    public static final class Deserializer extends JsonDeserializer<Number> {
        @Override
        public Number deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    BigInteger big = p.getBigIntegerValue();
                    return (Number) ctxt.handleWeirdNumberValue(Number.class, big,
                            "integer is outside the 64-bit range; send it as a number with an exponent (e.g. 1.5e20)");
                }
                return p.getLongValue();
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                double d = p.getDoubleValue();
                if (Double.isInfinite(d)) {
                    return (Number) ctxt.handleWeirdNumberValue(Number.class, d,
                            "number is too large for a double; send \"+Inf\"/\"-Inf\" for infinities");
                }
                return d;
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText();
                switch (s) {
                    case NAN:
                        return Double.NaN;
                    case POS_INF:
                    case "Inf":
                    case "Infinity":
                    case "+Infinity":
                        return Double.POSITIVE_INFINITY;
                    case NEG_INF:
                    case "-Infinity":
                        return Double.NEGATIVE_INFINITY;
                    default:
                        return (Number) ctxt.handleWeirdStringValue(Number.class, s.length() > 32 ? s.substring(0, 32) + "…" : s,
                                "a sample value is a JSON number, or one of the strings \"NaN\", \"+Inf\", \"-Inf\"");
                }
            }
            return (Number) ctxt.handleUnexpectedToken(Number.class, t, p,
                    "a sample value is a JSON number, or one of the strings \"NaN\", \"+Inf\", \"-Inf\"; got %s", t);
        }
    }
}
