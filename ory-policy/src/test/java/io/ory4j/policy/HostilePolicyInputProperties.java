package io.ory4j.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.PolicyFilter;
import io.ory4j.policy.relations.Permissions;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.TestModels;
import io.ory4j.policy.relations.http.RelationTupleApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

/**
 * Hostile ACP policies, roles, access requests and relation tuples at Keto's HTTP APIs (issue #11): every answer is a
 * decision or a client error in Ory's error JSON, never a 500 or a hang; a refused write leaves the stores as they
 * were.
 */
class HostilePolicyInputProperties {

  private static final OryJson JSON = OryJson.create();
  private static final Permissions RELATIONS = Permissions.builder().opl(TestModels.resource("documents.ts"))
      .maxReadDepth(10).build();
  private static final PolicyEngine ENGINE = PolicyEngine.builder().relations(RELATIONS).build();
  private static final RelationTupleApi TUPLES = new RelationTupleApi(RELATIONS, JSON);

  static {
    for (String t : List.of("Group:admins#members@ada", "Folder:f1#owners@Group:admins#members",
        "Document:doc1#parents@Folder:f1", "Document:doc1#viewers@bob")) {
      RELATIONS.insert(RelationTuple.parse(t));
    }
  }

  private static long tuples() {
    long n = 0;
    String token = null;
    do {
      Page<RelationTuple> page = RELATIONS.list(RelationQuery.all(), new PageRequest(1000, token));
      n += page.items().size();
      token = page.nextPageToken();
    } while (token != null);
    return n;
  }

  private static int policies() {
    int n = 0;
    for (Flavor f : Flavor.values()) {
      n += ENGINE.listPolicies(f, new PolicyFilter(null, null, null), 100_000, 0).size();
    }
    return n;
  }

  private static final List<String> POLICY_FIELDS = List.of("id", "description", "subjects", "resources", "actions",
      "effect", "conditions", "subject", "resource", "action", "context", "members", "type", "options", "meta");

  @Provide
  Arbitrary<String> value() {
    Arbitrary<String> pattern = Arbitraries.of("<.*>", "<(a+)+$>", "<[>", "<.*", "keys:<[0-9]+>", "<(?=x)>",
        "<\\\\>", "<a{1000000}>", "users:<(a|aa)+>", "<>", "<<>>", "<.*>:<.*>:<.*>", "ada", "", "<\\d{99999}>",
        "<(?i)ADA>", "<(?P<n>x)>", "<\\p{Nd}+>");
    Arbitrary<String> scalar = Arbitraries.oneOf(pattern.map(JSON::write),
        Arbitraries.strings().ofMaxLength(20).map(JSON::write),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.of("null", "true", "1e400", "\"allow\"", "\"deny\"", "\"\\u0000\"", "\"\\ud800\"", "{}", "[]",
            "{\"type\":\"StringEqualCondition\",\"options\":{\"equals\":5}}",
            "{\"type\":\"CIDRCondition\",\"options\":{\"cidr\":\"300.1.1.1/99\"}}",
            "{\"type\":\"StringMatchCondition\",\"options\":{\"matches\":\"(a+)+$\"}}",
            "{\"type\":\"TimeInterval\",\"options\":{\"after\":\"yesterday\"}}",
            "{\"type\":\"NoSuchCondition\"}", "{\"type\":7,\"options\":[]}",
            "{\"ip\":{\"type\":\"CIDRCondition\",\"options\":{\"cidr\":\"10.0.0.0/8\"}}}"));
    Arbitrary<String> list = scalar.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
    Arbitrary<String> deep = Arbitraries.integers().between(1, 3_000).map(d -> "[".repeat(d) + "]".repeat(d));
    return Arbitraries.frequencyOf(Tuple.of(5, scalar), Tuple.of(5, list), Tuple.of(1, deep));
  }

  @Provide
  Arbitrary<String> body() {
    Arbitrary<String> field = Combinators.combine(Arbitraries.of(POLICY_FIELDS), value())
        .as((k, v) -> "\"" + k + "\":" + v);
    return Arbitraries.frequencyOf(
        Tuple.of(10, field.list().ofMaxSize(7).map(l -> "{" + String.join(",", l) + "}")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(30)),
        Tuple.of(1, Arbitraries.of("", "null", "[]", "{", "\"x\"", "{\"id\":\"a\",\"id\":\"b\"}")));
  }

  @Provide
  Arbitrary<String> acpTarget() {
    return Arbitraries.of("POST allowed", "PUT policies", "GET policies?subject=", "GET policies?limit=",
        "GET policies/", "DELETE policies/", "PUT roles", "GET roles?member=", "GET roles/", "PUT roles/r/members",
        "DELETE roles/r/members/", "GET policies?offset=");
  }

