package io.dcmon.transport.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration for the dcmon wire protocol, shared by server and client.
 *
 * <p>Reading is strict and bounded, because the server parses input from the network:
 * unknown properties, trailing tokens, nulls for primitives and floats for integers are errors, and
 * {@link StreamReadConstraints} caps nesting depth, string, name, number and document lengths so a
 * hostile body fails fast with a 400 instead of consuming memory. The wire records carry their own
 * snake_case naming ({@code @JsonNaming}), so another mapper reads them the same way.
 */
public final class Json {

    /** Deepest nesting of objects/arrays accepted; the protocol itself needs 4. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** Longest JSON string value, in characters (command output is the longest legitimate text). */
    public static final int MAX_STRING_LENGTH = 1_000_000;
    /** Longest property name, in characters. */
    public static final int MAX_NAME_LENGTH = 1_000;
    /** Longest number literal, in characters (a double needs 24). */
    public static final int MAX_NUMBER_LENGTH = 64;
    /** Largest JSON document, in bytes/characters, whatever the HTTP layer allows. */
    public static final long MAX_DOCUMENT_LENGTH = 64L * 1024 * 1024;

    private static final ObjectMapper MAPPER = create();

    private Json() {
    }

    /** The shared, configured mapper. Thread-safe; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A new mapper with the dcmon configuration, for callers that want their own instance. */
    public static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                        .build())
                // a duplicate key is a malformed request, not "last one wins"
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // error messages must not echo the request body back
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                // a label value or host name sent as a number or boolean is a client bug: say so instead of guessing
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }
}
