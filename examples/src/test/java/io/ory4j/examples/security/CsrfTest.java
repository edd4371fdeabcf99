package io.ory4j.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.examples.TestBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Item 5: every browser flow refuses a POST without the CSRF token, with a wrong one, and with another browser's
 * (the token of a flow an attacker opened, sent from the victim's browser): Kratos' flows answer 403
 * {@code security_csrf_violation}, the login and consent provider's {@code /ui/consent} 403 (its login is Kratos' login
 * flow), and a logout token
 * of another browser's session does not log this browser out.
 */
class CsrfTest extends ServerTest {

  private String clientId;

  @Override
  Map<String, String> settings() {
    return Map.of("SELFSERVICE_FLOWS_RECOVERY_ENABLED", "true", "SELFSERVICE_FLOWS_VERIFICATION_ENABLED", "true");
  }

  @BeforeAll
  void start() throws Exception {
    clientId = f.confidentialClient().get("client_id").asText();
  }

  /** A browser flow opened as a JavaScript client does (JSON answer, CSRF cookie in the browser's jar). */
  private JsonNode flow(TestBrowser b, String kind) throws Exception {
    HttpResponse<String> r = b.send(HttpRequest.newBuilder(f.pub.resolve("/self-service/" + kind + "/browser"))
        .header("Accept", "application/json"));
    assertEquals(200, r.statusCode(), r.body());
    return f.json.readTree(r.body());
  }

  private static String csrf(JsonNode flow) {
    for (JsonNode n : flow.path("ui").path("nodes")) {
      if (n.path("attributes").path("name").asText().equals("csrf_token")) {
        return n.path("attributes").path("value").asText();
      }
    }
    throw new AssertionError("no csrf_token node in " + flow);
  }

  private HttpResponse<String> submit(TestBrowser b, String kind, JsonNode flow, String form) throws Exception {
    return b.send(SecurityFixture.form(f.pub.resolve("/self-service/" + kind + "?flow=" + flow.get("id").asText()),
        form).header("Accept", "application/json"));
  }

  /** A browser signed in through Kratos' browser login flow (the session cookie in its jar). */
  private TestBrowser signedIn() throws Exception {
    TestBrowser b = new TestBrowser();
    JsonNode login = flow(b, "login");
    HttpResponse<String> r = submit(b, "login", login, "csrf_token=" + TestBrowser.enc(csrf(login))
        + "&identifier=" + TestBrowser.enc(SecurityFixture.EMAIL) + "&password="
        + TestBrowser.enc(SecurityFixture.PASSWORD) + "&method=password");
    assertEquals(200, r.statusCode(), r.body());
    return b;
  }

  private static String body(String kind) {
    return switch (kind) {
      case "login" -> "identifier=" + TestBrowser.enc(SecurityFixture.EMAIL) + "&password="
          + TestBrowser.enc(SecurityFixture.PASSWORD) + "&method=password";
      case "registration" -> "traits.email=csrf-new%40example.com&password="
          + TestBrowser.enc("another correct horse staple") + "&method=password";
      case "settings" -> "traits.email=" + TestBrowser.enc(SecurityFixture.EMAIL) + "&method=profile";
      default -> "email=" + TestBrowser.enc(SecurityFixture.EMAIL) + "&method=code";
    };
  }

