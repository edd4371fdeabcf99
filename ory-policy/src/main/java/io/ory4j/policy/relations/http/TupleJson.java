package io.ory4j.policy.relations.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.json.OryJson;
import io.ory4j.policy.relations.ExpandTree;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.Subject;
import io.ory4j.policy.relations.SubjectId;
import io.ory4j.policy.relations.SubjectSet;
import java.util.Optional;

/** Keto's JSON and URL-query forms of tuples, queries and expand trees. */
final class TupleJson {

  private final OryJson json;

  TupleJson(OryJson json) {
    this.json = json;
  }

  ObjectNode write(RelationTuple t) {
    ObjectNode n = json.object();
    n.put("namespace", t.namespace());
    n.put("object", t.object());
    n.put("relation", t.relation());
    putSubject(n, t.subject());
    return n;
  }

  private void putSubject(ObjectNode n, Subject s) {
    if (s instanceof SubjectId id) {
      n.put("subject_id", id.id());
    } else {
      SubjectSet set = (SubjectSet) s;
      ObjectNode ss = n.putObject("subject_set");
      ss.put("namespace", set.namespace());
      ss.put("object", set.object());
      ss.put("relation", set.relation());
    }
  }

  ObjectNode write(ExpandTree t) {
    ObjectNode n = json.object();
    n.put("type", t.type());
    if (!t.children().isEmpty()) {
      var children = n.putArray("children");
      t.children().forEach(c -> children.add(write(c)));
    }
    ObjectNode tuple = n.putObject("tuple");
    tuple.put("namespace", "");
    tuple.put("object", "");
    tuple.put("relation", "");
    putSubject(tuple, t.subject());
    return n;
  }

  /** A tuple from a JSON body. */
  RelationTuple readTuple(JsonNode n, String path) {
    if (n == null || !n.isObject()) {
      throw OryException.badRequest("The relation tuple at " + path + " must be a JSON object.");
    }
    if (n.has("subject")) {
      throw OryException.badRequest("provide \"subject_id\" or \"subject_set.*\"; support for \"subject\" was dropped");
    }
    return new RelationTuple(text(n, "namespace"), text(n, "object"), text(n, "relation"), subject(n));
  }

  private Subject subject(JsonNode n) {
    boolean hasId = n.hasNonNull("subject_id");
    boolean hasSet = n.hasNonNull("subject_set");
    if (hasId && hasSet) {
      throw OryException.badRequest("exactly one of subject_set or subject_id has to be provided");
    }
    if (hasId) {
      return new SubjectId(text(n, "subject_id"));
    }
    if (hasSet) {
      JsonNode s = n.get("subject_set");
      if (!s.isObject()) {
        throw OryException.badRequest("\"subject_set\" must be an object with namespace, object and relation");
      }
      return new SubjectSet(text(s, "namespace"), text(s, "object"), s.hasNonNull("relation") ? text(s, "relation")
          : "");
    }
    throw OryException.badRequest("incomplete subject, provide \"subject_id\" or a complete \"subject_set.*\"");
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual()) {
      throw OryException.badRequest("\"" + field + "\" must be a string").withDetail("field", field);
    }
    return v.asText();
  }

  /** A complete tuple from URL query parameters. */
  static RelationTuple tupleFromQuery(HttpRequest r) {
    Subject s = subjectFromQuery(r).orElseThrow(() -> OryException.badRequest(
        "incomplete subject, provide \"subject_id\" or a complete \"subject_set.*\""));
    return new RelationTuple(r.queryParam("namespace").orElse(""), r.queryParam("object").orElse(""),
        r.queryParam("relation").orElse(""), s);
  }

  /** A query (every field optional) from URL query parameters. */
  static RelationQuery queryFromQuery(HttpRequest r) {
    return new RelationQuery(blankToNull(r.queryParam("namespace")), blankToNull(r.queryParam("object")),
        blankToNull(r.queryParam("relation")), subjectFromQuery(r).orElse(null));
  }

  static Optional<Subject> subjectFromQuery(HttpRequest r) {
    if (r.queryParam("subject").isPresent()) {
      throw OryException.badRequest("provide \"subject_id\" or \"subject_set.*\"; support for \"subject\" was dropped");
    }
    Optional<String> id = r.queryParam("subject_id");
    Optional<String> ns = r.queryParam("subject_set.namespace");
    Optional<String> obj = r.queryParam("subject_set.object");
    Optional<String> rel = r.queryParam("subject_set.relation");
    boolean anySet = ns.isPresent() || obj.isPresent() || rel.isPresent();
    if (id.isPresent() && anySet) {
      throw OryException.badRequest("exactly one of subject_set or subject_id has to be provided");
    }
    if (id.isPresent()) {
      return Optional.of(new SubjectId(id.get()));
    }
    if (anySet) {
      if (ns.isEmpty() || obj.isEmpty()) {
        throw OryException.badRequest("incomplete subject, provide \"subject_id\" or a complete \"subject_set.*\"");
      }
      return Optional.of(new SubjectSet(ns.get(), obj.get(), rel.orElse("")));
    }
    return Optional.empty();
  }

  static String toQueryString(RelationTuple t) {
    StringBuilder sb = new StringBuilder();
    sb.append("namespace=").append(enc(t.namespace())).append("&object=").append(enc(t.object()))
        .append("&relation=").append(enc(t.relation()));
    if (t.subject() instanceof SubjectId id) {
      sb.append("&subject_id=").append(enc(id.id()));
    } else {
      SubjectSet s = (SubjectSet) t.subject();
      sb.append("&subject_set.namespace=").append(enc(s.namespace())).append("&subject_set.object=")
          .append(enc(s.object())).append("&subject_set.relation=").append(enc(s.relation()));
    }
    return sb.toString();
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String blankToNull(Optional<String> v) {
    return v.filter(s -> !s.isEmpty()).orElse(null);
  }

  /** The {@code max-depth} query parameter; 0 when absent (meaning the configured maximum). */
  static int maxDepth(HttpRequest r) {
    Optional<String> v = r.queryParam("max-depth");
    if (v.isEmpty() || v.get().isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw OryException.badRequest("unable to parse \"max-depth\" query parameter: \"" + v.get()
          + "\" is not a number").withDetail("field", "max-depth");
    }
  }
}
