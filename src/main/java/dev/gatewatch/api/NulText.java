package dev.gatewatch.api;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Refuses U+0000 in every string read through the application's ObjectMapper, so in every JSON request body (field
 * values, list items, map keys and values, untyped settings). PostgreSQL cannot store it in text or jsonb, so
 * without this a NUL got as far as the database and came back as a 500. Nothing stored can hold one, so reading
 * stored JSON through the same mapper is unaffected.
 */
@Singleton
public class NulText implements ObjectMapperCustomizer {

    public static final String MESSAGE = "must not contain the NUL character (U+0000)";

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("gatewatch-nul-text");
        module.addDeserializer(String.class, new Strings());
        module.addKeyDeserializer(String.class, new Keys());
        mapper.registerModule(module);
    }

    public static boolean contains(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }

    /** Thrown while reading; carries the field's path as read from the parser, e.g. {@code bodyAssertions[0].value}. */
    public static final class Refused extends JsonMappingException {
        private final String field;

        Refused(JsonParser p, String field) {
            super(p, "a string contains U+0000");
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private static final class Strings extends StdScalarDeserializer<String> {
        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = StringDeserializer.instance.deserialize(p, ctxt);
            if (contains(text)) {
                throw new Refused(p, path(p.getParsingContext()));
            }
            return text;
        }
    }

    private static final class Keys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            if (contains(key)) {
                JsonParser p = ctxt.getParser();
                throw new Refused(p, p == null ? "" : path(p.getParsingContext()));
            }
            return key;
        }
    }

    /** {@code a.b[2].c}; a NUL in a name is shown as {@code \u0000}. */
    static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName().replace("\0", "\\u0000"));
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
