package io.ory4j.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.error.OryException;
import io.ory4j.core.json.OryJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

  private final OryJson json = OryJson.create();
  private final Router router = Router.builder(new OryErrorRenderer(json))
      .get("/admin/clients/{id}", r -> HttpResponse.json(200, json.writeBytes(Map.of("id", r.pathParam("id")
          .orElseThrow()))))
      .delete("/admin/clients/{id}", r -> HttpResponse.noContent())
      .get("/files/{rest...}", r -> HttpResponse.builder(200).body(r.pathParam("rest").orElseThrow()).build())
      .get("/boom", r -> {
        throw new IllegalStateException("internal detail");
      })
      .route("POST", "/oauth2/token", r -> {
        throw OAuth2Exception.unsupportedGrantType("nope");
      }, new OAuth2ErrorRenderer(json))
      .get("/gone", r -> {
        throw OryException.notFound("gone");
      })
      .build();

  private static HttpRequest req(String method, String target) {
    return HttpRequest.builder().method(method).target(target).build();
  }

  @Test
  void handleWhenTemplateMatchesThenPathParamBound() {
    HttpResponse r = router.handle(req("GET", "/admin/clients/abc"));
    assertEquals(200, r.status());
    assertEquals("{\"id\":\"abc\"}", r.bodyText());
  }

  @Test
  void handleWhenRestTemplateThenRemainderBound() {
    assertEquals("a/b/c", router.handle(req("GET", "/files/a/b/c")).bodyText());
  }

  @Test
  void handleWhenUnknownPathThen404OryJson() {
    HttpResponse r = router.handle(req("GET", "/nope"));
    assertEquals(404, r.status());
    assertEquals(404, json.readTree(r.body()).get("error").get("code").asInt());
  }

  @Test
  void handleWhenWrongMethodThen405WithAllow() {
    HttpResponse r = router.handle(req("PUT", "/admin/clients/abc"));
    assertEquals(405, r.status());
    assertEquals("GET, DELETE", r.header("Allow").orElseThrow());
  }

  @Test
  void handleWhenUnexpectedExceptionThenGeneric500WithoutDetail() {
    HttpResponse r = router.handle(req("GET", "/boom"));
    assertEquals(500, r.status());
    assertFalse(r.bodyText().contains("internal detail"));
    assertFalse(r.bodyText().contains("IllegalStateException"));
  }

  @Test
  void handleWhenRouteHasOAuth2RendererThenOAuth2Json() {
    HttpResponse r = router.handle(req("POST", "/oauth2/token"));
    assertEquals(400, r.status());
    assertEquals("unsupported_grant_type", json.readTree(r.body()).get("error").asText());
  }

  @Test
  void handleWhenHeadOnGetRouteThenServed() {
    assertEquals(200, router.handle(req("HEAD", "/admin/clients/x")).status());
  }

  @Test
  void requestWhenFormBodyThenParsedAndCookiesFromHeader() {
    HttpRequest r = HttpRequest.builder().method("POST").header("Content-Type",
        "application/x-www-form-urlencoded; charset=utf-8").addHeader("Cookie", "a=1; b=2")
        .body("grant_type=client_credentials&scope=a+b&scope=c").build();
    assertEquals("client_credentials", r.formParam("grant_type").orElseThrow());
    assertEquals(List.of("a b", "c"), r.form().get("scope"));
    assertEquals("2", r.cookie("b").orElseThrow());
    assertTrue(r.header("content-type").isPresent());
  }

  @Test
  void responseWhenHeaderHasLineBreakThenRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> HttpResponse.builder(200).header("X", "a\r\nSet-Cookie: evil"));
  }

  @Test
  void cookieWhenDefaultsThenSecureHttpOnlyLax() {
    assertEquals("s=v; Path=/; Secure; HttpOnly; SameSite=Lax", Cookie.of("s", "v").toHeaderValue());
    assertEquals("s=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax", Cookie.delete("s", "/").toHeaderValue());
  }

  @Test
  void healthWhenCheckFailsThen503WithErrors() {
    HealthHandlers h = new HealthHandlers(json, Map.of("database", () -> "connection refused"));
    Router r = h.router();
    assertEquals(200, r.handle(req("GET", "/health/alive")).status());
    HttpResponse ready = r.handle(req("GET", "/health/ready"));
    assertEquals(503, ready.status());
    assertEquals("connection refused",
        json.readTree(ready.body()).get("errors").get("database").asText());
    assertEquals("{\"status\":\"ok\"}",
        new String(new HealthHandlers(json, Map.of()).router().handle(req("GET", "/health/ready")).body(),
            StandardCharsets.UTF_8));
  }
}
