package io.ory4j.policy.relations.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.policy.relations.Permissions;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.TestModels;
import io.ory4j.servlet.OryServlet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keto's relation-tuple REST API through the servlet adapter on embedded Jetty, with a real HTTP client. */
class RelationTupleApiJettyTest {

  private static final OryJson JSON = OryJson.create();
  private final HttpClient client = HttpClient.newHttpClient();
  private Server server;
  private URI read;
  private URI write;
  private Permissions permissions;

  @BeforeEach
  void start() throws Exception {
    permissions = Permissions.builder().opl(TestModels.resource("documents.ts")).maxReadDepth(10).build();
    RelationTupleApi api = new RelationTupleApi(permissions, JSON);
    server = new Server();
    ServerConnector readPort = connector("read");
    ServerConnector writePort = connector("write");
    ServletContextHandler readCtx = context("@read", api.readApi());
    ServletContextHandler writeCtx = context("@write", api.writeApi());
    server.setHandler(new org.eclipse.jetty.server.Handler.Sequence(readCtx, writeCtx));
    server.start();
    read = URI.create("http://127.0.0.1:" + readPort.getLocalPort());
    write = URI.create("http://127.0.0.1:" + writePort.getLocalPort());
  }

  private ServerConnector connector(String name) {
    ServerConnector c = new ServerConnector(server);
    c.setName(name);
    c.setHost("127.0.0.1");
    c.setPort(0);
    server.addConnector(c);
    return c;
  }

