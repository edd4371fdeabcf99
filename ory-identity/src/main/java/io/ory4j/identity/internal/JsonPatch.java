package io.ory4j.identity.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryException;

/** RFC 6902 JSON Patch (add, remove, replace, move, copy, test) on a Jackson tree; a failing patch changes nothing. */
public final class JsonPatch {
  private JsonPatch() {}

  /** Applies {@code patch} to a copy of {@code doc} and returns it. */
  public static JsonNode apply(JsonNode doc, JsonNode patch) {
    if (!patch.isArray()) {
      throw OryException.badRequest("A JSON Patch must be an array of operations (RFC 6902).");
    }
    JsonNode result = doc.deepCopy();
    for (int i = 0; i < patch.size(); i++) {
      JsonNode op = patch.get(i);
      String name = op.path("op").asText("");
      String path = text(op, "path", i);
      switch (name) {
        case "add" -> result = add(result, path, value(op, i));
        case "remove" -> result = remove(result, path, i);
        case "replace" -> {
          result = remove(result, path, i);
          result = add(result, path, value(op, i));
        }
        case "move" -> {
          JsonNode v = get(result, text(op, "from", i), i);
          result = remove(result, text(op, "from", i), i);
          result = add(result, path, v);
        }
        case "copy" -> result = add(result, path, get(result, text(op, "from", i), i).deepCopy());
        case "test" -> {
          if (!get(result, path, i).equals(value(op, i))) {
            throw OryException.badRequest("JSON Patch test failed at operation " + i + " (" + path + ").");
          }
        }
        default -> throw OryException.badRequest("Unknown JSON Patch operation \"" + name + "\" at " + i + ".");
      }
    }
    return result;
  }

  private static String text(JsonNode op, String field, int i) {
    JsonNode v = op.get(field);
    if (v == null || !v.isTextual()) {
      throw OryException.badRequest("JSON Patch operation " + i + " needs \"" + field + "\".");
    }
    return v.asText();
  }

  private static JsonNode value(JsonNode op, int i) {
    if (!op.has("value")) {
      throw OryException.badRequest("JSON Patch operation " + i + " needs \"value\".");
    }
    return op.get("value");
  }

  private static String[] split(String pointer) {
    if (pointer.isEmpty()) {
      return new String[0];
    }
    if (!pointer.startsWith("/")) {
      throw OryException.badRequest("\"" + pointer + "\" is not a JSON pointer.");
    }
    String[] parts = pointer.substring(1).split("/", -1);
    for (int k = 0; k < parts.length; k++) {
      parts[k] = parts[k].replace("~1", "/").replace("~0", "~");
    }
    return parts;
  }

  private static JsonNode get(JsonNode doc, String pointer, int i) {
    JsonNode n = doc.at(pointer.isEmpty() ? "" : pointer);
    if (n.isMissingNode()) {
      throw OryException.badRequest("JSON Patch operation " + i + ": nothing at \"" + pointer + "\".");
    }
    return n;
  }

  private static JsonNode parent(JsonNode doc, String[] parts, String pointer) {
    JsonNode p = doc;
    for (int k = 0; k < parts.length - 1; k++) {
      p = p.isArray() ? p.path(index(parts[k], p.size(), false, pointer)) : p.path(parts[k]);
    }
    if (!p.isContainerNode()) {
      throw OryException.badRequest("JSON Patch: the parent of \"" + pointer + "\" does not exist.");
    }
    return p;
  }

  private static int index(String s, int size, boolean forAdd, String pointer) {
    if (forAdd && s.equals("-")) {
      return size;
    }
    try {
      int idx = Integer.parseInt(s);
      if (idx < 0 || idx > (forAdd ? size : size - 1)) {
        throw new NumberFormatException();
      }
      return idx;
    } catch (NumberFormatException e) {
      throw OryException.badRequest("JSON Patch: \"" + pointer + "\" has an invalid array index.");
    }
  }

  private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
    String[] parts = split(pointer);
    if (parts.length == 0) {
      return value.deepCopy();
    }
    JsonNode p = parent(doc, parts, pointer);
    String last = parts[parts.length - 1];
    if (p instanceof ArrayNode a) {
      a.insert(index(last, a.size(), true, pointer), value.deepCopy());
    } else {
      ((ObjectNode) p).set(last, value.deepCopy());
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String pointer, int i) {
    get(doc, pointer, i);
    String[] parts = split(pointer);
    if (parts.length == 0) {
      throw OryException.badRequest("JSON Patch cannot remove the whole document.");
    }
    JsonNode p = parent(doc, parts, pointer);
    String last = parts[parts.length - 1];
    if (p instanceof ArrayNode a) {
      a.remove(index(last, a.size(), false, pointer));
    } else {
      ((ObjectNode) p).remove(last);
    }
    return doc;
  }
}
