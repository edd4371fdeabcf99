package io.ory4j.accessrules.internal.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** The dotted paths of Oathkeeper's {@code subject_from} and {@code extra_from} (a gjson subset). */
final class JsonPaths {
  private static final ObjectMapper M = new ObjectMapper();

  private JsonPaths() {}

  static JsonNode get(JsonNode root, String path) {
    if (path.equals("@this")) {
      return root;
    }
    JsonNode cur = root;
    for (String part : path.split("(?<!\\\\)\\.")) {
      String key = part.replace("\\.", ".");
      if (cur.isArray() && key.matches("[0-9]+")) {
        cur = cur.path(Integer.parseInt(key));
      } else {
        cur = cur.path(key);
      }
    }
    return cur;
  }

  static String string(JsonNode root, String path) {
    JsonNode n = get(root, path);
    return n.isMissingNode() || n.isNull() ? "" : n.isValueNode() ? n.asText() : n.toString();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(JsonNode root, String path) {
    JsonNode n = get(root, path);
    if (!n.isObject()) {
      return new LinkedHashMap<>();
    }
    return M.convertValue(n, LinkedHashMap.class);
  }

  static Object plain(JsonNode n) {
    return M.convertValue(n, Object.class);
  }
}
