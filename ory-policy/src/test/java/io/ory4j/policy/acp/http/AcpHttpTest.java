package io.ory4j.policy.acp.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ory4j.policy.PolicyEngine;
import io.ory4j.servlet.OryServlet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Keto v0.5's ACP HTTP API through OryServlet on embedded Jetty, with a real client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AcpHttpTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Server server;
  private String base;
  private final HttpClient client = HttpClient.newHttpClient();
  private final ServletHolderSwitch handler = new ServletHolderSwitch();

  /** Lets each test start with a fresh engine behind the same server. */
  static final class ServletHolderSwitch implements io.ory4j.core.http.HttpHandler {
    volatile io.ory4j.core.http.HttpHandler delegate;

    @Override
    public io.ory4j.core.http.HttpResponse handle(io.ory4j.core.http.HttpRequest request) {
      return delegate.handle(request);
    }
  }

  @BeforeAll
  void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new OryServlet(handler)), "/*");
    server.setHandler(context);
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
  }

  @BeforeEach
  void freshEngine() {
    handler.delegate = PolicyEngine.builder().build().acpApi();
  }

  record Reply(int status, JsonNode body) {}

  private Reply send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body().isEmpty() ? null : MAPPER.readTree(r.body()));
  }

  private static final String POLICY = """
      {"id": "articles", "description": "readers", "subjects": ["users:<alice|bob>", "readers"],
       "resources": ["resources:articles:<.*>"], "actions": ["get"], "effect": "allow",
       "conditions": {"remoteIP": {"type": "CIDRCondition", "options": {"cidr": "10.0.0.0/8"}}}}""";

  @Test
  void allowedWhenOathkeeperStyleRequestThen200Or403() throws Exception {
    assertEquals(200, send("PUT", "/engines/acp/ory/regex/policies", POLICY).status());
    Reply ok = send("POST", "/engines/acp/ory/regex/allowed",
        "{\"subject\":\"users:alice\",\"resource\":\"resources:articles:1\",\"action\":\"get\","
            + "\"context\":{\"remoteIP\":\"10.1.2.3\"}}");
    assertEquals(200, ok.status());
    assertEquals("{\"allowed\":true}", ok.body().toString());
    Reply no = send("POST", "/engines/acp/ory/regex/allowed",
        "{\"subject\":\"users:alice\",\"resource\":\"resources:articles:1\",\"action\":\"get\","
            + "\"context\":{\"remoteIP\":\"192.168.0.1\"}}");
    assertEquals(403, no.status());
    assertEquals("{\"allowed\":false}", no.body().toString());
  }

  @Test
  void allowedWhenUnknownFieldOrMalformedThen400() throws Exception {
    Reply r = send("POST", "/engines/acp/ory/exact/allowed", "{\"subject\":\"a\",\"subjekt\":\"b\"}");
    assertEquals(400, r.status());
    assertEquals("subjekt", r.body().at("/error/details/field").asText());
    assertEquals(400, send("POST", "/engines/acp/ory/exact/allowed", "{\"subject\":").status());
    assertEquals(400, send("POST", "/engines/acp/ory/exact/allowed", "{\"subject\": 1}").status());
    assertEquals(400, send("POST", "/engines/acp/ory/exact/allowed", null).status());
  }

  @Test
  void allowedWhenFieldNamesInOtherCaseThenAcceptedAsGoDecoderDoes() throws Exception {
    send("PUT", "/engines/acp/ory/exact/policies", "{\"ID\":\"p\",\"Subjects\":[\"a\"],\"Resources\":[\"r\"],"
        + "\"Actions\":[\"x\"],\"Effect\":\"allow\"}");
    assertEquals(200, send("POST", "/engines/acp/ory/exact/allowed",
        "{\"Subject\":\"a\",\"Resource\":\"r\",\"ACTION\":\"x\"}").status());
  }

  @Test
  void requestWhenUnknownFlavorThen404() throws Exception {
    Reply r = send("POST", "/engines/acp/ory/fuzzy/allowed", "{}");
    assertEquals(404, r.status());
    assertEquals(404, r.body().at("/error/code").asInt());
  }

  @Test
  void policiesWhenCrudThenKetoJson() throws Exception {
    Reply put = send("PUT", "/engines/acp/ory/regex/policies", POLICY);
    assertEquals(200, put.status());
    assertEquals(MAPPER.readTree(POLICY), put.body());
    assertEquals(MAPPER.readTree(POLICY), send("GET", "/engines/acp/ory/regex/policies/articles", null).body());
    assertEquals(404, send("GET", "/engines/acp/ory/glob/policies/articles", null).status());
    Reply list = send("GET", "/engines/acp/ory/regex/policies?subject=readers&limit=10&offset=0", null);
    assertEquals(1, list.body().size());
    assertEquals(0, send("GET", "/engines/acp/ory/regex/policies?subject=users:alice", null).body().size());
    assertEquals(0, send("GET", "/engines/acp/ory/regex/policies?offset=1", null).body().size());
    assertEquals(204, send("DELETE", "/engines/acp/ory/regex/policies/articles", null).status());
    assertEquals(404, send("GET", "/engines/acp/ory/regex/policies/articles", null).status());
  }

  @Test
  void policiesWhenNoIdThenUuidAssigned() throws Exception {
    Reply put = send("PUT", "/engines/acp/ory/exact/policies", "{\"subjects\":[\"a\"],\"effect\":\"deny\"}");
    assertEquals(200, put.status());
    assertEquals(36, put.body().get("id").asText().length());
    assertEquals("deny", put.body().get("effect").asText());
  }

  @Test
  void policiesWhenListedThenLimitCappedAndPaged() throws Exception {
    for (int i = 0; i < 7; i++) {
      send("PUT", "/engines/acp/ory/glob/policies", "{\"id\":\"p" + i + "\",\"effect\":\"allow\"}");
    }
    assertEquals(7, send("GET", "/engines/acp/ory/glob/policies", null).body().size());
    JsonNode page = send("GET", "/engines/acp/ory/glob/policies?limit=2&offset=3", null).body();
    assertEquals("p3", page.get(0).get("id").asText());
    assertEquals(2, page.size());
    assertEquals(7, send("GET", "/engines/acp/ory/glob/policies?limit=abc", null).body().size());
  }

  @Test
  void upsertPolicyWhenInvalidThen400NamingFieldAndNothingStored() throws Exception {
    String[][] cases = {
        {"{\"id\":\"p\",\"effect\":\"permit\"}", "effect"},
        {"{\"id\":\"p\",\"effect\":\"allow\",\"conditions\":{\"k\":{\"type\":\"NoSuchCondition\"}}}",
            "conditions.k.type"},
        {"{\"id\":\"p\",\"effect\":\"allow\",\"resources\":[\"<[>\"]}", "resources[0]"},
        {"{\"id\":\"p\",\"effect\":\"allow\",\"subjects\":\"alice\"}", "subjects"},
        {"{\"id\":\"p\",\"effect\":\"allow\",\"actions\":[1]}", "actions[0]"},
        {"{\"id\":\"p\",\"effect\":\"allow\",\"conditions\":{\"ip\":{\"type\":\"CIDRCondition\","
            + "\"options\":{\"cidr\":\"10.0.0.0/33\"}}}}", "conditions.ip.options.cidr"},
        {"{\"id\":\"p\",\"effect\":\"allow\",\"conditions\":{\"x\":{\"type\":\"BooleanCondition\","
            + "\"options\":{\"value\":\"yes\"}}}}", "conditions.x.options.value"}};
    for (String[] c : cases) {
      Reply r = send("PUT", "/engines/acp/ory/regex/policies", c[0]);
      assertEquals(400, r.status(), c[0]);
      assertEquals(c[1], r.body().at("/error/details/field").asText(), c[0]);
      assertTrue(r.body().at("/error/reason").asText().contains(c[1]), r.body().toString());
    }
    assertEquals(400, send("PUT", "/engines/acp/ory/regex/policies", "{not json").status());
    assertEquals(400, send("PUT", "/engines/acp/ory/regex/policies", "[]").status());
    assertEquals(0, send("GET", "/engines/acp/ory/regex/policies", null).body().size());
  }

  @Test
  void rolesWhenInvalidThen400NamingFieldAndNothingStored() throws Exception {
    Reply r = send("PUT", "/engines/acp/ory/exact/roles", "{\"id\":\"r\",\"members\":\"alice\"}");
    assertEquals(400, r.status());
    assertEquals("members", r.body().at("/error/details/field").asText());
    Reply m = send("PUT", "/engines/acp/ory/exact/roles/r/members", "{\"members\":[\"a\",2]}");
    assertEquals("members[1]", m.body().at("/error/details/field").asText());
    Reply id = send("PUT", "/engines/acp/ory/exact/policies", "{\"id\":\"" + "x".repeat(192)
        + "\",\"effect\":\"allow\"}");
    assertEquals("id", id.body().at("/error/details/field").asText());
    assertEquals(0, send("GET", "/engines/acp/ory/exact/roles", null).body().size());
    assertEquals(0, send("GET", "/engines/acp/ory/exact/policies", null).body().size());
  }

  @Test
  void rolesWhenMembersAddedAndRemovedThenRoleJson() throws Exception {
    Reply added = send("PUT", "/engines/acp/ory/exact/roles/admins/members", "{\"members\":[\"alice\",\"bob\"]}");
    assertEquals(200, added.status());
    assertEquals("{\"id\":\"admins\",\"members\":[\"alice\",\"bob\"]}", added.body().toString());
    send("PUT", "/engines/acp/ory/exact/roles", "{\"id\":\"editors\",\"members\":[\"bob\"]}");
    assertEquals(2, send("GET", "/engines/acp/ory/exact/roles?member=bob", null).body().size());
    assertEquals(1, send("GET", "/engines/acp/ory/exact/roles?member=alice", null).body().size());
    Reply removed = send("DELETE", "/engines/acp/ory/exact/roles/admins/members/"
        + URLEncoder.encode("alice", StandardCharsets.UTF_8), null);
    assertEquals(200, removed.status());
    assertEquals("{\"id\":\"admins\",\"members\":[\"bob\"]}", removed.body().toString());
    assertEquals(404, send("DELETE", "/engines/acp/ory/exact/roles/nobody/members/alice", null).status());
    assertEquals("{\"id\":\"editors\",\"members\":[\"bob\"]}",
        send("GET", "/engines/acp/ory/exact/roles/editors", null).body().toString());
    assertEquals(204, send("DELETE", "/engines/acp/ory/exact/roles/editors", null).status());
    assertEquals(404, send("GET", "/engines/acp/ory/exact/roles/editors", null).status());
  }

  @Test
  void allowedWhenSubjectInRoleThenRolePolicyApplies() throws Exception {
    send("PUT", "/engines/acp/ory/glob/policies", "{\"id\":\"p\",\"subjects\":[\"roles:*\"],"
        + "\"resources\":[\"articles:**\"],\"actions\":[\"delete\"],\"effect\":\"allow\"}");
    send("PUT", "/engines/acp/ory/glob/roles/roles:admin/members", "{\"members\":[\"alice\"]}");
    assertEquals(200, send("POST", "/engines/acp/ory/glob/allowed",
        "{\"subject\":\"alice\",\"resource\":\"articles:1:comments:2\",\"action\":\"delete\"}").status());
    assertEquals(403, send("POST", "/engines/acp/ory/glob/allowed",
        "{\"subject\":\"bob\",\"resource\":\"articles:1\",\"action\":\"delete\"}").status());
  }
}