  @Property(tries = 2_000)
  void acpWhenHostileInputThenDecisionOrClientErrorAndNothingHalfWritten(@ForAll("acpTarget") String target,
      @ForAll("body") String body, @ForAll("value") String param,
      @ForAll("flavor") String flavor) {
    String[] mp = target.split(" ", 2);
    String path = "/engines/acp/ory/" + flavor + "/" + mp[1];
    if (path.endsWith("=") || path.endsWith("/")) {
      path += URLEncoder.encode(param, StandardCharsets.UTF_8);
    }
    int policiesBefore = policies();
    HttpResponse r = ENGINE.acpApi(JSON).handle(HttpRequest.builder().method(mp[0]).scheme("http").host("keto")
        .target(path).header("Content-Type", "application/json").body(body).build());
    String said = target + " (" + flavor + ") " + body + " -> " + r.status() + " " + r.bodyText();
    Statistics.collect(r.status() / 100 + "xx");
    assertTrue(r.status() < 500, said);
    if (r.status() >= 400 && r.status() != 403) {
      assertTrue(JSON.readTree(r.bodyText()).path("error").has("code"), () -> "an Ory error: " + said);
    }
    if (r.status() >= 400 && mp[1].equals("policies")) {
      int after = policies();
      assertEquals(policiesBefore, after, () -> "a refused policy was written: " + said);
    }
  }

  @Provide
  Arbitrary<String> flavor() {
    return Arbitraries.of("exact", "glob", "regex", "EXACT", "nope", "");
  }

  @Provide
  Arbitrary<String> tupleValue() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
        Arbitraries.of("Document", "Folder", "Group", "User", "viewers", "owners", "view", "edit", "members",
            "doc1", "ada", "Group:admins#members", "Group:admins#", "#members", ":", "", "Nope", "\u0000",
            "a".repeat(5_000), "Folder:f1", "..", "%"));
  }

  @Provide
  Arbitrary<String> tupleQuery() {
    Arbitrary<String> pair = Combinators.combine(Arbitraries.of("namespace", "object", "relation", "subject_id",
        "subject_set.namespace", "subject_set.object", "subject_set.relation", "max-depth", "page_size",
        "page_token", "subject"), tupleValue())
        .as((k, v) -> k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
    return pair.list().ofMaxSize(7).map(l -> String.join("&", l));
  }

  @Provide
  Arbitrary<String> tupleBody() {
    Arbitrary<String> v = Arbitraries.oneOf(tupleValue().map(JSON::write),
        Arbitraries.of("null", "5", "[]", "{}", "{\"namespace\":\"Group\",\"object\":\"g\",\"relation\":5}"));
    Arbitrary<String> field = Combinators.combine(Arbitraries.of("namespace", "object", "relation", "subject_id",
        "subject_set", "action", "relation_tuple", "tuples", "max_depth"), v).as((k, x) -> "\"" + k + "\":" + x);
    Arbitrary<String> tuple = field.list().ofMaxSize(6).map(l -> "{" + String.join(",", l) + "}");
    Arbitrary<String> patch = Combinators.combine(Arbitraries.of("\"insert\"", "\"delete\"", "\"upsert\"", "5"),
        tuple).as((a, t) -> "{\"action\":" + a + ",\"relation_tuple\":" + t + "}");
    return Arbitraries.oneOf(tuple, patch.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
        tuple.list().ofMaxSize(3).map(l -> "{\"tuples\":[" + String.join(",", l) + "]}"),
        Arbitraries.of("", "{", "null", "[1]", "\"x\""));
  }

  @Provide
  Arbitrary<String> tupleTarget() {
    return Arbitraries.of("read GET /relation-tuples", "read GET /relation-tuples/check",
        "read POST /relation-tuples/check", "read GET /relation-tuples/check/openapi",
        "read POST /relation-tuples/batch/check", "read GET /relation-tuples/expand",
        "read GET /relation-tuples/objects", "read GET /namespaces", "read POST /opl/syntax/check",
        "write PUT /admin/relation-tuples", "write PATCH /admin/relation-tuples",
        "write DELETE /admin/relation-tuples");
  }

  @Property(tries = 2_000)
  void tuplesWhenHostileInputThenAnswerOrClientErrorAndNothingHalfWritten(@ForAll("tupleTarget") String target,
      @ForAll("tupleQuery") String query, @ForAll("tupleBody") String body) {
    String[] parts = target.split(" ", 3);
    long before = tuples();
    HttpRequest request = HttpRequest.builder().method(parts[1]).scheme("http").host("keto")
        .target(parts[2] + "?" + query).header("Content-Type", "application/json").body(body).build();
    HttpResponse r = (parts[0].equals("read") ? TUPLES.readApi() : TUPLES.writeApi()).handle(request);
    String said = target + "?" + query + " " + body + " -> " + r.status() + " " + r.bodyText();
    Statistics.collect(r.status() / 100 + "xx");
    assertTrue(r.status() < 500, said);
    if (r.status() >= 400 && r.status() != 403) {
      assertTrue(JSON.readTree(r.bodyText()).path("error").has("code"), () -> "an Ory error: " + said);
    }
    if (r.status() >= 400 && parts[0].equals("write")) {
      assertEquals(before, tuples(), () -> "a refused write changed the tuples: " + said);
    }
  }
}
