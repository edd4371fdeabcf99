package io.ory4j.oauth2.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON Patch (add, remove, replace, move, copy, test) on a Jackson tree, with RFC 6901 pointers. A failing
 * operation leaves nothing half-applied: the patch works on a copy, and any error is a 400 naming the operation.
 */
public final class JsonPatch {
  private JsonPatch() {}

  /** Applies {@code patch} (a JSON array of operations) to a copy of {@code doc}. */
  public static JsonNode apply(JsonNode patch, JsonNode doc) {
    if (!patch.isArray()) {
      throw OryException.badRequest("A JSON Patch must be an array of operations (RFC 6902).");
    }
    JsonNode root = doc.deepCopy();
    int i = 0;
    for (JsonNode op : patch) {
      String name = op.path("op").asText("");
      String path = op.path("path").asText(null);
      if (path == null) {
        throw bad(i, "is missing \"path\"");
      }
      switch (name) {
        case "add" -> root = add(root, path, value(op, i), i);
        case "remove" -> root = remove(root, path, i);
        case "replace" -> {
          get(root, path, i);
          root = add(remove(root, path, i), path, value(op, i), i);
        }
        case "move" -> {
          String from = op.path("from").asText(null);
          if (from == null) {
            throw bad(i, "is missing \"from\"");
          }
          JsonNode v = get(root, from, i);
          root = add(remove(root, from, i), path, v, i);
        }
        case "copy" -> {
          String from = op.path("from").asText(null);
          if (from == null) {
            throw bad(i, "is missing \"from\"");
          }
          root = add(root, path, get(root, from, i).deepCopy(), i);
        }
        case "test" -> {
          if (!get(root, path, i).equals(value(op, i))) {
            throw bad(i, "failed: the value at " + path + " differs");
          }
        }
        default -> throw bad(i, "has an unknown \"op\" \"" + name + "\"");
      }
      i++;
    }
    return root;
  }

  private static JsonNode value(JsonNode op, int i) {
    if (!op.has("value")) {
      throw bad(i, "is missing \"value\"");
    }
    return op.get("value");
  }

  private static OryException bad(int i, String what) {
    return OryException.badRequest("JSON Patch operation " + i + " " + what + ".");
  }

  private static List<String> tokens(String path, int i) {
    if (path.isEmpty()) {
      return List.of();
    }
    if (!path.startsWith("/")) {
      throw bad(i, "has a path that is not a JSON Pointer: " + path);
    }
    List<String> out = new ArrayList<>();
    for (String t : path.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode root, String path, int i) {
    JsonNode n = root;
    for (String t : tokens(path, i)) {
      n = n.isArray() ? n.get(index(t, n.size() - 1, i)) : n.get(t);
      if (n == null) {
        throw bad(i, "refers to a missing value at " + path);
      }
    }
    return n;
  }

  private static int index(String t, int max, int i) {
    try {
      int idx = Integer.parseInt(t);
      if (idx < 0 || idx > max) {
        throw bad(i, "has an array index out of range: " + t);
      }
      return idx;
    } catch (NumberFormatException e) {
      throw bad(i, "has an invalid array index: " + t);
    }
  }

  private static JsonNode add(JsonNode root, String path, JsonNode value, int i) {
    List<String> t = tokens(path, i);
    if (t.isEmpty()) {
      return value;
    }
    JsonNode parent = get(root, toPath(t.subList(0, t.size() - 1)), i);
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if ("-".equals(last)) {
        a.add(value);
      } else {
        a.insert(index(last, a.size(), i), value);
      }
    } else {
      throw bad(i, "targets a value that is neither an object nor an array: " + path);
    }
    return root;
  }

  private static JsonNode remove(JsonNode root, String path, int i) {
    List<String> t = tokens(path, i);
    if (t.isEmpty()) {
      throw bad(i, "cannot remove the whole document");
    }
    get(root, path, i);
    JsonNode parent = get(root, toPath(t.subList(0, t.size() - 1)), i);
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size() - 1, i));
    }
    return root;
  }

  private static String toPath(List<String> tokens) {
    StringBuilder sb = new StringBuilder();
    for (String t : tokens) {
      sb.append('/').append(t.replace("~", "~0").replace("/", "~1"));
    }
    return sb.toString();
  }
}
