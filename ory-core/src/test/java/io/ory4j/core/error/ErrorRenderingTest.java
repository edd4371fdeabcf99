package io.ory4j.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OAuth2ErrorRenderer;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.json.OryJson;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ErrorRenderingTest {

  private final OryJson json = OryJson.create();
  private final HttpRequest request = HttpRequest.builder().header("X-Request-Id", "req-1").build();

  @Test
  void renderWhenOryErrorThenOryEnvelopeWithRequestId() {
    OryException e = OryException.notFound("Unable to locate the resource").withReason("client c is unknown")
        .withDetail("client_id", "c");
    HttpResponse r = new OryErrorRenderer(json).render(e, request);
    assertEquals(404, r.status());
    JsonNode body = json.readTree(r.body()).get("error");
    assertEquals(404, body.get("code").asInt());
    assertEquals("Not Found", body.get("status").asText());
    assertEquals("client c is unknown", body.get("reason").asText());
    assertEquals("Unable to locate the resource", body.get("message").asText());
    assertEquals("req-1", body.get("request").asText());
    assertEquals("c", body.get("details").get("client_id").asText());
    assertThat(r.header("Content-Type")).contains("application/json; charset=utf-8");
  }

  @Test
  void renderWhenCauseAttachedThenNoStackTraceInBody() {
    OryException e = OryException.internal("boom").withCause(new IllegalStateException("secret internals"));
    String body = new OryErrorRenderer(json).render(e, request).bodyText();
    assertFalse(body.contains("secret internals"));
    assertFalse(body.contains("IllegalStateException"));
  }

  @Test
  void renderWhenOAuth2ErrorThenHydraShapeWithHintInDescription() {
    OAuth2Exception e = OAuth2Exception.invalidGrant("The authorization code has already been used.");
    HttpResponse r = new OAuth2ErrorRenderer(json).render(e, request);
    assertEquals(400, r.status());
    JsonNode body = json.readTree(r.body());
    assertEquals("invalid_grant", body.get("error").asText());
    assertThat(body.get("error_description").asText()).startsWith("The provided authorization grant")
        .endsWith("The authorization code has already been used.");
    assertFalse(body.has("error_hint"));
    assertEquals("no-store", r.header("Cache-Control").orElseThrow());
  }

  @Test
  void renderWhenLegacyFieldsThenHintAndStatusCodeSeparate() {
    OAuth2Exception e = OAuth2Exception.invalidScope("The scope foo is not allowed.");
    JsonNode body = json.readTree(new OAuth2ErrorRenderer(json, true, false).render(e, request).body());
    assertEquals("The requested scope is invalid, unknown, or malformed.", body.get("error_description").asText());
    assertEquals("The scope foo is not allowed.", body.get("error_hint").asText());
    assertEquals(400, body.get("status_code").asInt());
  }

  @Test
  void renderWhenInvalidClientThen401WithWwwAuthenticate() {
    HttpResponse r = new OAuth2ErrorRenderer(json).render(OAuth2Exception.invalidClient("bad secret"), request);
    assertEquals(401, r.status());
    assertThat(r.header("WWW-Authenticate").orElseThrow()).startsWith("Basic error=\"invalid_client\"");
  }

  @Test
  void renderWhenRedirectChannelQueryThenErrorInQueryWithStateAndIss() {
    OAuth2Exception e = OAuth2Exception.accessDenied("The user said no.").redirectTo(
        new OAuth2Exception.Channel(URI.create("https://app.example/cb?x=1"), "query", "st&ate", "https://issuer"));
    HttpResponse r = new OAuth2ErrorRenderer(json).render(e, request);
    assertEquals(303, r.status());
    String location = r.header("Location").orElseThrow();
    assertThat(location).startsWith("https://app.example/cb?x=1&error=access_denied&error_description=")
        .contains("state=st%26ate").contains("iss=https%3A%2F%2Fissuer");
  }

  @Test
  void renderWhenFragmentModeThenErrorInFragment() {
    OAuth2Exception e = OAuth2Exception.loginRequired("prompt=none").redirectTo(
        new OAuth2Exception.Channel(URI.create("https://app.example/cb"), "fragment", "s", null));
    String location = new OAuth2ErrorRenderer(json).render(e, request).header("Location").orElseThrow();
    assertThat(location).startsWith("https://app.example/cb#error=login_required&");
  }

  @Test
  void renderWhenFormPostThenEscapedAutoSubmitForm() {
    OAuth2Exception e = OAuth2Exception.accessDenied("<script>").redirectTo(
        new OAuth2Exception.Channel(URI.create("https://app.example/cb"), "form_post", "\"><x", null));
    HttpResponse r = new OAuth2ErrorRenderer(json).render(e, request);
    assertEquals(200, r.status());
    String html = r.bodyText();
    assertTrue(html.contains("action=\"https://app.example/cb\""));
    assertFalse(html.contains("<script>"));
    assertTrue(html.contains("&quot;&gt;&lt;x"));
  }

  @Test
  void toOAuth2ErrorWhenPlainOryErrorThenMappedCode() {
    assertEquals("invalid_request", OryException.badRequest("x").toOAuth2Error().error());
    assertEquals("server_error", OryException.internal("x").toOAuth2Error().error());
    assertEquals("temporarily_unavailable", OryException.unavailable("x").toOAuth2Error().error());
  }

  @Test
  void oauth2ErrorWhenCodeHasQuoteThenRefused() {
    assertThrows(IllegalArgumentException.class, () -> new OAuth2Error("bad\"code", "d", null, null, 400));
  }

  @Test
  void oryExceptionWhenRenderedAsOryThenOAuth2IdKept() {
    OAuth2Exception e = OAuth2Exception.invalidToken("expired");
    assertEquals("invalid_token", e.error().id());
    assertEquals(401, e.status());
  }
}
