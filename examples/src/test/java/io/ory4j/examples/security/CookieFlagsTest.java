package io.ory4j.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.examples.TestBrowser;
import io.ory4j.identity.oauth2.LoginConsentProvider;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 8: the cookies of a full browser run (Kratos' CSRF and session cookies, Hydra's login and consent CSRF cookies
 * and its remembered session, the login and consent provider's form cookie) are {@code HttpOnly}, {@code SameSite=Lax} (Kratos' and
 * the example's setting; nothing in the example changes it), on {@code Path=/} (the provider's cookies only on
 * {@code /ui}), and {@code Secure} exactly when the public URL ({@code URLS_SELF_ISSUER}) is https. The server
 * itself listens on plain HTTP, so the flags are read from the {@code Set-Cookie} headers without TLS.
 */
class CookieFlagsTest extends ServerTest {

  @Override
  Map<String, String> settings() {
    return Map.of("URLS_SELF_ISSUER", "https://auth.example.com/");
  }

  /** Every cookie the run sets, by name (primed when set again): its {@code Set-Cookie} attributes, names lower-cased. */
  private static Map<String, Map<String, String>> browserRun(SecurityFixture s) throws Exception {
    Map<String, Map<String, String>> cookies = new LinkedHashMap<>();
    TestBrowser b = new TestBrowser();
    JsonNode login = s.json.readTree(collect(cookies, b.send(HttpRequest.newBuilder(s.pub.resolve(
        "/self-service/login/browser")).header("Accept", "application/json"))).body());
    String csrf = login.path("ui").path("nodes").findValues("attributes").stream()
        .filter(a -> a.path("name").asText().equals("csrf_token")).findFirst().orElseThrow().get("value").asText();
    HttpResponse<String> in = collect(cookies, b.send(SecurityFixture.form(s.pub.resolve("/self-service/login?flow="
        + login.get("id").asText()), "csrf_token=" + TestBrowser.enc(csrf) + "&identifier="
        + TestBrowser.enc(SecurityFixture.EMAIL) + "&password=" + TestBrowser.enc(SecurityFixture.PASSWORD)
        + "&method=password").header("Accept", "application/json")));
    assertEquals(200, in.statusCode(), in.body());

    String clientId = s.confidentialClient().get("client_id").asText();
    // the signed-in browser: ory-identity's login and consent provider accepts the login from its session
    HttpResponse<String> consent = collect(cookies, b.send(HttpRequest.newBuilder(s.pub.resolve("/oauth2/auth?"
        + "response_type=code&client_id=" + TestBrowser.enc(clientId) + "&redirect_uri="
        + TestBrowser.enc(SecurityFixture.CALLBACK) + "&scope=openid&state=state-0123456789"))));
    for (int i = 0; i < 5 && consent.statusCode() / 100 == 3; i++) {
      consent = collect(cookies, onServer(s, b, consent));
    }
    assertTrue(consent.body().contains("name=\"decision\""), consent.body());
    return cookies;
  }

  /** Follows a redirect on the server's own port (the public URL may name another origin). */
  private static HttpResponse<String> onServer(SecurityFixture s, TestBrowser b, HttpResponse<String> r)
      throws Exception {
    URI to = URI.create(r.headers().firstValue("Location").orElseThrow(() -> new AssertionError(r.body())));
    return b.send(HttpRequest.newBuilder(s.pub.resolve(to.getRawPath() + "?" + to.getRawQuery())));
  }

  private static HttpResponse<String> collect(Map<String, Map<String, String>> into, HttpResponse<String> r) {
    for (String c : r.headers().allValues("Set-Cookie")) {
      List<String> parts = Arrays.stream(c.split(";")).map(String::trim).toList();
      Map<String, String> attrs = new LinkedHashMap<>();
      for (String p : parts.subList(1, parts.size())) {
        int i = p.indexOf('=');
        attrs.put((i < 0 ? p : p.substring(0, i)).toLowerCase(java.util.Locale.ROOT), i < 0 ? "" : p.substring(i + 1));
      }
      String key = parts.get(0).substring(0, parts.get(0).indexOf('='));
      while (into.containsKey(key)) {
        key += "'"; // a cookie set again (the session by Kratos' flow and by the example's login page) is kept apart
      }
      into.put(key, attrs);
    }
    return r;
  }

  private static void assertFlags(Map<String, Map<String, String>> cookies, boolean secure) {
    for (String name : List.of("csrf_token", "ory_kratos_session", LoginConsentProvider.CSRF_COOKIE,
        "ory_hydra_session")) {
      assertTrue(cookies.containsKey(name), name + " not set; set: " + cookies.keySet());
    }
    assertTrue(cookies.keySet().stream().filter(n -> n.startsWith("ory_hydra_")).count() >= 3,
        "Hydra's login and consent CSRF cookies and its session: " + cookies.keySet());
    cookies.forEach((name, attrs) -> {
      assertTrue(attrs.containsKey("httponly"), name + " " + attrs);
      assertEquals("Lax", attrs.get("samesite"), name + " " + attrs);
      assertEquals(name.startsWith("ory_oauth2_") ? "/ui" : "/", attrs.get("path"), name + " " + attrs);
      assertEquals(secure, attrs.containsKey("secure"), name + " " + attrs);
      assertFalse(attrs.containsKey("domain"), name + " is host-only: " + attrs);
    });
  }

  @Test
  void cookiesWhenPublicUrlIsHttpsThenSecureHttpOnlyLaxOnRoot() throws Exception {
    assertFlags(browserRun(f), true);
  }

  @Test
  void cookiesWhenPublicUrlIsHttpThenHttpOnlyLaxButNotSecure(@TempDir Path other) throws Exception {
    try (SecurityFixture http = SecurityFixture.start(other, Map.of())) {
      assertFlags(browserRun(http), false);
    }
  }
}
