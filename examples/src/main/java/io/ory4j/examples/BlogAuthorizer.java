package io.ory4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.policy.PolicyEngine;
import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.relations.Permissions;
import io.ory4j.policy.relations.RelationTuple;
import java.net.URI;
import java.util.Map;

/**
 * The blog's own decision endpoint for deleting a post, asked by the {@code posts:delete} rule's {@code remote_json}
 * authorizer and answered in process (never served on a port): allowed when an ACP policy allows {@code delete} on
 * {@code blog:posts:<id>} (the moderators' way), or when the relation tuples say the subject may {@code delete}
 * {@code blog:<id>} (its owner, or a member of its moderators). 200 allows, 403 denies, as Keto's check does.
 */
final class BlogAuthorizer {
  /** Where the rule file points the authorizer; routed in process by {@code InProcessHttpClient}. */
  static final URI BASE = URI.create("http://blog.internal/authz");

  private final PolicyEngine acp;
  private final Permissions relations;
  private final OryJson json;

  BlogAuthorizer(PolicyEngine acp, Permissions relations, OryJson json) {
    this.acp = acp;
    this.relations = relations;
    this.json = json;
  }

  Router router() {
    return Router.builder(new OryErrorRenderer(json)).post("/delete-post", r -> {
      JsonNode body = json.readTree(r.body());
      String subject = body.path("subject").asText("");
      String post = body.path("post").asText("");
      if (subject.isEmpty() || post.isEmpty()) {
        throw OryException.badRequest("subject and post are required");
      }
      boolean allowed = acp.isAllowed(new AccessRequest(Flavor.EXACT, subject, "blog:posts:" + post, "delete",
          Map.of())) || relations.check(RelationTuple.of("blog", post, "delete", subject));
      return HttpResponse.json(allowed ? 200 : 403, json.writeBytes(Map.of("allowed", allowed)));
    }).build();
  }
}
