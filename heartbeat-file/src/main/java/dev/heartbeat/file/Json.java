package dev.heartbeat.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Strict reading and writing of the store's JSON objects. Every object carries
 * {@code "format": }{@value #FORMAT}; anything else (no JSON, another type, a missing field, a
 * format this version does not know) is a {@link BadRecord}.
 */
final class Json {
  /** The layout version written into every file; bumped on incompatible changes. */
  static final int FORMAT = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode().put("format", FORMAT);
  }

  /** An object inside another, without its own format field. */
  static ObjectNode nested() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** One line of a JSON-lines file, newline included. */
  static byte[] line(ObjectNode node) {
    try {
      byte[] json = MAPPER.writeValueAsBytes(node);
      byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
      out[json.length] = '\n';
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** Parses an object of the current format. */
  static JsonNode parse(byte[] content) throws BadRecord {
    if (content.length == 0) {
      throw new BadRecord("empty file");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(content);
    } catch (JsonProcessingException e) {
      throw new BadRecord("not JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new BadRecord("not JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new BadRecord("not a JSON object");
    }
    JsonNode format = node.get("format");
    if (format == null || !format.isIntegralNumber()) {
      throw new BadRecord("no format version");
    }
    if (format.asLong() != FORMAT) {
      throw new BadRecord("unknown format version " + format.asText() + " (this store reads "
          + FORMAT + ")");
    }
    return node;
  }

  static String text(JsonNode node, String field) throws BadRecord {
    String value = optionalText(node, field);
    if (value == null) {
      throw new BadRecord("missing field '" + field + "'");
    }
    return value;
  }

  static String optionalText(JsonNode node, String field) throws BadRecord {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BadRecord("field '" + field + "' must be a string, got " + value.getNodeType());
    }
    return value.textValue();
  }

  static long integer(JsonNode node, String field) throws BadRecord {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new BadRecord("field '" + field + "' must be an integer, got " + kind(value));
    }
    return value.longValue();
  }

  static double number(JsonNode node, String field) throws BadRecord {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber()) {
      throw new BadRecord("field '" + field + "' must be a number, got " + kind(value));
    }
    return value.doubleValue();
  }

  static Instant instant(JsonNode node, String field) throws BadRecord {
    Instant value = optionalInstant(node, field);
    if (value == null) {
      throw new BadRecord("missing field '" + field + "'");
    }
    return value;
  }

  static Instant optionalInstant(JsonNode node, String field) throws BadRecord {
    String text = optionalText(node, field);
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new BadRecord("field '" + field + "' is not an instant: '" + text + "'", e);
    }
  }

  static ObjectNode put(ObjectNode node, String field, Instant value) {
    return node.put(field, value == null ? null : value.toString());
  }

  private static String kind(JsonNode value) {
    return value == null ? "nothing" : String.valueOf(value.getNodeType());
  }
}
