package io.ory4j.accessrules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.json.OryJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Oathkeeper's environment variables, applied to a builder. */
final class OathkeeperEnvironment {
  private OathkeeperEnvironment() {}

  static void apply(AccessRules.Builder b, Map<String, String> env, OryJson json) {
    Map<String, String> sorted = new TreeMap<>(env);
    String strategy = sorted.get("ACCESS_RULES_MATCHING_STRATEGY");
    if (strategy != null) {
      b.matchingStrategy(MatchingStrategy.parse(strategy));
    }
    String repos = sorted.get("ACCESS_RULES_REPOSITORIES");
    if (repos != null && !repos.isBlank()) {
      for (String r : list(repos, json, "ACCESS_RULES_REPOSITORIES")) {
        b.source(RuleSource.repository(r, b.clientForSources(), b.timeout()));
      }
    }
    String fallback = sorted.get("ERRORS_FALLBACK");
    if (fallback != null && !fallback.isBlank()) {
      b.errorFallback(list(fallback, json, "ERRORS_FALLBACK"));
    }
    for (HandlerKind kind : HandlerKind.values()) {
      String prefix = kind.envPrefix() + "_";
      if (kind == HandlerKind.ERROR_HANDLER) {
        prefix = "ERRORS_HANDLERS_";
      }
      // first pass: _ENABLED and whole _CONFIG
      for (Map.Entry<String, String> e : sorted.entrySet()) {
        String k = e.getKey();
        if (!k.startsWith(prefix)) {
          continue;
        }
        String rest = k.substring(prefix.length());
        if (rest.endsWith("_ENABLED")) {
          String name = rest.substring(0, rest.length() - "_ENABLED".length()).toLowerCase(Locale.ROOT);
          if (Boolean.parseBoolean(e.getValue().trim())) {
            if (!b.enabledMap().get(kind).containsKey(name)) {
              b.enable(kind, name);
            }
          } else {
            b.disable(kind, name);
          }
        }
      }
      for (Map.Entry<String, String> e : sorted.entrySet()) {
        String k = e.getKey();
        if (!k.startsWith(prefix)) {
          continue;
        }
        String rest = k.substring(prefix.length());
        int i = rest.indexOf("_CONFIG");
        if (i < 0) {
          continue;
        }
        String name = rest.substring(0, i).toLowerCase(Locale.ROOT);
        ObjectNode config = b.enabledMap().get(kind).get(name);
        if (config == null) {
          continue;
        }
        String key = rest.substring(i + "_CONFIG".length());
        if (key.isEmpty()) {
          JsonNode whole = parse(e.getValue(), json, k);
          if (!whole.isObject()) {
            throw new IllegalArgumentException(k + " must be a JSON object");
          }
          whole.fields().forEachRemaining(f -> config.set(f.getKey(), f.getValue()));
        } else if (key.startsWith("_")) {
          setNested(config, key.substring(1).toLowerCase(Locale.ROOT), value(e.getValue(), json));
        }
      }
    }
  }

  /** Oathkeeper's nested config objects, so {@code CACHE_TTL} becomes {@code cache.ttl}. */
  private static final List<String> NESTED = List.of("pre_authorization", "token_from", "cache", "retry", "api",
      "auth", "basic");

  private static void setNested(ObjectNode config, String key, JsonNode value) {
    for (String n : NESTED) {
      if (key.startsWith(n + "_")) {
        JsonNode child = config.get(n);
        ObjectNode obj = child instanceof ObjectNode o ? o : config.putObject(n);
        setNested(obj, key.substring(n.length() + 1), value);
        return;
      }
    }
    config.set(key, value);
  }

  private static JsonNode value(String v, OryJson json) {
    String t = v.trim();
    if (t.startsWith("{") || t.startsWith("[") || t.equals("true") || t.equals("false")
        || t.matches("-?[0-9]+")) {
      try {
        return json.readTree(t);
      } catch (RuntimeException e) {
        return JsonNodeFactory.instance.textNode(v);
      }
    }
    return JsonNodeFactory.instance.textNode(v);
  }

  /** JSON from a variable; not JSON is a configuration error naming the variable (found by EnvironmentProperties). */
  private static JsonNode parse(String v, OryJson json, String variable) {
    try {
      return json.readTree(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(variable + " is not valid JSON");
    }
  }

  private static List<String> list(String v, OryJson json, String name) {
    String t = v.trim();
    List<String> out = new ArrayList<>();
    if (t.startsWith("[")) {
      JsonNode n = parse(t, json, name);
      n.forEach(x -> out.add(x.asText()));
      return out;
    }
    for (String s : t.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
