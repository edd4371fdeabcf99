package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.accessrules.http.DecisionApi;
import io.ory4j.accessrules.http.ReverseProxy;
import io.ory4j.accessrules.http.RulesApi;
import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.servlet.AccessRuleFilter;
import io.ory4j.servlet.OryServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The three ways in (filter, decision API, reverse proxy) and the rules API, on embedded Jetty with real clients. */
class HttpModesTest {

  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final OryJson JSON = OryJson.create();

  /** The host's endpoint: echoes what it received. */
  static final class Echo extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setContentType("text/plain");
      res.setHeader("X-Upstream", "echo");
      String body = new String(req.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      res.getWriter().write(req.getMethod() + " " + req.getRequestURI() + (req.getQueryString() == null ? ""
          : "?" + req.getQueryString()) + " user=" + req.getHeader("X-User") + " body=" + body);
    }
  }

  static JettyStub upstream;
  static AccessRules rules;

  static AccessRules rules(String upstreamUrl) {
    String headers = "{\"headers\":{\"X-User\":\"{{ print .Subject }}\"}}";
    return AccessRulesTest.defaults()
        .enable(HandlerKind.ERROR_HANDLER, "redirect", "{\"to\":\"https://login.example.com/\"}")
        .rules(
            Rule.builder("public").match("<http|https>://<[^/]+>/public/<.*>", "GET", "POST")
                .authenticator("anonymous").authorizer("allow")
                .mutator(RuleHandler.of("header", JSON.readTree(headers)))
                .upstream(new Upstream(upstreamUrl, false, "/api")).build(),
            Rule.builder("api-public").match("<http|https>://<[^/]+>/api/public/<.*>", "GET", "POST")
                .authenticator("anonymous").authorizer("allow")
                .mutator(RuleHandler.of("header", JSON.readTree(headers)))
                .upstream(new Upstream(upstreamUrl, false, "/api")).build(),
            Rule.builder("admin").match("<http|https>://<[^/]+>/admin/<.*>", "GET")
                .authenticator("anonymous").authorizer("deny").mutator("noop")
                .error(RuleHandler.of("redirect", JSON.readTree("{\"when\":[{\"error\":[\"forbidden\"]}]}")))
                .build())
        .build();
  }

  @BeforeAll
  static void start() {
    upstream = new JettyStub(new Echo(), null);
    rules = rules(upstream.url("/"));
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void filterWhenAllowedThenHostEndpointSeesMutatedHeaders() throws Exception {
    try (JettyStub host = new JettyStub(new Echo(), new AccessRuleFilter(rules))) {
      HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(host.url("/public/a?x=1")))
          .header("X-User", "forged"));
      assertEquals(200, ok.statusCode());
      assertEquals("GET /public/a?x=1 user=anonymous body=", ok.body());
      HttpResponse<String> denied = send(HttpRequest.newBuilder(URI.create(host.url("/admin/users"))));
      assertEquals(302, denied.statusCode());
      assertEquals("https://login.example.com/", denied.headers().firstValue("Location").orElseThrow());
      HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(host.url("/nothing"))));
      assertEquals(404, none.statusCode());
      assertTrue(none.body().contains("\"code\":404"), none.body());
    }
  }

  @Test
  void decisionApiWhenForwardedHeadersThenJudgesOriginalRequest() throws Exception {
    Router api = Router.builder(new OryErrorRenderer(JSON)).mount(new DecisionApi(rules).router())
        .mount(new RulesApi(rules).router()).build();
    try (JettyStub server = new JettyStub(new OryServlet(api), null)) {
      HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(server.url("/decisions/anything")))
          .header("X-Forwarded-Method", "GET").header("X-Forwarded-Proto", "https")
          .header("X-Forwarded-Host", "shop.example.com").header("X-Forwarded-Uri", "/public/cart?id=1"));
      assertEquals(200, ok.statusCode());
      assertEquals("anonymous", ok.headers().firstValue("X-User").orElseThrow());
      HttpResponse<String> path = send(HttpRequest.newBuilder(URI.create(server.url("/decisions/public/x")))
          .POST(HttpRequest.BodyPublishers.ofString("{}")));
      assertEquals(200, path.statusCode());
      HttpResponse<String> denied = send(HttpRequest.newBuilder(URI.create(server.url("/decisions/admin/x"))));
      assertEquals(302, denied.statusCode());
      HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(URI.create(server.url("/decisions/admin/x")))
          .header("X-Forwarded-Method", "DELETE"));
      assertEquals(404, wrongMethod.statusCode());
    }
  }

  @Test
  void rulesApiWhenListedThenOathkeeperShape() throws Exception {
    try (JettyStub server = new JettyStub(new OryServlet(new RulesApi(rules).router()), null)) {
      HttpResponse<String> list = send(HttpRequest.newBuilder(URI.create(server.url("/rules?limit=2&offset=1"))));
      assertEquals(200, list.statusCode());
      var arr = JSON.readTree(list.body());
      assertEquals(2, arr.size());
      assertEquals("api-public", arr.get(0).get("id").asText());
      assertEquals("<http|https>://<[^/]+>/api/public/<.*>", arr.get(0).get("match").get("url").asText());
      HttpResponse<String> one = send(HttpRequest.newBuilder(URI.create(server.url("/rules/admin"))));
      assertEquals("deny", JSON.readTree(one.body()).get("authorizer").get("handler").asText());
      assertEquals(404, send(HttpRequest.newBuilder(URI.create(server.url("/rules/nope")))).statusCode());
      assertEquals(400, send(HttpRequest.newBuilder(URI.create(server.url("/rules?limit=x")))).statusCode());
      HttpResponse<String> jwks = send(HttpRequest.newBuilder(URI.create(server.url("/.well-known/jwks.json"))));
      assertEquals("{\"keys\":[]}", jwks.body());
    }
  }

  @Test
  void reverseProxyWhenAllowedThenForwardsToUpstreamWithStripPath() throws Exception {
    ReverseProxy proxy = new ReverseProxy(rules, CLIENT, Duration.ofSeconds(5));
    try (JettyStub server = new JettyStub(new OryServlet(proxy), null)) {
      HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(server.url("/api/public/items?page=2")))
          .POST(HttpRequest.BodyPublishers.ofString("hello")).header("X-User", "forged"));
      assertEquals(200, ok.statusCode());
      assertEquals("POST /public/items?page=2 user=anonymous body=hello", ok.body());
      assertEquals("echo", ok.headers().firstValue("X-Upstream").orElseThrow());
      assertEquals(302, send(HttpRequest.newBuilder(URI.create(server.url("/admin/x")))).statusCode());
    }
  }

  @Test
  void reverseProxyWhenUpstreamDownThen502InOryFormat() throws Exception {
    AccessRules down = rules("http://127.0.0.1:" + JettyStub.closedPort() + "/");
    try (JettyStub server = new JettyStub(new OryServlet(new ReverseProxy(down, CLIENT, Duration.ofSeconds(5))),
        null)) {
      HttpResponse<String> res = send(HttpRequest.newBuilder(URI.create(server.url("/public/x"))));
      assertEquals(502, res.statusCode());
      assertTrue(res.body().startsWith("{\"error\":"), res.body());
    }
  }
}
