package io.ory4j.policy.relations.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.policy.relations.ExpandTree;
import io.ory4j.policy.relations.Namespace;
import io.ory4j.policy.relations.PatchDelta;
import io.ory4j.policy.relations.Permissions;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.Subject;
import io.ory4j.policy.relations.SubjectSet;
import io.ory4j.policy.relations.opl.OplError;
import io.ory4j.policy.relations.opl.OplParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Keto's relation-tuple REST API over {@link Permissions}, on Keto's paths and JSON.
 *
 * <p>{@link #readApi()} (Keto's read port): {@code GET|POST /relation-tuples/check} (200 or 403),
 * {@code GET|POST /relation-tuples/check/openapi} (always 200), {@code POST /relation-tuples/batch/check},
 * {@code GET /relation-tuples}, {@code GET /relation-tuples/expand}, {@code GET /namespaces},
 * {@code POST /opl/syntax/check}, and, beyond Keto, {@code GET /relation-tuples/objects} (the objects a subject
 * reaches). {@link #writeApi()} (Keto's write port): {@code PUT}, {@code DELETE} and {@code PATCH}
 * {@code /admin/relation-tuples}. Errors are Ory's error JSON.
 */
public final class RelationTupleApi {

  private final Permissions permissions;
  private final OryJson json;
  private final TupleJson tuples;

  public RelationTupleApi(Permissions permissions, OryJson json) {
    this.permissions = Objects.requireNonNull(permissions, "permissions");
    this.json = Objects.requireNonNull(json, "json");
    this.tuples = new TupleJson(json);
  }

  /** The read API. */
  public Router readApi() {
    return Router.builder(new OryErrorRenderer(json))
        .get("/relation-tuples/check", r -> check(r, TupleJson.tupleFromQuery(r), false))
        .post("/relation-tuples/check", r -> check(r, bodyTuple(r), false))
        .get("/relation-tuples/check/openapi", r -> check(r, TupleJson.tupleFromQuery(r), true))
        .post("/relation-tuples/check/openapi", r -> check(r, bodyTuple(r), true))
        .post("/relation-tuples/batch/check", this::batchCheck)
        .get("/relation-tuples", this::list)
        .get("/relation-tuples/expand", this::expand)
        .get("/relation-tuples/objects", this::listObjects)
        .get("/namespaces", this::namespaces)
        .post("/opl/syntax/check", this::syntaxCheck)
        .build();
  }

  /** The write API. */
  public Router writeApi() {
    return Router.builder(new OryErrorRenderer(json))
        .put("/admin/relation-tuples", this::put)
        .delete("/admin/relation-tuples", this::deleteByQuery)
        .patch("/admin/relation-tuples", this::patch)
        .build();
  }

  private RelationTuple bodyTuple(HttpRequest r) {
    return tuples.readTuple(json.readTree(r.body()), "the body");
  }

  private HttpResponse check(HttpRequest r, RelationTuple t, boolean alwaysOk) {
    boolean allowed = permissions.check(t, TupleJson.maxDepth(r));
    return HttpResponse.json(allowed || alwaysOk ? 200 : 403, json.writeBytes(Map.of("allowed", allowed)));
  }

  private HttpResponse batchCheck(HttpRequest r) {
    JsonNode body = json.readTree(r.body());
    JsonNode list = body.get("tuples");
    if (list == null || !list.isArray()) {
      throw OryException.badRequest("The body must be {\"tuples\": [...]}.").withDetail("field", "tuples");
    }
    List<RelationTuple> ts = new ArrayList<>();
    List<String> parseErrors = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      try {
        ts.add(tuples.readTuple(list.get(i), "/tuples/" + i));
        parseErrors.add(null);
      } catch (OryException e) {
        ts.add(null);
        parseErrors.add(e.getMessage());
      }
    }
    List<RelationTuple> valid = ts.stream().filter(Objects::nonNull).toList();
    List<Permissions.BatchResult> results = permissions.batchCheck(valid, TupleJson.maxDepth(r));
    ArrayNode out = json.mapper().createArrayNode();
    int k = 0;
    for (int i = 0; i < ts.size(); i++) {
      ObjectNode n = out.addObject();
      if (ts.get(i) == null) {
        n.put("allowed", false);
        n.put("error", parseErrors.get(i));
      } else {
        Permissions.BatchResult br = results.get(k++);
        n.put("allowed", br.allowed());
        if (br.error() != null) {
          n.put("error", br.error());
        }
      }
    }
    ObjectNode body2 = json.object();
    body2.set("results", out);
    return HttpResponse.json(200, json.writeBytes(body2));
  }

  private HttpResponse list(HttpRequest r) {
    PageRequest page = pageRequest(r, 100);
    Page<RelationTuple> p = permissions.list(TupleJson.queryFromQuery(r), page);
    ObjectNode body = json.object();
    ArrayNode arr = body.putArray("relation_tuples");
    p.items().forEach(t -> arr.add(tuples.write(t)));
    body.put("next_page_token", p.nextPageToken() == null ? "" : p.nextPageToken());
    return HttpResponse.json(200, json.writeBytes(body));
  }

  private HttpResponse expand(HttpRequest r) {
    SubjectSet set = new SubjectSet(r.queryParam("namespace").orElse(""), r.queryParam("object").orElse(""),
        r.queryParam("relation").orElse(""));
    if (set.relation().isEmpty()) {
      throw OryException.badRequest("incomplete subject set: \"relation\" is required").withDetail("field",
          "relation");
    }
    ExpandTree tree = permissions.expand(set, TupleJson.maxDepth(r)).orElseThrow(() -> OryException.notFound(
        "no relation tuple found").withReason("the subject set " + set + " has no subjects"));
    return HttpResponse.json(200, json.writeBytes(tuples.write(tree)));
  }

  private HttpResponse listObjects(HttpRequest r) {
    Subject subject = TupleJson.subjectFromQuery(r).orElseThrow(() -> OryException.badRequest(
        "incomplete subject, provide \"subject_id\" or a complete \"subject_set.*\""));
    String namespace = r.queryParam("namespace").orElseThrow(() -> OryException.invalidField("namespace",
        "is required"));
    String relation = r.queryParam("relation").orElseThrow(() -> OryException.invalidField("relation",
        "is required"));
    Page<String> p = permissions.listObjects(namespace, relation, subject, pageRequest(r, 100));
    ObjectNode body = json.object();
    ArrayNode arr = body.putArray("objects");
    p.items().forEach(arr::add);
    body.put("next_page_token", p.nextPageToken() == null ? "" : p.nextPageToken());
    return HttpResponse.json(200, json.writeBytes(body));
  }

  private HttpResponse namespaces(HttpRequest r) {
    ObjectNode body = json.object();
    ArrayNode arr = body.putArray("namespaces");
    for (Namespace n : permissions.namespaces()) {
      arr.addObject().put("name", n.name());
    }
    return HttpResponse.json(200, json.writeBytes(body));
  }

  private HttpResponse syntaxCheck(HttpRequest r) {
    OplParseResult result = Permissions.checkSyntax(r.bodyText());
    ObjectNode body = json.object();
    if (!result.errors().isEmpty()) {
      ArrayNode arr = body.putArray("errors");
      for (OplError e : result.errors()) {
        arr.add(json.toTree(e));
      }
    }
    return HttpResponse.json(200, json.writeBytes(body));
  }

  private HttpResponse put(HttpRequest r) {
    RelationTuple t = bodyTuple(r);
    permissions.insert(t);
    return HttpResponse.builder(201).header("Content-Type", "application/json; charset=utf-8")
        .header("Location", "/relation-tuples?" + TupleJson.toQueryString(t))
        .body(json.writeBytes(tuples.write(t))).build();
  }

  private HttpResponse deleteByQuery(HttpRequest r) {
    RelationQuery q = TupleJson.queryFromQuery(r);
    permissions.deleteAll(q);
    return HttpResponse.noContent();
  }

  private HttpResponse patch(HttpRequest r) {
    JsonNode body = json.readTree(r.body());
    if (!body.isArray()) {
      throw OryException.badRequest("The body must be a JSON array of patch deltas.");
    }
    List<PatchDelta> deltas = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      JsonNode d = body.get(i);
      String action = d.path("action").asText("");
      PatchDelta.Action a = switch (action.toLowerCase(Locale.ROOT)) {
        case "insert" -> PatchDelta.Action.INSERT;
        case "delete" -> PatchDelta.Action.DELETE;
        default -> throw OryException.badRequest("unknown action \"" + action + "\" at /" + i
            + "/action; expected insert or delete").withDetail("field", "/" + i + "/action");
      };
      deltas.add(new PatchDelta(a, tuples.readTuple(d.get("relation_tuple"), "/" + i + "/relation_tuple")));
    }
    permissions.patch(deltas);
    return HttpResponse.noContent();
  }

  private static PageRequest pageRequest(HttpRequest r, int defaultSize) {
    String size = r.queryParam("page_size").orElse(null);
    return PageRequest.parse(size == null || size.isEmpty() ? String.valueOf(defaultSize) : size,
        r.queryParam("page_token").orElse(null));
  }
}
