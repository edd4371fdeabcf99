package io.ory4j.accessrules.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.ory4j.accessrules.AccessDecision;
import io.ory4j.accessrules.AccessRules;
import io.ory4j.accessrules.Rule;
import io.ory4j.accessrules.RuleHandler;
import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.policy.relations.Namespace;
import io.ory4j.policy.relations.Permissions;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.http.RelationTupleApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Remote calls of the rules answered in process: Keto's check API, and routing rules of the client itself. */
class InProcessHttpClientTest {

  private static final OryJson JSON = OryJson.create();

  private static int status(AccessDecision d) {
    return d instanceof AccessDecision.Denied x ? x.response().status() : 200;
  }

  @Test
  void remoteJsonWhenKetoCheckRoutedInProcessThenRelationTuplesDecide() {
    Permissions permissions = Permissions.builder().namespaces(Namespace.builder("blog").build()).build();
    permissions.insert(RelationTuple.of("blog", "post-1", "owner", "ada"));
    HttpClient http = InProcessHttpClient.builder(HttpClient.newHttpClient())
        .route(URI.create("http://keto:4466"), new RelationTupleApi(permissions, JSON).readApi()).build();
    // the rule as an Oathkeeper deployment in front of Keto writes it: remote_json to Keto's check endpoint
    AccessRules rules = AccessRules.builder().httpClient(http)
        .enable(HandlerKind.AUTHENTICATOR, "anonymous").enable(HandlerKind.AUTHORIZER, "remote_json")
        .enable(HandlerKind.MUTATOR, "noop")
        .rules(Rule.builder("delete").match("http://blog/posts/<[^/]+>", "DELETE")
            .authenticator(RuleHandler.of("anonymous", JSON.readTree("{\"subject\":\"ada\"}")))
            .authorizer(RuleHandler.of("remote_json", JSON.readTree("{\"remote\":"
                + "\"http://keto:4466/relation-tuples/check\",\"payload\":\"{\\\"namespace\\\":\\\"blog\\\","
                + "\\\"object\\\":\\\"{{ printIndex .MatchContext.RegexpCaptureGroups 0 }}\\\","
                + "\\\"relation\\\":\\\"owner\\\",\\\"subject_id\\\":\\\"{{ print .Subject }}\\\"}\"}")))
            .mutator("noop").build())
        .build();

    assertEquals(200, status(rules.decide(io.ory4j.core.http.HttpRequest.builder().method("DELETE").host("blog")
        .path("/posts/post-1").build())));
    assertEquals(403, status(rules.decide(io.ory4j.core.http.HttpRequest.builder().method("DELETE").host("blog")
        .path("/posts/post-2").build())));
  }

  @Test
  void sendWhenRoutedThenHandlerSeesPathBelowRouteQueryHeadersAndBody() throws Exception {
    AtomicReference<io.ory4j.core.http.HttpRequest> seen = new AtomicReference<>();
    Router handler = Router.builder(new OryErrorRenderer(JSON))
        .post("/check/{what}", r -> {
          seen.set(r);
          return HttpResponse.builder(201).header("X-Answer", "yes").body("made " + r.bodyText()).build();
        })
        .build();
    HttpClient http = InProcessHttpClient.builder(HttpClient.newHttpClient())
        .route(URI.create("http://app.internal/authz/"), handler).build();

    var res = http.send(HttpRequest.newBuilder(URI.create("http://app.internal/authz/check/it?x=1"))
        .header("X-Trace", "t1").POST(HttpRequest.BodyPublishers.ofString("payload")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());

    assertEquals(201, res.statusCode());
    assertEquals("made payload", res.body());
    assertEquals("yes", res.headers().firstValue("X-Answer").orElseThrow());
    assertEquals("/check/it", seen.get().path());
    assertEquals("1", seen.get().queryParam("x").orElseThrow());
    assertEquals("t1", seen.get().header("X-Trace").orElseThrow());
    assertEquals("POST", seen.get().method());
  }

  @Test
  void sendWhenAnyBodyHandlerThenBodyArrivesWhole() throws Exception {
    Router handler = Router.builder(new OryErrorRenderer(JSON))
        .get("/big", r -> HttpResponse.builder(200).body("x".repeat(100_000)).build()).build();
    HttpClient http = InProcessHttpClient.builder(HttpClient.newHttpClient())
        .route(URI.create("http://app"), handler).build();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://app/big")).build();

    assertEquals(100_000, http.send(get, java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body().length);
    try (InputStream in = http.send(get, java.net.http.HttpResponse.BodyHandlers.ofInputStream()).body()) {
      assertEquals(100_000, in.readAllBytes().length);
    }
    assertEquals(100_000, http.sendAsync(get, java.net.http.HttpResponse.BodyHandlers.ofString()).get().body()
        .length());
    assertEquals(200, http.send(get, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
  }

  @Test
  void sendWhenNoRouteMatchesThenTheRealClientSendsIt() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      byte[] b = "over the wire".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    server.start();
    try {
      int port = server.getAddress().getPort();
      Router handler = Router.builder(new OryErrorRenderer(JSON))
          .get("/", r -> HttpResponse.builder(200).body("in process").build()).build();
      // same host, other port; and same host and port, but a path outside the route's
      HttpClient http = InProcessHttpClient.builder(HttpClient.newHttpClient())
          .route(URI.create("http://127.0.0.1:" + (port == 65535 ? 1 : port + 1)), handler)
          .route(URI.create("http://127.0.0.1:" + port + "/inside"), handler).build();

      assertEquals("over the wire", http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/insider")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      assertEquals("in process", http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/inside")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void sendWhenLongerRouteAlsoMatchesThenItWins() throws Exception {
    Router outer = Router.builder(new OryErrorRenderer(JSON))
        .get("/a/b", r -> HttpResponse.builder(200).body("outer").build()).build();
    Router inner = Router.builder(new OryErrorRenderer(JSON))
        .get("/b", r -> HttpResponse.builder(200).body("inner").build()).build();
    HttpClient http = InProcessHttpClient.builder(HttpClient.newHttpClient())
        .route(URI.create("http://app"), outer).route(URI.create("http://app/a"), inner).build();

    assertEquals("inner", http.send(HttpRequest.newBuilder(URI.create("http://app/a/b")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body());
  }

  @Test
  void sendWhenHandlerFailsThenTheCallFailsWithIoException() {
    HttpClient http = InProcessHttpClient.builder(HttpClient.newHttpClient())
        .route(URI.create("http://app"), r -> {
          throw new IllegalStateException("boom");
        }).build();

    IOException e = assertThrows(IOException.class, () -> http.send(
        HttpRequest.newBuilder(URI.create("http://app/x")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()));
    assertTrue(e.getMessage().contains("http://app/x"));
  }

  @Test
  void routeWhenQueryOrNoHostThenRefused() {
    InProcessHttpClient.Builder b = InProcessHttpClient.builder(HttpClient.newHttpClient());
    Router r = Router.builder(new OryErrorRenderer(JSON)).build();
    assertThrows(IllegalArgumentException.class, () -> b.route(URI.create("http://app/x?y=1"), r));
    assertThrows(IllegalArgumentException.class, () -> b.route(URI.create("/relative"), r));
    assertInstanceOf(InProcessHttpClient.class, b.build());
  }
}
