package io.ory4j.accessrules.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ory4j.accessrules.AccessRules;
import io.ory4j.accessrules.RuleFiles;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Oathkeeper's read-only API: {@code GET /rules} (with {@code limit} and {@code offset}), {@code GET /rules/{id}}
 * and {@code GET /.well-known/jwks.json} (the public keys of the {@code id_token} mutator).
 */
public final class RulesApi {

  private final AccessRules rules;
  private final OryJson json = OryJson.create();

  public RulesApi(AccessRules rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  public Router router() {
    return Router.builder(new OryErrorRenderer(json))
        .get("/rules", this::list)
        .get("/rules/{id}", this::get)
        .get("/.well-known/jwks.json", this::jwks)
        .build();
  }

  private HttpResponse list(HttpRequest r) {
    List<io.ory4j.accessrules.Rule> all = rules.rules();
    int offset = intParam(r, "offset", 0);
    int limit = intParam(r, "limit", all.size());
    ArrayNode out = json.mapper().createArrayNode();
    all.stream().skip(offset).limit(limit).forEach(rule -> out.add(RuleFiles.toJson(rule)));
    return HttpResponse.json(200, json.writeBytes(out));
  }

  private HttpResponse get(HttpRequest r) {
    String id = r.pathParam("id").orElse("");
    return rules.rule(id).map(rule -> HttpResponse.json(200, json.writeBytes(RuleFiles.toJson(rule))))
        .orElseThrow(() -> OryException.notFound("Unable to locate the resource").withReason("No rule with id "
            + id));
  }

  private HttpResponse jwks(HttpRequest r) {
    var set = rules.idTokenKeys();
    return HttpResponse.builder(200).header("Content-Type", "application/json; charset=utf-8")
        .body(set.toString(true)).build();
  }

  private static int intParam(HttpRequest r, String name, int fallback) {
    String v = r.queryParam(name).orElse(null);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < 0) {
        throw OryException.invalidField(name, "must not be negative");
      }
      return i;
    } catch (NumberFormatException e) {
      throw OryException.invalidField(name, "must be an integer");
    }
  }
}