  private void assertCsrfViolation(HttpResponse<String> r) throws Exception {
    assertEquals(403, r.statusCode(), r.body());
    assertFalse(r.headers().firstValue("Location").isPresent());
    assertFalse(r.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("ory_kratos_session=")),
        "no session was issued");
    JsonNode error = f.json.readTree(r.body()).get("error");
    assertEquals("security_csrf_violation", error.get("id").asText(), r.body());
    assertEquals(403, error.get("code").asInt());
    assertEquals("the request was rejected to protect you from Cross-Site-Request-Forgery",
        error.get("message").asText());
    assertTrue(error.get("reason").asText().startsWith("Please retry the flow and optionally clear your cookies."));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"login", "registration", "settings", "recovery", "verification"})
  void kratosFlowWhenCsrfTokenMissingWrongOrAnotherBrowsersThen403SecurityCsrfViolation(String kind)
      throws Exception {
    boolean session = kind.equals("settings");
    TestBrowser victim = session ? signedIn() : new TestBrowser();
    TestBrowser attacker = session ? signedIn() : new TestBrowser();
    JsonNode victimFlow = flow(victim, kind);
    JsonNode attackerFlow = flow(attacker, kind);

    assertCsrfViolation(submit(victim, kind, victimFlow, body(kind)));
    assertCsrfViolation(submit(victim, kind, victimFlow, "csrf_token=" + TestBrowser.enc(csrf(victimFlow) + "x")
        + "&" + body(kind)));
    assertCsrfViolation(submit(victim, kind, victimFlow, "csrf_token=&" + body(kind)));
    // the attacker's flow and token, posted from the victim's browser (whose CSRF cookie is its own)
    assertCsrfViolation(submit(victim, kind, attackerFlow, "csrf_token=" + TestBrowser.enc(csrf(attackerFlow))
        + "&" + body(kind)));
    // ... and from a browser with no CSRF cookie at all
    assertCsrfViolation(submit(new TestBrowser(), kind, attackerFlow, "csrf_token="
        + TestBrowser.enc(csrf(attackerFlow)) + "&" + body(kind)));

    HttpResponse<String> own = submit(victim, kind, victimFlow, "csrf_token=" + TestBrowser.enc(csrf(victimFlow))
        + "&" + body(kind));
    assertNotEquals(403, own.statusCode(), "the flow's own token passes: " + own.body());
    assertTrue(own.statusCode() < 500, own.body());
  }

  @Test
  void logoutWhenTokenIsAnotherBrowsersThen403AndThisBrowserStaysSignedIn() throws Exception {
    TestBrowser victim = signedIn();
    TestBrowser attacker = signedIn();
    String attackerUrl = f.json.readTree(attacker.send(HttpRequest.newBuilder(f.pub.resolve(
        "/self-service/logout/browser")).header("Accept", "application/json")).body()).get("logout_url").asText();

    HttpResponse<String> forged = victim.send(HttpRequest.newBuilder(URI.create(attackerUrl)));
    assertEquals(403, forged.statusCode(), forged.body());
    assertEquals("Unable to log out because the logout token in the URL query does not match the session cookie.",
        f.json.readTree(forged.body()).get("error").get("reason").asText());
    assertTrue(forged.headers().allValues("Set-Cookie").isEmpty(), "the victim's cookie is kept");
    assertEquals(200, victim.send(HttpRequest.newBuilder(f.pub.resolve("/sessions/whoami"))).statusCode());

    HttpResponse<String> wrong = victim.send(HttpRequest.newBuilder(f.pub.resolve("/self-service/logout?token=guess")));
    assertEquals(401, wrong.statusCode(), wrong.body());
    assertEquals(200, victim.send(HttpRequest.newBuilder(f.pub.resolve("/sessions/whoami"))).statusCode());

    assertEquals(303, attacker.send(HttpRequest.newBuilder(URI.create(attackerUrl))).statusCode(),
        "the token still works for its own browser");
  }

  /** Opens the authorization request in a browser, signs in through the login flow, and answers the consent page. */
  private HttpResponse<String> consentPage(TestBrowser b) throws Exception {
    HttpResponse<String> page = b.followWithin(f.pub, b.send(HttpRequest.newBuilder(f.pub.resolve(
        "/oauth2/auth?response_type=code&client_id=" + TestBrowser.enc(clientId) + "&redirect_uri="
            + TestBrowser.enc(SecurityFixture.CALLBACK) + "&scope=openid&state=state-0123456789"))));
    assertEquals(200, page.statusCode(), page.body());
    HttpResponse<String> consent = b.signIn(page, SecurityFixture.EMAIL, SecurityFixture.PASSWORD);
    assertEquals(200, consent.statusCode(), consent.body());
    return consent;
  }

  private HttpResponse<String> post(TestBrowser b, String path, String form) throws Exception {
    return b.send(SecurityFixture.form(f.pub.resolve(path), form));
  }

  private void assertUiRefused(HttpResponse<String> r) throws Exception {
    assertEquals(403, r.statusCode(), r.body());
    assertFalse(r.headers().firstValue("Location").isPresent());
    assertEquals("The form was not submitted from this site (CSRF check failed); reload the page.",
        f.json.readTree(r.body()).get("error").get("message").asText());
  }

  /** The three forgeries of a form of the login and consent provider, then the genuine submission. */
  private HttpResponse<String> forgeThenSubmit(TestBrowser victim, TestBrowser attacker, String path,
      HttpResponse<String> victimPage, HttpResponse<String> attackerPage, String rest) throws Exception {
    String challenge = "challenge=" + TestBrowser.enc(TestBrowser.field(victimPage.body(), "challenge"));
    assertUiRefused(post(victim, path, challenge + rest));
    assertUiRefused(post(victim, path, challenge + "&csrf_token=wrong-token" + rest));
    assertUiRefused(post(victim, path, "challenge=" + TestBrowser.enc(TestBrowser.field(attackerPage.body(),
        "challenge")) + "&csrf_token=" + TestBrowser.enc(TestBrowser.field(attackerPage.body(), "csrf_token"))
        + rest));
    HttpResponse<String> ok = post(victim, path, challenge + "&csrf_token="
        + TestBrowser.enc(TestBrowser.field(victimPage.body(), "csrf_token")) + rest);
    assertEquals(303, ok.statusCode(), ok.body());
    return ok;
  }

  @Test
  void consentUiWhenCsrfTokenMissingWrongOrAnotherBrowsersThen403() throws Exception {
    TestBrowser victim = new TestBrowser();
    TestBrowser attacker = new TestBrowser();
    forgeThenSubmit(victim, attacker, "/ui/consent", consentPage(victim), consentPage(attacker), "&decision=allow");
  }
}
