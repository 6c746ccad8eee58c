package io.dcmon.agent.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A YAML document as a small tree, read with the YAML streaming parser alone. The agent reads its configuration
 * once; the object mapper's tree model would keep a few hundred classes loaded for the agent's whole life.
 * Offers the few questions {@link AgentConfigLoader} asks, with the names Jackson's tree model gives them.
 */
final class YamlNode {

    private static final YAMLFactory YAML = new YAMLFactory();

    private enum Kind { OBJECT, ARRAY, STRING, INTEGER, OTHER_SCALAR, NULL }

    private final Kind kind;
    private final String text;
    private final Map<String, YamlNode> fields;
    private final List<YamlNode> items;

    private YamlNode(Kind kind, String text, Map<String, YamlNode> fields, List<YamlNode> items) {
        this.kind = kind;
        this.text = text;
        this.fields = fields;
        this.items = items;
    }

    /** The document in {@code yaml}; an empty document is a null node. */
    static YamlNode parse(String yaml) throws IOException {
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken t = p.nextToken();
            return t == null ? new YamlNode(Kind.NULL, "null", null, null) : read(p, t);
        }
    }

    private static YamlNode read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.getCurrentName();
                    m.put(name, read(p, p.nextToken()));
                }
                return new YamlNode(Kind.OBJECT, null, m, null);
            }
            case START_ARRAY -> {
                List<YamlNode> l = new ArrayList<>();
                for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                    l.add(read(p, i));
                }
                return new YamlNode(Kind.ARRAY, null, null, l);
            }
            case VALUE_STRING -> {
                return new YamlNode(Kind.STRING, p.getText(), null, null);
            }
            case VALUE_NUMBER_INT -> {
                return new YamlNode(Kind.INTEGER, p.getText(), null, null);
            }
            case VALUE_NULL -> {
                return new YamlNode(Kind.NULL, "null", null, null);
            }
            default -> {
                return new YamlNode(Kind.OTHER_SCALAR, p.getText(), null, null);
            }
        }
    }

    boolean isNull() {
        return kind == Kind.NULL;
    }

    boolean isObject() {
        return kind == Kind.OBJECT;
    }

    boolean isArray() {
        return kind == Kind.ARRAY;
    }

    boolean isTextual() {
        return kind == Kind.STRING;
    }

    boolean isIntegralNumber() {
        return kind == Kind.INTEGER;
    }

    /** True for an integer that fits a long. */
    boolean canConvertToLong() {
        if (kind != Kind.INTEGER) {
            return false;
        }
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    long asLong() {
        return canConvertToLong() ? Long.parseLong(text) : 0;
    }

    /** A scalar's text; empty for a mapping or a list. */
    String asText() {
        return text != null && kind != Kind.NULL ? text : kind == Kind.NULL ? "null" : "";
    }

    /** A mapping's entries in file order; none for anything else. */
    Iterator<Map.Entry<String, YamlNode>> fields() {
        return fields != null ? fields.entrySet().iterator() : Collections.emptyIterator();
    }

    /** A list's items; none for anything else. */
    void forEach(Consumer<YamlNode> each) {
        if (items != null) {
            items.forEach(each);
        }
    }

    /** JSON-like, as error messages quote a value. */
    @Override
    public String toString() {
        return switch (kind) {
            case STRING -> "\"" + text + "\"";
            case OBJECT -> fields.toString();
            case ARRAY -> items.toString();
            default -> text;
        };
    }
}