  private static ServletContextHandler context(String vhost, Router router) {
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setVirtualHosts(java.util.List.of(vhost));
    ctx.addServlet(new ServletHolder(new OryServlet(router)), "/*");
    return ctx;
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  private HttpResponse<String> send(String method, URI base, String target, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(target)).header("Content-Type", "application/json");
    b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    return client.send(b.build(), BodyHandlers.ofString());
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void putThenCheckThenDeleteWhenKetoJsonThenKetoAnswers() throws Exception {
    HttpResponse<String> put = send("PUT", write, "/admin/relation-tuples",
        "{\"namespace\":\"Document\",\"object\":\"readme\",\"relation\":\"owners\",\"subject_id\":\"alice\"}");
    assertEquals(201, put.statusCode(), put.body());
    assertEquals("alice", JSON.readTree(put.body()).get("subject_id").asText());
    assertTrue(put.headers().firstValue("Location").orElseThrow().startsWith("/relation-tuples?namespace=Document"));

    HttpResponse<String> allowed = send("GET", read,
        "/relation-tuples/check?namespace=Document&object=readme&relation=view&subject_id=alice", null);
    assertEquals(200, allowed.statusCode());
    assertEquals("{\"allowed\":true}", allowed.body());
    HttpResponse<String> denied = send("GET", read,
        "/relation-tuples/check?namespace=Document&object=readme&relation=view&subject_id=bob", null);
    assertEquals(403, denied.statusCode());
    assertEquals("{\"allowed\":false}", denied.body());
    assertEquals(200, send("GET", read,
        "/relation-tuples/check/openapi?namespace=Document&object=readme&relation=view&subject_id=bob", null)
        .statusCode());
    HttpResponse<String> post = send("POST", read, "/relation-tuples/check",
        "{\"namespace\":\"Document\",\"object\":\"readme\",\"relation\":\"edit\",\"subject_id\":\"alice\"}");
    assertEquals(200, post.statusCode());

    assertEquals(204, send("DELETE", write,
        "/admin/relation-tuples?namespace=Document&object=readme&relation=owners&subject_id=alice", null).statusCode());
    assertEquals(403, send("GET", read,
        "/relation-tuples/check?namespace=Document&object=readme&relation=view&subject_id=alice", null).statusCode());
  }

  @Test
  void patchWhenValidThenAppliedAndWhenOneBadThenNothingWritten() throws Exception {
    String ok = "[{\"action\":\"insert\",\"relation_tuple\":{\"namespace\":\"Group\",\"object\":\"eng\","
        + "\"relation\":\"members\",\"subject_id\":\"carol\"}},{\"action\":\"insert\",\"relation_tuple\":"
        + "{\"namespace\":\"Document\",\"object\":\"spec\",\"relation\":\"viewers\",\"subject_set\":"
        + "{\"namespace\":\"Group\",\"object\":\"eng\",\"relation\":\"members\"}}}]";
    assertEquals(204, send("PATCH", write, "/admin/relation-tuples", ok).statusCode());
    assertEquals(200, send("GET", read, "/relation-tuples/check?namespace=Document&object=spec&relation=view"
        + "&subject_id=carol", null).statusCode());

    String bad = "[{\"action\":\"insert\",\"relation_tuple\":{\"namespace\":\"Document\",\"object\":\"x\","
        + "\"relation\":\"owners\",\"subject_id\":\"z\"}},{\"action\":\"insert\",\"relation_tuple\":"
        + "{\"namespace\":\"Nope\",\"object\":\"x\",\"relation\":\"owners\",\"subject_id\":\"z\"}}]";
    HttpResponse<String> r = send("PATCH", write, "/admin/relation-tuples", bad);
    assertEquals(400, r.statusCode());
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertEquals(400, error.get("code").asInt());
    assertEquals("namespace", error.get("details").get("field").asText());
    assertEquals(403, send("GET", read, "/relation-tuples/check?namespace=Document&object=x&relation=owners"
        + "&subject_id=z", null).statusCode(), "nothing of the failed patch was written");
    assertEquals(400, send("PATCH", write, "/admin/relation-tuples", "[{\"action\":\"upsert\"}]").statusCode());
  }

  @Test
  void listWhenPagedThenKetoShapeAndNextToken() throws Exception {
    for (int i = 0; i < 5; i++) {
      permissions.insert(RelationTuple.parse("Document:d" + i + "#owners@u"));
    }
    JsonNode page = JSON.readTree(send("GET", read, "/relation-tuples?namespace=Document&page_size=3", null).body());
    assertEquals(3, page.get("relation_tuples").size());
    String token = page.get("next_page_token").asText();
    JsonNode rest = JSON.readTree(send("GET", read, "/relation-tuples?namespace=Document&page_size=3&page_token="
        + q(token), null).body());
    assertEquals(2, rest.get("relation_tuples").size());
    assertEquals("", rest.get("next_page_token").asText());
  }

  @Test
  void expandWhenGroupTreeThenKetoTreeJson() throws Exception {
    permissions.insert(RelationTuple.parse("Group:eng#members@carol"));
    permissions.insert(RelationTuple.parse("Group:all#members@Group:eng#members"));
    HttpResponse<String> r = send("GET", read, "/relation-tuples/expand?namespace=Group&object=all&relation=members"
        + "&max-depth=3", null);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode tree = JSON.readTree(r.body());
    assertEquals("union", tree.get("type").asText());
    assertEquals("all", tree.get("tuple").get("subject_set").get("object").asText());
    JsonNode child = tree.get("children").get(0);
    assertEquals("union", child.get("type").asText());
    assertEquals("leaf", child.get("children").get(0).get("type").asText());
    assertEquals("carol", child.get("children").get(0).get("tuple").get("subject_id").asText());
    assertEquals(404, send("GET", read, "/relation-tuples/expand?namespace=Group&object=none&relation=members", null)
        .statusCode());
  }

  @Test
  void badInputWhenMalformedThen400OryJson() throws Exception {
    assertEquals(400, send("GET", read, "/relation-tuples/check?namespace=Document&object=x&relation=view", null)
        .statusCode());
    assertEquals(400, send("GET", read, "/relation-tuples/check?namespace=Document&object=x&relation=view"
        + "&subject_id=a&subject_set.namespace=Group&subject_set.object=g", null).statusCode());
    assertEquals(400, send("GET", read, "/relation-tuples/check?namespace=Document&object=x&relation=view"
        + "&subject_id=a&max-depth=deep", null).statusCode());
    assertEquals(400, send("PUT", write, "/admin/relation-tuples", "{not json").statusCode());
    HttpResponse<String> perm = send("PUT", write, "/admin/relation-tuples",
        "{\"namespace\":\"Document\",\"object\":\"x\",\"relation\":\"view\",\"subject_id\":\"a\"}");
    assertEquals(400, perm.statusCode(), "tuples are not written for permissions");
    assertEquals(400, send("DELETE", write, "/admin/relation-tuples", null).statusCode());
  }

  @Test
  void batchCheckWhenMixedThenResultPerTuple() throws Exception {
    permissions.insert(RelationTuple.parse("Document:a#owners@u"));
    HttpResponse<String> r = send("POST", read, "/relation-tuples/batch/check", "{\"tuples\":["
        + "{\"namespace\":\"Document\",\"object\":\"a\",\"relation\":\"view\",\"subject_id\":\"u\"},"
        + "{\"namespace\":\"Document\",\"object\":\"a\",\"relation\":\"view\",\"subject_id\":\"v\"},"
        + "{\"namespace\":\"Nope\",\"object\":\"a\",\"relation\":\"view\",\"subject_id\":\"u\"}]}");
    assertEquals(200, r.statusCode());
    JsonNode results = JSON.readTree(r.body()).get("results");
    assertTrue(results.get(0).get("allowed").asBoolean());
    assertEquals(false, results.get(1).get("allowed").asBoolean());
    assertTrue(results.get(2).get("error").asText().contains("Unknown namespace"));
  }

  @Test
  void namespacesAndSyntaxCheckAndObjectsWhenCalledThenKetoShapes() throws Exception {
    JsonNode ns = JSON.readTree(send("GET", read, "/namespaces", null).body());
    assertEquals("User", ns.get("namespaces").get(0).get("name").asText());
    JsonNode ok = JSON.readTree(send("POST", read, "/opl/syntax/check", "class A implements Namespace {}").body());
    assertTrue(ok.path("errors").isMissingNode());
    JsonNode bad = JSON.readTree(send("POST", read, "/opl/syntax/check", "class A implements Namespace {\n  x\n}")
        .body());
    JsonNode e = bad.get("errors").get(0);
    assertEquals(2, e.get("start").get("Line").asInt());
    assertEquals(3, e.get("start").get("column").asInt());
    permissions.insert(RelationTuple.parse("Document:b#viewers@w"));
    permissions.insert(RelationTuple.parse("Document:a#owners@w"));
    JsonNode objects = JSON.readTree(send("GET", read, "/relation-tuples/objects?namespace=Document&relation=view"
        + "&subject_id=w", null).body());
    assertEquals("a", objects.get("objects").get(0).asText());
    assertEquals("b", objects.get("objects").get(1).asText());
  }
}
