package io.ory4j.accessrules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ory4j.core.json.OryJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads Oathkeeper rule files: a JSON or YAML array of rules, exactly as Oathkeeper reads them (unknown fields are
 * ignored, as Go's JSON decoder does). Structural problems are reported with the rule id, the field and the reason;
 * one bad rule refuses the whole set.
 */
public final class RuleFiles {

  private static final ObjectMapper JSON = OryJson.create().mapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RuleFiles() {}

  /** Parses a JSON or YAML document (YAML is a superset, so both go through the YAML reader if JSON fails). */
  public static List<Rule> parse(String document, String source) {
    JsonNode root;
    try {
      root = document.stripLeading().startsWith("[") ? JSON.readTree(document) : YAML.readTree(document);
    } catch (JsonProcessingException e) {
      try {
        root = YAML.readTree(document);
      } catch (JsonProcessingException e2) {
        throw new InvalidRulesException(List.of(new RuleProblem(source, "", "not valid JSON or YAML: "
            + e2.getOriginalMessage())));
      }
    }
    return fromTree(root, source);
  }

  /** Reads a file, or every {@code .json}, {@code .yaml} and {@code .yml} file in a folder (sorted by name). */
  public static List<Rule> read(Path path) {
    List<Rule> out = new ArrayList<>();
    List<RuleProblem> problems = new ArrayList<>();
    for (Path file : files(path)) {
      try {
        out.addAll(parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
      } catch (InvalidRulesException e) {
        problems.addAll(e.problems());
      } catch (IOException e) {
        problems.add(new RuleProblem(file.toString(), "", "cannot read the file: " + e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRulesException(problems);
    }
    return out;
  }

  /** The rule files at {@code path}: the file itself, or the rule files of a folder, sorted. */
  public static List<Path> files(Path path) {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.filter(Files::isRegularFile).filter(p -> {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
      }).sorted().toList();
    } catch (IOException e) {
      throw new InvalidRulesException(List.of(new RuleProblem(path.toString(), "", "cannot list the folder: "
          + e.getMessage())));
    }
  }

  /** Converts a parsed tree (an array of rules, or null for an empty document). */
  public static List<Rule> fromTree(JsonNode root, String source) {
    if (root == null || root.isNull() || root.isMissingNode()) {
      return List.of();
    }
    if (!root.isArray()) {
      throw new InvalidRulesException(List.of(new RuleProblem(source, "", "a rule document is a JSON or YAML array "
          + "of rules")));
    }
    List<Rule> rules = new ArrayList<>();
    List<RuleProblem> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int i = 0;
    for (JsonNode n : root) {
      String label = source + "#" + i;
      i++;
      if (!n.isObject()) {
        problems.add(new RuleProblem(label, "", "a rule is a JSON object"));
        continue;
      }
      String id = text(n, "id");
      String ruleId = id == null || id.isEmpty() ? label : id;
      List<RuleProblem> mine = new ArrayList<>();
      if (id == null || id.isEmpty()) {
        mine.add(new RuleProblem(ruleId, "id", "is required"));
      } else if (!ids.add(id)) {
        mine.add(new RuleProblem(ruleId, "id", "is used by more than one rule"));
      }
      JsonNode match = n.get("match");
      String url = "";
      List<String> methods = List.of();
      if (match == null || !match.isObject()) {
        mine.add(new RuleProblem(ruleId, "match", "is required and must be an object"));
      } else if (match.has("full_method") || match.has("authority")) {
        mine.add(new RuleProblem(ruleId, "match", "gRPC matching (authority, full_method) is not supported"));
      } else {
        url = text(match, "url");
        if (url == null) {
          mine.add(new RuleProblem(ruleId, "match.url", "is required"));
          url = "";
        }
        methods = strings(match.get("methods"), ruleId, "match.methods", mine);
      }
      List<RuleHandler> authn = handlers(n.get("authenticators"), ruleId, "authenticators", mine);
      RuleHandler authz = null;
      JsonNode az = n.get("authorizer");
      if (az != null && !az.isNull()) {
        authz = handler(az, ruleId, "authorizer", mine);
      }
      List<RuleHandler> mutators = handlers(n.get("mutators"), ruleId, "mutators", mine);
      List<RuleHandler> errors = handlers(n.get("errors"), ruleId, "errors", mine);
      Upstream upstream = Upstream.none();
      JsonNode up = n.get("upstream");
      if (up != null && up.isObject()) {
        upstream = new Upstream(text(up, "url"), up.path("preserve_host").asBoolean(false), text(up, "strip_path"));
      } else if (up != null && !up.isNull()) {
        mine.add(new RuleProblem(ruleId, "upstream", "must be an object"));
      }
      Integer priority = null;
      JsonNode p = n.get("priority");
      if (p != null && !p.isNull()) {
        if (p.canConvertToInt() && p.isIntegralNumber()) {
          priority = p.intValue();
        } else {
          mine.add(new RuleProblem(ruleId, "priority", "must be an integer"));
        }
      }
      if (mine.isEmpty()) {
        rules.add(new Rule(ruleId, text(n, "version"), text(n, "description"), new RuleMatch(url, methods), authn,
            authz, mutators, errors, upstream, priority));
      }
      problems.addAll(mine);
    }
    if (!problems.isEmpty()) {
      throw new InvalidRulesException(problems);
    }
    return List.copyOf(rules);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<String> strings(JsonNode n, String ruleId, String field, List<RuleProblem> problems) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      problems.add(new RuleProblem(ruleId, field, "must be an array of strings"));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : n) {
      if (!v.isTextual()) {
        problems.add(new RuleProblem(ruleId, field, "must be an array of strings"));
        return List.of();
      }
      out.add(v.asText());
    }
    return out;
  }

  private static List<RuleHandler> handlers(JsonNode n, String ruleId, String field, List<RuleProblem> problems) {
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      problems.add(new RuleProblem(ruleId, field, "must be an array of handlers"));
      return List.of();
    }
    List<RuleHandler> out = new ArrayList<>();
    int i = 0;
    for (JsonNode h : n) {
      RuleHandler rh = handler(h, ruleId, field + "[" + i + "]", problems);
      if (rh != null) {
        out.add(rh);
      }
      i++;
    }
    return out;
  }

  private static RuleHandler handler(JsonNode h, String ruleId, String field, List<RuleProblem> problems) {
    if (!h.isObject()) {
      problems.add(new RuleProblem(ruleId, field, "must be an object with \"handler\" and \"config\""));
      return null;
    }
    String name = text(h, "handler");
    if (name == null || name.isEmpty()) {
      problems.add(new RuleProblem(ruleId, field + ".handler", "is required"));
      return null;
    }
    JsonNode config = h.get("config");
    if (config == null || config.isNull()) {
      return RuleHandler.of(name);
    }
    if (!config.isObject()) {
      problems.add(new RuleProblem(ruleId, field + ".config", "must be an object"));
      return null;
    }
    return new RuleHandler(name, (ObjectNode) config);
  }

  /** Writes rules back in Oathkeeper's JSON shape (what {@code GET /rules} answers). */
  public static ObjectNode toJson(Rule r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", r.id());
    o.put("version", r.version());
    o.put("description", r.description());
    ObjectNode m = o.putObject("match");
    m.put("url", r.match().url());
    r.match().methods().forEach(m.putArray("methods")::add);
    var authn = o.putArray("authenticators");
    r.authenticators().forEach(h -> authn.add(handlerJson(h)));
    o.set("authorizer", r.authorizer() == null ? JSON.createObjectNode().put("handler", "").putNull("config")
        : handlerJson(r.authorizer()));
    var mut = o.putArray("mutators");
    r.mutators().forEach(h -> mut.add(handlerJson(h)));
    var err = o.putArray("errors");
    r.errors().forEach(h -> err.add(handlerJson(h)));
    ObjectNode up = o.putObject("upstream");
    up.put("preserve_host", r.upstream().preserveHost());
    up.put("strip_path", r.upstream().stripPath() == null ? "" : r.upstream().stripPath());
    up.put("url", r.upstream().url() == null ? "" : r.upstream().url());
    if (r.priority() != null) {
      o.put("priority", r.priority());
    }
    return o;
  }

  private static ObjectNode handlerJson(RuleHandler h) {
    ObjectNode o = JSON.createObjectNode();
    o.put("handler", h.handler());
    ObjectNode c = h.config();
    if (c.isEmpty()) {
      o.putNull("config");
    } else {
      o.set("config", c);
    }
    return o;
  }

}
