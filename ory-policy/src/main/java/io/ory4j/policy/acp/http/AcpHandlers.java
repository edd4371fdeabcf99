package io.ory4j.policy.acp.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.policy.PolicyEngine;
import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.PolicyFilter;
import io.ory4j.policy.acp.Role;
import io.ory4j.policy.acp.internal.AcpJson;
import java.util.List;
import java.util.Objects;

/**
 * Keto v0.5's ACP endpoints, each the same three steps (parse, call the engine, write):
 *
 * <ul>
 *   <li>{@code POST /engines/acp/ory/{flavor}/allowed}: 200 {@code {"allowed":true}} or 403 {@code {"allowed":false}}
 *       (what Oathkeeper's {@code keto_engine_acp_ory} authorizer reads);</li>
 *   <li>{@code PUT|GET /engines/acp/ory/{flavor}/policies} (upsert; list with {@code limit} (default 100, at most 500),
 *       {@code offset} and the filters {@code subject}, {@code resource}, {@code action}),
 *       {@code GET|DELETE .../policies/{id}};</li>
 *   <li>{@code PUT|GET .../roles} (list filter {@code member}), {@code GET|DELETE .../roles/{id}},
 *       {@code PUT .../roles/{id}/members} ({@code {"members": [...]}}, creates the role when absent) and
 *       {@code DELETE .../roles/{id}/members/{member}} (answers with the role).</li>
 * </ul>
 *
 * An unknown flavor is a 404, bad input a 400 naming the field; errors use Ory's JSON.
 */
public final class AcpHandlers {

  static final String BASE = "/engines/acp/ory/{flavor}";
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 500;

  private final PolicyEngine engine;
  private final OryJson json;
  private final AcpJson codec;

  public AcpHandlers(PolicyEngine engine, OryJson json) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.json = Objects.requireNonNull(json, "json");
    this.codec = new AcpJson(json.mapper());
  }

  /** The routes. */
  public Router router() {
    return Router.builder(new OryErrorRenderer(json))
        .post(BASE + "/allowed", this::allowed)
        .put(BASE + "/policies", this::upsertPolicy)
        .get(BASE + "/policies", this::listPolicies)
        .get(BASE + "/policies/{id}", this::getPolicy)
        .delete(BASE + "/policies/{id}", this::deletePolicy)
        .put(BASE + "/roles", this::upsertRole)
        .get(BASE + "/roles", this::listRoles)
        .get(BASE + "/roles/{id}", this::getRole)
        .delete(BASE + "/roles/{id}", this::deleteRole)
        .put(BASE + "/roles/{id}/members", this::addMembers)
        .delete(BASE + "/roles/{id}/members/{member}", this::removeMember)
        .build();
  }

  HttpResponse allowed(HttpRequest r) {
    Flavor f = flavor(r);
    AccessRequest request = codec.readRequest(f, body(r));
    boolean allowed = engine.isAllowed(request);
    return HttpResponse.json(allowed ? 200 : 403, json.writeBytes(json.object().put("allowed", allowed)));
  }

  HttpResponse upsertPolicy(HttpRequest r) {
    Flavor f = flavor(r);
    Policy p = engine.upsertPolicy(f, codec.readPolicy(body(r)));
    return ok(codec.write(p));
  }

  HttpResponse listPolicies(HttpRequest r) {
    Flavor f = flavor(r);
    PolicyFilter filter = new PolicyFilter(r.queryParam("subject").orElse(null),
        r.queryParam("resource").orElse(null), r.queryParam("action").orElse(null));
    List<Policy> page = engine.listPolicies(f, filter, limit(r), offset(r));
    ArrayNode a = json.mapper().createArrayNode();
    page.forEach(p -> a.add(codec.write(p)));
    return ok(a);
  }

  HttpResponse getPolicy(HttpRequest r) {
    Flavor f = flavor(r);
    String id = r.pathParam("id").orElseThrow();
    return ok(codec.write(engine.getPolicy(f, id).orElseThrow(() -> notFound("policy", id))));
  }

  HttpResponse deletePolicy(HttpRequest r) {
    engine.deletePolicy(flavor(r), r.pathParam("id").orElseThrow());
    return HttpResponse.noContent();
  }

  HttpResponse upsertRole(HttpRequest r) {
    Flavor f = flavor(r);
    return ok(codec.write(engine.upsertRole(f, codec.readRole(body(r)))));
  }

  HttpResponse listRoles(HttpRequest r) {
    Flavor f = flavor(r);
    List<Role> page = engine.listRoles(f, r.queryParam("member").orElse(null), limit(r), offset(r));
    ArrayNode a = json.mapper().createArrayNode();
    page.forEach(x -> a.add(codec.write(x)));
    return ok(a);
  }

  HttpResponse getRole(HttpRequest r) {
    Flavor f = flavor(r);
    String id = r.pathParam("id").orElseThrow();
    return ok(codec.write(engine.getRole(f, id).orElseThrow(() -> notFound("role", id))));
  }

  HttpResponse deleteRole(HttpRequest r) {
    engine.deleteRole(flavor(r), r.pathParam("id").orElseThrow());
    return HttpResponse.noContent();
  }

  HttpResponse addMembers(HttpRequest r) {
    Flavor f = flavor(r);
    List<String> members = codec.readMembers(body(r));
    return ok(codec.write(engine.addRoleMembers(f, r.pathParam("id").orElseThrow(), members)));
  }

  HttpResponse removeMember(HttpRequest r) {
    Flavor f = flavor(r);
    String id = r.pathParam("id").orElseThrow();
    Role role = engine.removeRoleMember(f, id, r.pathParam("member").orElseThrow())
        .orElseThrow(() -> notFound("role", id));
    return ok(codec.write(role));
  }

  private HttpResponse ok(JsonNode body) {
    return HttpResponse.json(200, json.writeBytes(body));
  }

  private JsonNode body(HttpRequest r) {
    if (r.bodyLength() == 0) {
      throw OryException.badRequest("The request body must be a JSON object, but it was empty.");
    }
    return json.readTree(r.body());
  }

  private static Flavor flavor(HttpRequest r) {
    String name = r.pathParam("flavor").orElse("");
    return Flavor.fromPathName(name).orElseThrow(() -> OryException.notFound(
        "Unknown flavor \"" + name + "\"; the ORY access control policy engine has exact, glob and regex."));
  }

  private static OryException notFound(String what, String id) {
    return OryException.notFound("Unable to locate the resource").withReason("no " + what + " with id \"" + id
        + "\"");
  }

  /** ory/x pagination.Parse: a missing or unparsable value takes the default; limit capped at 500. */
  static int limit(HttpRequest r) {
    int l = parse(r.queryParam("limit").orElse(null), DEFAULT_LIMIT);
    return Math.max(0, Math.min(MAX_LIMIT, l));
  }

  static int offset(HttpRequest r) {
    return Math.max(0, parse(r.queryParam("offset").orElse(null), 0));
  }

  private static int parse(String v, int dflt) {
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      long x = Long.parseLong(v);
      return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, x));
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
