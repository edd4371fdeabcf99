package io.ory4j.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.examples.TestBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Item 2: no open redirect. Kratos' browser flows take a {@code return_to} only inside
 * {@code selfservice.allowed_return_urls} or the default return URL's origin (else 400
 * {@code self_service_flow_return_to_forbidden}); Hydra's RP-initiated logout redirects only to a
 * {@code post_logout_redirect_uri} registered for the client of the {@code id_token_hint}.
 */
class OpenRedirectTest extends ServerTest {

  private static final String ALLOWED = "https://app.example.com/dashboard";
  private static final String BYE = "https://client.example.com:8443/bye";
  private static final List<String> HOSTILE = List.of(
      "https://evil.example/",
      "//evil.example/",
      "https:evil.example",
      "/\\evil.example",
      "javascript:alert(document.cookie)",
      "http://app.example.com/dashboard",                 // the allowed prefix over http
      "https://app.example.com/elsewhere",                // outside the allowed path
      "https://app.example.com.evil.example/dashboard",   // a host suffix
      "https://app.example.com@evil.example/dashboard");  // the allowed host as userinfo

  @Override
  Map<String, String> settings() {
    return Map.of("SELFSERVICE_ALLOWED_RETURN_URLS", ALLOWED);
  }

  /** A new session of the user through Kratos' native login (its token is the browser's session cookie value). */
  private String sessionToken() throws Exception {
    TestBrowser b = new TestBrowser();
    JsonNode flow = f.json.readTree(b.send(HttpRequest.newBuilder(f.pub.resolve("/self-service/login/api"))).body());
    HttpResponse<String> login = b.send(HttpRequest.newBuilder(f.pub.resolve("/self-service/login?flow="
        + flow.get("id").asText())).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
        .ofString("{\"method\":\"password\",\"identifier\":\"" + SecurityFixture.EMAIL + "\",\"password\":\""
            + SecurityFixture.PASSWORD + "\"}")));
    assertEquals(200, login.statusCode(), login.body());
    return f.json.readTree(login.body()).get("session_token").asText();
  }

  static Stream<Arguments> flowsAndHostileReturnTo() {
    return Stream.of("login", "registration", "recovery", "verification", "settings", "logout")
        .flatMap(flow -> HOSTILE.stream().map(to -> Arguments.of(flow, to)));
  }

  /** Opens a browser flow as a browser would (HTML accepted), signed in for settings and logout. */
  private HttpResponse<String> init(String flow, String returnTo) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(f.pub.resolve("/self-service/" + flow + "/browser?return_to="
        + TestBrowser.enc(returnTo))).header("Accept", "text/html");
    if (flow.equals("settings") || flow.equals("logout")) {
      r.header("Cookie", "ory_kratos_session=" + sessionToken());
    }
    return new TestBrowser().send(r);
  }

  @ParameterizedTest(name = "{0} return_to={1}")
  @MethodSource("flowsAndHostileReturnTo")
  void browserFlowWhenReturnToIsNotAllowedThen400ForbiddenReturnTo(String flow, String returnTo) throws Exception {
    HttpResponse<String> r = init(flow, returnTo);
    assertEquals(400, r.statusCode(), r.body());
    assertFalse(r.headers().firstValue("Location").isPresent(), "redirected: " + r.headers().map());
    JsonNode error = f.json.readTree(r.body()).get("error");
    assertEquals("self_service_flow_return_to_forbidden", error.get("id").asText(), r.body());
    assertEquals("Requested return_to URL \"" + returnTo + "\" is not allowed.", error.get("reason").asText());
  }

  @Test
  void browserFlowWhenReturnToIsUnderAnAllowedUrlThenTheFlowKeepsIt() throws Exception {
    HttpResponse<String> r = init("login", ALLOWED + "/posts");
    assertEquals(303, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith(f.pub.resolve("/login?flow=").toString()));
  }

  @Test
  void logoutWhenTokenUrlCarriesAHostileReturnToThenTheDefaultReturnUrlInstead() throws Exception {
    HttpResponse<String> init = init("logout", ALLOWED);
    assertEquals(200, init.statusCode(), init.body());
    String token = f.json.readTree(init.body()).get("logout_token").asText();
    HttpResponse<String> out = new TestBrowser().send(HttpRequest.newBuilder(f.pub.resolve("/self-service/logout"
        + "?token=" + token + "&return_to=" + TestBrowser.enc("https://evil.example/"))));
    assertEquals(303, out.statusCode(), out.body());
    assertEquals(f.pub.resolve("/").toString(), out.headers().firstValue("Location").orElseThrow());
  }

  private String idToken(String clientId, String secret) throws Exception {
    String code = SecurityFixture.code(f.authorize("response_type=code&client_id=" + TestBrowser.enc(clientId)
        + "&redirect_uri=" + TestBrowser.enc(SecurityFixture.CALLBACK) + "&scope=openid&state=state-0123456789"
        + "&nonce=nonce-0123456789"));
    HttpResponse<String> t = f.token(clientId, secret, "grant_type=authorization_code&code=" + code
        + "&redirect_uri=" + TestBrowser.enc(SecurityFixture.CALLBACK));
    assertEquals(200, t.statusCode(), t.body());
    return f.json.readTree(t.body()).get("id_token").asText();
  }

  private HttpResponse<String> rpLogout(String query) throws Exception {
    return new TestBrowser().send(HttpRequest.newBuilder(f.pub.resolve("/oauth2/sessions/logout?" + query)));
  }

  @Test
  void rpLogoutWhenPostLogoutRedirectUriIsNotRegisteredForTheHintsClientThenRefused() throws Exception {
    JsonNode a = f.confidentialClient();
    String hint = idToken(a.get("client_id").asText(), a.get("client_secret").asText());
    JsonNode b = f.client("{\"redirect_uris\":[\"" + SecurityFixture.CALLBACK + "\"],\"post_logout_redirect_uris\":"
        + "[\"https://other.example/bye\"],\"scope\":\"openid\"}");
    assertEquals(1, b.get("post_logout_redirect_uris").size());

    for (String to : List.of("https://evil.example/", "https://other.example/bye", BYE + "/", BYE + "?x=1",
        "https://client.example.com:8443@evil.example/bye")) {
      HttpResponse<String> r = rpLogout("id_token_hint=" + hint + "&post_logout_redirect_uri=" + TestBrowser.enc(to));
      assertFalse(r.headers().firstValue("Location").orElse("").startsWith(to), to + " -> " + r.headers().map());
      f.assertOAuth2Error(r, 400, "invalid_request");
      assertTrue(r.body().contains("is not a whitelisted as a post_logout_redirect_uri for the client"), r.body());
    }
    HttpResponse<String> noHint = rpLogout("post_logout_redirect_uri=" + TestBrowser.enc(BYE));
    f.assertOAuth2Error(noHint, 400, "invalid_request");
    assertTrue(noHint.body().contains("id_token_hint is missing"), noHint.body());

    // the registered URI is honoured, after the example's logout page (the hint's sid names a remembered session)
    TestBrowser rp = new TestBrowser();
    URI to = f.pub.resolve("/oauth2/sessions/logout?id_token_hint=" + hint + "&post_logout_redirect_uri="
        + TestBrowser.enc(BYE) + "&state=bye-state");
    for (int hops = 0; to.getRawAuthority().equals(f.pub.getRawAuthority()); hops++) {
      assertTrue(hops < 6, "too many redirects at " + to);
      HttpResponse<String> r = rp.send(HttpRequest.newBuilder(to));
      URI from = to;
      to = from.resolve(r.headers().firstValue("Location").orElseThrow(() -> new AssertionError(from + " "
          + r.statusCode() + " " + r.body())));
    }
    assertEquals(BYE + "?state=bye-state", to.toString());
  }
}
