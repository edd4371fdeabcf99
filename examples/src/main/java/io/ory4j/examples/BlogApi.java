package io.ory4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.json.OryJson;
import io.ory4j.policy.relations.Permissions;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The example's blog API ({@code /api/posts}), the host app's own endpoint. It has no security code of its own: it
 * sits behind {@code AccessRuleFilter}, which lets a request through only as the blog rules say and tells it who is
 * calling in {@code X-User}. Posts live in memory (the example's point is the pipeline in front, not the storage);
 * ownership lives in the relation tuples ({@code blog:<id>#owner@<author>}), where the delete rule looks for it.
 */
final class BlogApi {

  private final Map<String, Map<String, Object>> posts = new ConcurrentHashMap<>();
  private final OryJson json;
  private final Clock clock;
  private final IdGenerator ids;
  private final Permissions relations;

  BlogApi(OryJson json, Clock clock, IdGenerator ids, Permissions relations) {
    this.json = json;
    this.clock = clock;
    this.ids = ids;
    this.relations = relations;
  }

  /** Routes inside the {@code /api} servlet mapping. */
  Router router() {
    return Router.builder(new OryErrorRenderer(json))
        .get("/posts", r -> HttpResponse.json(200, json.writeBytes(posts.values().stream()
            .sorted(Comparator.comparing(p -> String.valueOf(p.get("created_at")))).toList())))
        .get("/posts/{id}", r -> HttpResponse.json(200, json.writeBytes(find(r))))
        .post("/posts", this::create)
        .delete("/posts/{id}", r -> {
          find(r);
          String id = r.pathParam("id").orElseThrow();
          posts.remove(id);
          relations.deleteAll(new RelationQuery("blog", id, null, null));
          return HttpResponse.noContent();
        })
        .build();
  }

  private Map<String, Object> find(HttpRequest r) {
    Map<String, Object> p = posts.get(r.pathParam("id").orElseThrow());
    if (p == null) {
      throw OryException.notFound("There is no such post.");
    }
    return p;
  }

  private HttpResponse create(HttpRequest r) {
    String author = r.header("X-User").filter(u -> !u.isBlank() && !u.equals("anonymous"))
        .orElseThrow(() -> OryException.unauthorized("Writing a post needs a signed-in user or client."));
    JsonNode body = json.readTree(r.body());
    String title = body.path("title").asText("").trim();
    if (title.isEmpty() || title.length() > 200) {
      throw OryException.invalidField("title", "must have 1 to 200 characters");
    }
    Map<String, Object> post = new LinkedHashMap<>();
    String id = ids.nextString();
    post.put("id", id);
    post.put("title", title);
    post.put("body", body.path("body").asText(""));
    post.put("author", author);
    post.put("created_at", clock.instant().toString());
    relations.insert(RelationTuple.of("blog", id, "owner", author));
    posts.put(id, post);
    return HttpResponse.builder(201).header("Content-Type", "application/json; charset=utf-8")
        .header("Location", "/api/posts/" + id).body(json.writeBytes(post)).build();
  }
}
