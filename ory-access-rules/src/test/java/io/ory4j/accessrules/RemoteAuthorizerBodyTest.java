package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.accessrules.http.DecisionApi;
import io.ory4j.accessrules.http.ReverseProxy;
import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.json.OryJson;
import io.ory4j.servlet.AccessRuleFilter;
import io.ory4j.servlet.OryServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Oathkeeper's {@code remote} authorizer posts the request body to the remote; the host's endpoint (filter) and the
 * upstream (streaming proxy) must still receive it intact. Real servers on embedded Jetty: a remote authorizer, a
 * host app behind {@code AccessRuleFilter}, a streaming proxy and its upstream, the decision API.
 */
class RemoteAuthorizerBodyTest {

  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final OryJson JSON = OryJson.create();
  static final int LIMIT = 64 * 1024;

  /** The host's endpoint / the upstream: reports what body it received (or the form parameter b). */
  static final class Echo extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      HOST_CALLS.incrementAndGet();
      res.setContentType("text/plain");
      String type = req.getContentType() == null ? "" : req.getContentType();
      if (type.startsWith("application/x-www-form-urlencoded")) {
        res.getWriter().write("form a=" + req.getParameter("a") + " b=" + req.getParameter("b") + " q="
            + req.getParameter("q"));
        return;
      }
      byte[] body = req.getInputStream().readAllBytes();
      res.getWriter().write(req.getMethod() + " " + req.getRequestURI() + " type=" + type + " len=" + body.length
          + " sha=" + ProxyStreamingTest.hex(body));
    }
  }

  static final AtomicInteger HOST_CALLS = new AtomicInteger();
  static JettyStub authz;
  static JettyStub host;
  static JettyStub upstream;
  static JettyStub proxy;
  static JettyStub decisions;

  static AccessRules rules(String authzUrl, String upstreamUrl) {
    return AccessRulesTest.defaults()
        .enable(HandlerKind.AUTHORIZER, "remote", "{\"remote\":\"" + authzUrl + "\"}")
        .maxBufferedBody(LIMIT)
        .rules(
            Rule.builder("remote").match("<http|https>://<[^/]+>/remote/<.*>", "POST", "PUT")
                .authenticator("anonymous").authorizer("remote").mutator("noop")
                .upstream(new Upstream(upstreamUrl, false, null)).build(),
            Rule.builder("open").match("<http|https>://<[^/]+>/open/<.*>", "POST", "PUT")
                .authenticator("anonymous").authorizer("allow").mutator("noop")
                .upstream(new Upstream(upstreamUrl, false, null)).build())
        .build();
  }

  @BeforeAll
  static void start() {
    authz = new JettyStub();
    upstream = new JettyStub(new Echo(), null);
    AccessRules rules = rules(authz.url("/authz"), upstream.url("/"));
    host = new JettyStub(new Echo(), new AccessRuleFilter(rules));
    proxy = new JettyStub(OryServlet.streaming(new ReverseProxy(rules, CLIENT, Duration.ofSeconds(10))), null);
    decisions = new JettyStub(new OryServlet(new DecisionApi(rules).router()), null);
  }

  @AfterAll
  static void stop() {
    for (JettyStub s : new JettyStub[] {authz, host, upstream, proxy, decisions}) {
      s.close();
    }
  }

  @BeforeEach
  void reset() {
    authz.calls.clear();
    authz.routes.clear();
    HOST_CALLS.set(0);
    // the remote authorizer: 403 when the body says deny, else 200
    authz.routes.put("/authz", r -> r.bodyText().contains("deny")
        ? HttpResponse.json(403, "{}".getBytes(StandardCharsets.UTF_8)) : HttpResponse.builder(200).build());
  }

  static java.net.http.HttpResponse<String> post(String url, String type, HttpRequest.BodyPublisher body)
      throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type).POST(body).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    ProxyStreamingTest.fill(b, 7);
    return b;
  }

  /** The filter in front of the host's endpoint, or the streaming reverse proxy in front of the upstream. */
  static String base(String mode) {
    return "filter".equals(mode) ? host.url("") : proxy.url("");
  }

  @ParameterizedTest
  @ValueSource(strings = {"filter", "proxy"})
  void remoteAuthorizerWhenSizedBodyThenRemoteAndDownstreamSeeTheSameBytes(String mode) throws Exception {
    byte[] body = bytes(40_000);
    var res = post(base(mode) + "/remote/upload", "application/octet-stream",
        HttpRequest.BodyPublishers.ofByteArray(body));
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("POST /remote/upload type=application/octet-stream len=40000 sha=" + ProxyStreamingTest.hex(body),
        res.body());
    assertEquals(1, authz.calls.size());
    assertEquals(ProxyStreamingTest.hex(body), ProxyStreamingTest.hex(authz.calls.get(0).body()));
    assertEquals("application/octet-stream", authz.calls.get(0).header("Content-Type").orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {"filter", "proxy"})
  void remoteAuthorizerWhenChunkedBodyThenRemoteAndDownstreamSeeTheSameBytes(String mode) throws Exception {
    byte[] body = bytes(30_000);
    var res = post(base(mode) + "/remote/upload", "application/octet-stream",
        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    assertEquals(200, res.statusCode(), res.body());
    assertTrue(res.body().endsWith("len=30000 sha=" + ProxyStreamingTest.hex(body)), res.body());
    assertEquals(ProxyStreamingTest.hex(body), ProxyStreamingTest.hex(authz.calls.get(0).body()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"filter", "proxy"})
  void remoteAuthorizerWhenBodyOverTheBoundThen413FromErrorHandlerAndNobodyCalled(String mode) throws Exception {
    for (HttpRequest.BodyPublisher body : List.of(HttpRequest.BodyPublishers.ofByteArray(bytes(LIMIT + 1)),
        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes(LIMIT * 3))))) {
      var res = post(base(mode) + "/remote/upload", "application/octet-stream", body);
      assertEquals(413, res.statusCode());
      assertEquals(413, JSON.readTree(res.body()).path("error").path("code").asInt());
      assertTrue(JSON.readTree(res.body()).path("error").path("message").asText().contains(LIMIT + " bytes"));
    }
    assertEquals(0, authz.calls.size());
    assertEquals(0, HOST_CALLS.get());
  }

  /**
   * The 413 reaches a client still sending its body: before the servlet adapters read (and dropped) the rest of a
   * refused body, the connection closed on unread bytes and the client got a reset instead, about once in seven
   * tries here.
   */
  @org.junit.jupiter.api.RepeatedTest(40)
  void remoteAuthorizerWhenBodyOverTheBoundAndClientStillSendingThenItReadsThe413() throws Exception {
    for (String mode : List.of("filter", "proxy")) {
      int i = 0;
      for (HttpRequest.BodyPublisher body : List.of(HttpRequest.BodyPublishers.ofByteArray(bytes(LIMIT + 1)),
          HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes(LIMIT * 3))))) {
        try {
          var res = post(base(mode) + "/remote/upload", "application/octet-stream", body);
          assertEquals(413, res.statusCode());
        } catch (java.io.IOException e) {
          throw new AssertionError(mode + " request " + i + ": " + e, e);
        }
        i++;
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"filter", "proxy"})
  void ruleWithoutBodyAuthorizerWhenBodyPastTheBoundThenItStreamsThroughIntact(String mode) throws Exception {
    byte[] body = bytes(LIMIT * 8);
    var res = post(base(mode) + "/open/upload", "application/octet-stream",
        HttpRequest.BodyPublishers.ofByteArray(body));
    assertEquals(200, res.statusCode(), res.body());
    assertTrue(res.body().endsWith("len=" + body.length + " sha=" + ProxyStreamingTest.hex(body)), res.body());
    assertEquals(0, authz.calls.size());
  }

  @Test
  void filterWhenFormBodyThenHostStillGetsItsParameters() throws Exception {
    var res = post(host.url("/remote/form?q=1"), "application/x-www-form-urlencoded",
        HttpRequest.BodyPublishers.ofString("a=x%20y&b=allow"));
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("form a=x y b=allow q=1", res.body());
    assertEquals("a=x%20y&b=allow", authz.calls.get(0).bodyText());
  }

  @Test
  void filterWhenRemoteDeniesOnTheBodyThen403AndHostNotCalled() throws Exception {
    var res = post(host.url("/remote/upload"), "text/plain", HttpRequest.BodyPublishers.ofString("please deny"));
    assertEquals(403, res.statusCode());
    assertEquals(403, JSON.readTree(res.body()).path("error").path("code").asInt());
    assertEquals(0, HOST_CALLS.get());
  }

  @Test
  void decisionApiWhenBodyPostedThenRemoteAuthorizerSeesIt() throws Exception {
    var res = CLIENT.send(HttpRequest.newBuilder(URI.create(decisions.url("/decisions/remote/x")))
        .header("Content-Type", "application/json").header("X-Forwarded-Method", "POST")
        .POST(HttpRequest.BodyPublishers.ofString("{\"doc\":\"allow me\"}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("{\"doc\":\"allow me\"}", authz.calls.get(0).bodyText());
    assertEquals("application/json", authz.calls.get(0).header("Content-Type").orElseThrow());

    var denied = CLIENT.send(HttpRequest.newBuilder(URI.create(decisions.url("/decisions/remote/x")))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("deny")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(403, denied.statusCode());
  }
}
