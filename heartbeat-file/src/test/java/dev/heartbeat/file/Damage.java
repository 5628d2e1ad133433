package dev.heartbeat.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/** The ways a file of the store is damaged in tests; JSON-lines files are damaged line by line. */
enum Damage {
  EMPTY,
  TRUNCATED,
  NOT_JSON,
  WRONG_TYPES,
  UNKNOWN_FORMAT;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  void apply(Path file) {
    try {
      String content = Files.readString(file);
      String damaged = switch (this) {
        case EMPTY -> "";
        case TRUNCATED -> content.substring(0, content.length() / 2);
        case NOT_JSON -> "<<< this is not JSON >>>\n".repeat(1 + content.length() / 25);
        case WRONG_TYPES, UNKNOWN_FORMAT -> eachObject(content);
      };
      Files.writeString(file, damaged);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String eachObject(String content) throws IOException {
    if (!content.endsWith("\n")) {
      return edit(MAPPER.readTree(content));
    }
    StringBuilder out = new StringBuilder();
    for (String line : content.split("\n")) {
      out.append(edit(MAPPER.readTree(line))).append('\n');
    }
    return out.toString();
  }

  private String edit(JsonNode node) throws IOException {
    ObjectNode object = (ObjectNode) node;
    if (this == UNKNOWN_FORMAT) {
      object.put("format", 99);
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().equals("format")) {
          continue;
        }
        if (field.getValue().isNumber()) {
          field.setValue(MAPPER.getNodeFactory().textNode("seven"));
        } else if (field.getValue().isTextual()) {
          field.setValue(MAPPER.getNodeFactory().numberNode(7));
        }
      }
    }
    return new String(MAPPER.writeValueAsBytes(object), StandardCharsets.UTF_8);
  }
}
