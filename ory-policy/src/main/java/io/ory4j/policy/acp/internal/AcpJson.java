package io.ory4j.policy.acp.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryException;
import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Condition;
import io.ory4j.policy.acp.Effect;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.Role;
import java.util.ArrayList;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keto v0.5's JSON for policies, roles and access requests, read with errors that name the field (a 400 in Ory's
 * error format) and written as Keto writes them.
 */
public final class AcpJson {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final Set<String> REQUEST_FIELDS = Set.of("subject", "resource", "action", "context");

  private final ObjectMapper mapper;

  public AcpJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Reads a policy; an empty or absent id is left empty for the caller to fill. */
  public Policy readPolicy(JsonNode n) {
    requireObject(n, "the policy");
    String effectText = string(n, "effect", "");
    Effect effect = Effect.parse(effectText).orElseThrow(() -> OryException.invalidField("effect",
        "invalid policy effect \"" + effectText + "\", only allow and deny are supported"));
    Map<String, Condition> conditions = new LinkedHashMap<>();
    JsonNode c = field(n, "conditions");
    if (c != null && !c.isNull()) {
      if (!c.isObject()) {
        throw OryException.invalidField("conditions", "must be an object of conditions by context key");
      }
      for (Map.Entry<String, JsonNode> e : c.properties()) {
        conditions.put(e.getKey(), readCondition(e.getValue(), "conditions." + e.getKey()));
      }
    }
    return new Policy(string(n, "id", ""), string(n, "description", ""), strings(n, "subjects"),
        strings(n, "resources"), strings(n, "actions"), effect, conditions);
  }

  private Condition readCondition(JsonNode n, String field) {
    if (!n.isObject()) {
      throw OryException.invalidField(field, "must be an object {\"type\": ..., \"options\": {...}}");
    }
    JsonNode type = field(n, "type");
    if (type == null || !type.isTextual() || type.asText().isEmpty()) {
      throw OryException.invalidField(field + ".type", "is required and must be a string");
    }
    JsonNode options = field(n, "options");
    Map<String, Object> o = Map.of();
    if (options != null && !options.isNull()) {
      if (!options.isObject()) {
        throw OryException.invalidField(field + ".options", "must be an object");
      }
      o = mapper.convertValue(options, MAP);
    }
    return new Condition(type.asText(), o);
  }

  /** Reads a role. */
  public Role readRole(JsonNode n) {
    requireObject(n, "the role");
    return new Role(string(n, "id", ""), strings(n, "members"));
  }

  /** Reads the members of a members-add body ({@code {"members": [...]}}). */
  public List<String> readMembers(JsonNode n) {
    requireObject(n, "the body");
    return strings(n, "members");
  }

  /** Reads an access request; unknown fields are refused, as Keto's decoder does. */
  public AccessRequest readRequest(Flavor flavor, JsonNode n) {
    requireObject(n, "the access request");
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!REQUEST_FIELDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        throw OryException.invalidField(name, "is not a field of an access request (subject, resource, action, "
            + "context)");
      }
    }
    Map<String, Object> context = Map.of();
    JsonNode c = field(n, "context");
    if (c != null && !c.isNull()) {
      if (!c.isObject()) {
        throw OryException.invalidField("context", "must be an object");
      }
      context = mapper.convertValue(c, MAP);
    }
    return new AccessRequest(flavor, string(n, "subject", ""), string(n, "resource", ""), string(n, "action", ""),
        context);
  }

  /** Writes a policy as Keto does. */
  public ObjectNode write(Policy p) {
    ObjectNode o = mapper.createObjectNode();
    o.put("id", p.id());
    o.put("description", p.description());
    array(o.putArray("subjects"), p.subjects());
    array(o.putArray("resources"), p.resources());
    array(o.putArray("actions"), p.actions());
    o.put("effect", p.effect().value());
    ObjectNode c = o.putObject("conditions");
    p.conditions().forEach((k, v) -> {
      ObjectNode x = c.putObject(k);
      x.put("type", v.type());
      x.set("options", mapper.valueToTree(v.options()));
    });
    return o;
  }

  /** Writes a role as Keto does. */
  public ObjectNode write(Role r) {
    ObjectNode o = mapper.createObjectNode();
    o.put("id", r.id());
    array(o.putArray("members"), r.members());
    return o;
  }

  private static void array(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  /** Go's encoding/json: the exact name, else a case-insensitive match. */
  private static @Nullable JsonNode field(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v != null) {
      return v;
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static void requireObject(JsonNode n, String what) {
    if (n == null || !n.isObject()) {
      throw OryException.badRequest("The request body must be a JSON object describing " + what + ".");
    }
  }

  private static String string(JsonNode n, String field, String dflt) {
    JsonNode v = field(n, field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isTextual()) {
      throw OryException.invalidField(field, "must be a string");
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode n, String field) {
    JsonNode v = field(n, field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw OryException.invalidField(field, "must be an array of strings");
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw OryException.invalidField(field + "[" + i + "]", "must be a string");
      }
      out.add(v.get(i).asText());
    }
    return out;
  }
}
