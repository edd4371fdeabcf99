package io.ory4j.identity.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.BrowserSettings;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.MutableClock;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.TestAuthenticator;
import io.ory4j.identity.WebAuthnSettings;
import io.ory4j.identity.hash.BcryptHasher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kratos' webauthn and passkey methods over HTTP on embedded Jetty, as a single-page app drives Kratos' browser flows
 * (JSON, the CSRF and session cookies), with a software authenticator answering the options the flows hold.
 */
class WebAuthnJettyTest {

  private static final OryJson JSON = OryJson.create();
  private static final String ORIGIN = "https://auth.example.com";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private IdentityService service;
  private IdentityJettyServer server;

  private void start(boolean passwordless) throws Exception {
    service = IdentityService.builder().schemas(IdentityServiceTest.schemas()).clock(clock)
        .hooks(SelfServiceHooks.sessionAfterRegistration().withRegistrationAfter(List.of(
            SelfServiceHooks.Hook.session())))
        .hasher(new BcryptHasher(4, new SecureRandom()))
        .webAuthn(WebAuthnSettings.of("example.com", "Example", ORIGIN).withPasswordless(passwordless))
        .passkey(WebAuthnSettings.of("example.com", "Example", ORIGIN)).build();
    BrowserSettings browser = new BrowserSettings(URI.create("https://app.example/login"),
        URI.create("https://app.example/registration"), URI.create("https://app.example/"), List.of(), false);
    server = new IdentityJettyServer(service, JSON, clock, browser);
  }

  /** Starts the server and makes a software authenticator (its key from {@code seed}). */
  private TestAuthenticator startWithKey(boolean passwordless, int seed) throws Exception {
    start(passwordless);
    return new TestAuthenticator((byte) seed);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static final java.util.regex.Pattern SET_COOKIE = java.util.regex.Pattern.compile("^([^=;]+)=([^;]*)");

  /**
   * A browser running an SPA: JSON requests, and the cookies the server set (kept by hand: the JDK's cookie manager
   * would drop the session cookie, whose Expires comes from the test's clock).
   */
  private final class Browser {
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final java.util.Map<String, String> jar = new java.util.TreeMap<>();

    /** Holds a cookie for the server, as if it had set it. */
    void cookie(String name, String value) {
      jar.put(name, value);
    }

    HttpResponse<String> send(String method, String target, @Nullable String body) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(server.pub.resolve(target)).header("Accept", "application/json")
          .header("Content-Type", "application/json");
      StringBuilder cookies = new StringBuilder();
      jar.forEach((k, v) -> cookies.append(cookies.length() == 0 ? "" : "; ").append(k).append('=').append(v));
      if (cookies.length() > 0) {
        b.header("Cookie", cookies.toString());
      }
      b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
      HttpResponse<String> r = client.send(b.build(), BodyHandlers.ofString());
      r.headers().allValues("Set-Cookie").forEach(c -> {
        java.util.regex.Matcher m = SET_COOKIE.matcher(c);
        if (m.find() && c.contains("Max-Age=0")) {
          jar.remove(m.group(1));
        } else if (m.find(0)) {
          jar.put(m.group(1), m.group(2));
        }
      });
      return r;
    }

    JsonNode init(String target) throws Exception {
      HttpResponse<String> r = send("GET", target, null);
      assertEquals(200, r.statusCode(), r.body());
      return JSON.readTree(r.body());
    }

    HttpResponse<String> submit(JsonNode flow, ObjectNode body) throws Exception {
      body.put("csrf_token", value(flow, "csrf_token"));
      return send("POST", flow.path("ui").path("action").asText(), JSON.write(body));
    }
  }

  private static @Nullable JsonNode node(JsonNode flow, String name) {
    for (JsonNode n : flow.path("ui").path("nodes")) {
      if (name.equals(n.path("attributes").path("name").asText()) || name.equals(n.path("attributes").path("id")
          .asText())) {
        return n;
      }
    }
    return null;
  }

  private static String value(JsonNode flow, String name) {
    JsonNode n = node(flow, name);
    assertNotNull(n, "no node " + name + " in " + flow);
    return n.path("attributes").path("value").asText();
  }

  /** The options a trigger button's {@code onclick} passes to the script: {@code window.__fn({...})}. */
  private static JsonNode onclickOptions(JsonNode flow, String trigger) {
    JsonNode n = node(flow, trigger);
    assertNotNull(n, "no " + trigger);
    String onclick = n.path("attributes").path("onclick").asText();
    return JSON.readTree(onclick.substring(onclick.indexOf('(') + 1, onclick.lastIndexOf(')')));
  }

  private static List<String> groupNames(JsonNode flow, String group) {
    List<String> out = new ArrayList<>();
    flow.path("ui").path("nodes").forEach(n -> {
      if (n.path("group").asText().equals(group)) {
        out.add(n.path("attributes").path("name").asText(n.path("attributes").path("id").asText()));
      }
    });
    return out;
  }

  /** A password account whose browser holds an aal1 session of its own. */
  private Browser signedUp(String email) throws Exception {
    Browser b = new Browser();
    IdentityService.Login login = service.registerWithPassword(null, JSON.readTree("{\"email\":\"" + email
        + "\"}"), "correct horse staple");
    b.cookie(IdentityApi.SESSION_COOKIE, login.sessionToken());
    return b;
  }

  /** Enrols {@code a} in the browser's settings flow; returns the flow after. */
  private JsonNode enrol(Browser b, TestAuthenticator a, String name) throws Exception {
    JsonNode flow = b.init("/self-service/settings/browser");
    String answer = a.register(onclickOptions(flow, "webauthn_register_trigger"), ORIGIN, "packed");
    HttpResponse<String> r = b.submit(flow, JSON.object().put("method", "webauthn").put("webauthn_register", answer)
        .put("webauthn_register_displayname", name));
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private Browser passwordLogin(String email) throws Exception {
    Browser b = new Browser();
    JsonNode flow = b.init("/self-service/login/browser");
    HttpResponse<String> r = b.submit(flow, JSON.object().put("method", "password").put("identifier", email)
        .put("password", "correct horse staple"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("aal1", JSON.readTree(r.body()).at("/session/authenticator_assurance_level").asText());
    return b;
  }

  @Test
  void settingsWhenWebAuthnRegisteredThenKratosNodesAndCredentialStored() throws Exception {
    start(false);
    Browser b = signedUp("ada@example.com");
    JsonNode flow = b.init("/self-service/settings/browser");
    assertEquals(List.of("webauthn_register_displayname", "webauthn_register_trigger", "webauthn_register",
        "webauthn_script"), groupNames(flow, "webauthn"));
    assertFalse(flow.has("internal_context"), "the challenge stays on the server");
    assertEquals(List.of("totp_qr", "totp_secret_key", "totp_code", "method"), groupNames(flow, "totp"));
    assertTrue(node(flow, "totp_qr").at("/attributes/src").asText().startsWith("data:image/png;base64,"));
    JsonNode script = node(flow, "webauthn_script").path("attributes");
    assertTrue(script.path("src").asText().endsWith("/.well-known/ory/webauthn.js"));
    JsonNode options = onclickOptions(flow, "webauthn_register_trigger");
    assertEquals("example.com", options.at("/publicKey/rp/id").asText());
    assertEquals(1050012, node(flow, "webauthn_register_trigger").at("/meta/label/id").asInt());

    TestAuthenticator a = new TestAuthenticator((byte) 1);
    HttpResponse<String> r = b.submit(flow, JSON.object().put("webauthn_register", a.register(options, ORIGIN,
        "packed")).put("webauthn_register_displayname", "YubiKey"));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode after = JSON.readTree(r.body());
    assertEquals("success", after.path("state").asText());
    JsonNode remove = node(after, "webauthn_remove");
    assertEquals(a.credentialIdHex(), remove.at("/attributes/value").asText());
    assertEquals(1050018, remove.at("/meta/label/id").asInt());
    assertEquals("Remove security key \"YubiKey\"", remove.at("/meta/label/text").asText());
    assertFalse(remove.at("/attributes/disabled").asBoolean());

    String id = after.at("/identity/id").asText();
    JsonNode identity = JSON.readTree(server.send("GET", server.admin, "/admin/identities/" + id
        + "?include_credential=webauthn", null).body());
    JsonNode cred = identity.at("/credentials/webauthn");
    assertEquals(List.of("ada@example.com"), List.of(cred.path("identifiers").get(0).asText()));
    JsonNode k = cred.at("/config/credentials/0");
    assertEquals(Base64.getEncoder().encodeToString(a.credentialId()), k.path("id").asText());
    assertEquals("YubiKey", k.path("display_name").asText());
    assertEquals("self", k.path("attestation_type").asText());
    assertFalse(k.path("is_passwordless").asBoolean());
    assertEquals("aal2", JSON.readTree(b.send("GET", "/sessions/whoami", null).body())
        .path("authenticator_assurance_level").asText(), "adding a second factor authenticates it, as Kratos");

    HttpResponse<String> js = b.send("GET", "/.well-known/ory/webauthn.js", null);
    assertEquals(200, js.statusCode());
    assertEquals("sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(
        js.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))), script.path("integrity").asText());
  }

  @Test
  void loginWhenPasswordThenWebAuthnStepUpThenAal2() throws Exception {
    TestAuthenticator a = startWithKey(false, 2);
    enrol(signedUp("bob@example.com"), a, "key");
    Browser b = passwordLogin("bob@example.com");
    HttpResponse<String> who = b.send("GET", "/sessions/whoami", null);
    assertEquals(403, who.statusCode());
    JsonNode err = JSON.readTree(who.body()).path("error");
    assertEquals("session_aal2_required", err.path("id").asText());
    assertTrue(err.at("/details/redirect_browser_to").asText().endsWith("/self-service/login/browser?aal=aal2"));

    JsonNode flow = b.init("/self-service/login/browser?aal=aal2");
    assertEquals("aal2", flow.path("requested_aal").asText());
    assertEquals(List.of("webauthn_login_trigger", "webauthn_login", "webauthn_script"), groupNames(flow,
        "webauthn"));
    HttpResponse<String> r = b.submit(flow, JSON.object().put("method", "webauthn").put("webauthn_login",
        a.assertion(onclickOptions(flow, "webauthn_login_trigger"), ORIGIN)));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode session = JSON.readTree(r.body()).path("session");
    assertEquals("aal2", session.path("authenticator_assurance_level").asText());
    assertEquals("webauthn", session.at("/authentication_methods/1/method").asText());
    assertEquals(200, b.send("GET", "/sessions/whoami", null).statusCode());
  }

  @Test
  void settingsWhenWebAuthnSecondFactorAndSessionAal1Then403SessionAal2Required() throws Exception {
    start(false);
    enrol(signedUp("cy@example.com"), new TestAuthenticator((byte) 3), "key");
    Browser b = passwordLogin("cy@example.com");
    HttpResponse<String> r = b.send("GET", "/self-service/settings/browser", null);
    assertEquals(403, r.statusCode(), r.body());
    assertEquals("session_aal2_required", JSON.readTree(r.body()).at("/error/id").asText());
  }

  /** Starts an aal2 flow for a password session and answers it with {@code answer(options)}. */
  private HttpResponse<String> stepUp(Browser b, java.util.function.Function<JsonNode, String> answer)
      throws Exception {
    JsonNode flow = b.init("/self-service/login/browser?aal=aal2");
    return b.submit(flow, JSON.object().put("method", "webauthn").put("webauthn_login", answer.apply(
        onclickOptions(flow, "webauthn_login_trigger"))));
  }

  private static String messages(HttpResponse<String> r) {
    return JSON.readTree(r.body()).path("ui").path("messages").toString();
  }

  @Test
  void stepUpWhenWrongOriginRpIdOrSignatureThenRefusedWithReason() throws Exception {
    TestAuthenticator a = startWithKey(false, 4);
    enrol(signedUp("dee@example.com"), a, "key");
    Browser b = passwordLogin("dee@example.com");
    HttpResponse<String> origin = stepUp(b, o -> a.assertion(o, "https://phishing.example"));
    assertEquals(400, origin.statusCode());
    assertTrue(messages(origin).contains("the origin is not allowed"), origin.body());
    HttpResponse<String> rp = stepUp(b, o -> a.assertion(o.at("/publicKey/challenge").asText(),
        a.honest(ORIGIN, "evil.example")));
    assertEquals(400, rp.statusCode());
    assertTrue(messages(rp).contains("another relying party"), rp.body());
    HttpResponse<String> sig = stepUp(b, o -> a.assertionSignedByAnotherKey(o, ORIGIN));
    assertEquals(400, sig.statusCode());
    assertTrue(messages(sig).contains("signature does not verify"), sig.body());
    assertEquals(403, b.send("GET", "/sessions/whoami", null).statusCode(), "still aal1");
    // the refused flow was given a fresh challenge: its new options work
    JsonNode failed = JSON.readTree(sig.body());
    HttpResponse<String> ok = b.submit(failed, JSON.object().put("method", "webauthn").put("webauthn_login",
        a.assertion(onclickOptions(failed, "webauthn_login_trigger"), ORIGIN)));
    assertEquals(200, ok.statusCode(), ok.body());
  }

  @Test
  void stepUpWhenAssertionReplayedThenRefused() throws Exception {
    TestAuthenticator a = startWithKey(false, 5);
    enrol(signedUp("eli@example.com"), a, "key");
    Browser first = passwordLogin("eli@example.com");
    JsonNode flow = first.init("/self-service/login/browser?aal=aal2");
    String answer = a.assertion(onclickOptions(flow, "webauthn_login_trigger"), ORIGIN);
    assertEquals(200, first.submit(flow, JSON.object().put("webauthn_login", answer)).statusCode());
    // the same answer again: the flow is gone
    assertEquals(404, first.submit(flow, JSON.object().put("webauthn_login", answer)).statusCode());
    // and in another flow its challenge is not that flow's
    Browser second = passwordLogin("eli@example.com");
    JsonNode other = second.init("/self-service/login/browser?aal=aal2");
    HttpResponse<String> replay = second.submit(other, JSON.object().put("webauthn_login", answer));
    assertEquals(400, replay.statusCode());
    assertTrue(messages(replay).contains("challenge"), replay.body());
    // a challenge answers once even when the answer is refused: the second try meets a new challenge
    HttpResponse<String> again = second.submit(other, JSON.object().put("webauthn_login", answer));
    assertEquals(400, again.statusCode());
    assertEquals(403, second.send("GET", "/sessions/whoami", null).statusCode());
  }

  @Test
  void stepUpWhenCounterGoesBackwardsThenAal2AndCloneWarningAsKratos() throws Exception {
    TestAuthenticator a = startWithKey(false, 6);
    enrol(signedUp("fay@example.com"), a, "key");
    a.counter(20);
    assertEquals(200, stepUp(passwordLogin("fay@example.com"), o -> a.assertion(o, ORIGIN)).statusCode());
    a.counter(7);
    HttpResponse<String> cloned = stepUp(passwordLogin("fay@example.com"), o -> a.assertion(o, ORIGIN));
    assertEquals(200, cloned.statusCode(), cloned.body());
    String id = JSON.readTree(cloned.body()).at("/session/identity/id").asText();
    JsonNode auth = JSON.readTree(server.send("GET", server.admin, "/admin/identities/" + id
        + "?include_credential=webauthn", null).body()).at("/credentials/webauthn/config/credentials/0/authenticator");
    assertTrue(auth.path("clone_warning").asBoolean(), auth.toString());
    assertEquals(21, auth.path("sign_count").asLong());
  }

  @Test
  void loginWhenPasswordlessWebAuthnThenTwoStepsAndAal1Session() throws Exception {
    TestAuthenticator a = startWithKey(true, 7);
    JsonNode enrolled = enrol(signedUp("gus@example.com"), a, "laptop");
    assertEquals("aal1", JSON.readTree(server.send("GET", server.pub, "/sessions/whoami", null, "X-Session-Token",
        service.loginWithPassword("gus@example.com", "correct horse staple").sessionToken()).body())
        .path("authenticator_assurance_level").asText(), "a passwordless key is no second factor");
    assertNotNull(enrolled);
    Browser b = new Browser();
    JsonNode flow = b.init("/self-service/login/browser");
    assertTrue(groupNames(flow, "webauthn").contains("method"), flow.toString());
    HttpResponse<String> step1 = b.submit(flow, JSON.object().put("method", "webauthn").put("identifier",
        "gus@example.com"));
    assertEquals(200, step1.statusCode(), step1.body());
    JsonNode withTrigger = JSON.readTree(step1.body());
    JsonNode options = onclickOptions(withTrigger, "webauthn_login_trigger");
    assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(a.credentialId()),
        options.at("/publicKey/allowCredentials/0/id").asText());
    HttpResponse<String> step2 = b.submit(withTrigger, JSON.object().put("method", "webauthn")
        .put("identifier", "gus@example.com").put("webauthn_login", a.assertion(options, ORIGIN)));
    assertEquals(200, step2.statusCode(), step2.body());
    JsonNode session = JSON.readTree(step2.body()).path("session");
    assertEquals("aal1", session.path("authenticator_assurance_level").asText());
    assertEquals("webauthn", session.at("/authentication_methods/0/method").asText());

    Browser stranger = new Browser();
    HttpResponse<String> unknown = stranger.submit(stranger.init("/self-service/login/browser"), JSON.object()
        .put("method", "webauthn").put("identifier", "nobody@example.com"));
    assertEquals(400, unknown.statusCode());
    assertTrue(messages(unknown).contains("4000015"), unknown.body());
  }

  @Test
  void passkeyWhenRegisteredThenSignsInDiscoverablyAndLastOneCannotBeRemoved() throws Exception {
    TestAuthenticator a = startWithKey(false, 8);
    Browser b = new Browser();
    JsonNode reg = b.init("/self-service/registration/browser");
    assertEquals(List.of("method"), groupNames(reg, "passkey"));
    ObjectNode traits = JSON.object().put("email", "pat@example.com");
    ObjectNode start = JSON.object().put("method", "passkey");
    start.set("traits", traits);
    HttpResponse<String> step1 = b.submit(reg, start);
    assertEquals(200, step1.statusCode(), step1.body());
    JsonNode withOptions = JSON.readTree(step1.body());
    JsonNode create = JSON.readTree(value(withOptions, "passkey_create_data"));
    assertEquals("required", create.at("/publicKey/authenticatorSelection/residentKey").asText());
    assertEquals("pat@example.com", create.at("/publicKey/user/name").asText());
    ObjectNode finish = JSON.object().put("method", "passkey").put("passkey_register", a.register(create, ORIGIN,
        "none"));
    finish.set("traits", traits);
    HttpResponse<String> step2 = b.submit(withOptions, finish);
    assertEquals(200, step2.statusCode(), step2.body());
    JsonNode out = JSON.readTree(step2.body());
    assertEquals("passkey", out.at("/session/authentication_methods/0/method").asText());
    String id = out.at("/identity/id").asText();
    JsonNode stored = JSON.readTree(server.send("GET", server.admin, "/admin/identities/" + id
        + "?include_credential=passkey&include_credential=password", null).body()).path("credentials");
    assertFalse(stored.has("password"));
    String handle = stored.at("/passkey/identifiers/0").asText();
    assertEquals(64, handle.length());
    assertEquals(handle, new String(Base64.getDecoder().decode(stored.at("/passkey/config/user_handle").asText())));
    assertTrue(stored.at("/passkey/config/credentials/0/is_passwordless").asBoolean());

    Browser other = new Browser();
    JsonNode login = other.init("/self-service/login/browser");
    assertEquals(List.of("passkey_challenge", "passkey_login", "passkey_login_trigger"), groupNames(login,
        "passkey"));
    JsonNode challenge = JSON.readTree(value(login, "passkey_challenge"));
    assertEquals("required", challenge.at("/publicKey/userVerification").asText());
    HttpResponse<String> in = other.submit(login, JSON.object().put("method", "passkey").put("passkey_login",
        a.assertion(challenge, ORIGIN)));
    assertEquals(200, in.statusCode(), in.body());
    assertEquals(id, JSON.readTree(in.body()).at("/session/identity/id").asText());

    // the passkey is the only way in: its remove button is disabled and removing it is refused as Kratos
    JsonNode settings = other.init("/self-service/settings/browser");
    JsonNode remove = node(settings, "passkey_remove");
    assertTrue(remove.at("/attributes/disabled").asBoolean());
    assertEquals(1050020, remove.at("/meta/label/id").asInt());
    HttpResponse<String> refused = other.submit(settings, JSON.object().put("method", "passkey")
        .put("passkey_remove", a.credentialIdHex()));
    assertEquals(400, refused.statusCode(), refused.body());
    JsonNode msgs = node(JSON.readTree(refused.body()), "passkey_remove").path("messages");
    assertEquals(4000001, msgs.get(0).path("id").asInt(), refused.body());
    assertTrue(JSON.readTree(server.send("GET", server.admin, "/admin/identities/" + id
        + "?include_credential=passkey", null).body()).at("/credentials/passkey").isObject());
  }

  @Test
  void passkeyLoginWhenUserNotVerifiedThenRefused() throws Exception {
    TestAuthenticator a = startWithKey(false, 9);
    Browser b = signedUp("uv@example.com");
    JsonNode settings = b.init("/self-service/settings/browser");
    JsonNode create = JSON.readTree(value(settings, "passkey_create_data"));
    HttpResponse<String> added = b.submit(settings, JSON.object().put("passkey_register", a.register(create, ORIGIN,
        "packed")));
    assertEquals(200, added.statusCode(), added.body());
    Browser other = new Browser();
    JsonNode login = other.init("/self-service/login/browser");
    String challenge = JSON.readTree(value(login, "passkey_challenge")).at("/publicKey/challenge").asText();
    HttpResponse<String> r = other.submit(login, JSON.object().put("passkey_login", a.assertion(challenge,
        new TestAuthenticator.Tweaks(ORIGIN, "example.com", true, false, null))));
    assertEquals(400, r.statusCode());
    assertTrue(messages(r).contains("did not verify the user"), r.body());
  }

  /** The session the browser holds, as whoami shows it. */
  private JsonNode whoami(Browser b) throws Exception {
    HttpResponse<String> r = b.send("GET", "/sessions/whoami", null);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @Test
  void refreshWhenPasswordlessWebAuthnKeyThenTheRefreshFlowOffersItAndItReauthenticatesTheSession() throws Exception {
    TestAuthenticator a = startWithKey(true, 12);
    Browser b = signedUp("ivy@example.com");
    enrol(b, a, "laptop");
    JsonNode before = whoami(b);
    clock.advance(Duration.ofHours(3));
    JsonNode flow = b.init("/self-service/login/browser?refresh=true");
    assertTrue(flow.path("refresh").asBoolean(), flow.toString());
    assertTrue(groupNames(flow, "webauthn").contains("webauthn_login_trigger"), flow.toString());
    assertTrue(groupNames(flow, "password").contains("password"), "the password stays on offer");
    JsonNode options = onclickOptions(flow, "webauthn_login_trigger");
    assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(a.credentialId()),
        options.at("/publicKey/allowCredentials/0/id").asText());

    TestAuthenticator stranger = new TestAuthenticator((byte) 13);
    HttpResponse<String> refused = b.submit(flow, JSON.object().put("method", "webauthn").put("webauthn_login",
        stranger.assertion(options, ORIGIN)));
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(messages(refused).contains("not one of this account's"), refused.body());
    assertEquals(before.path("authenticated_at").asText(), whoami(b).path("authenticated_at").asText());

    JsonNode again = JSON.readTree(refused.body());
    assertTrue(again.path("refresh").asBoolean());
    JsonNode fresh = onclickOptions(again, "webauthn_login_trigger");
    HttpResponse<String> ok = b.submit(again, JSON.object().put("method", "webauthn").put("webauthn_login",
        a.assertion(fresh, ORIGIN)));
    assertEquals(200, ok.statusCode(), ok.body());
    JsonNode session = whoami(b);
    assertEquals(before.path("id").asText(), session.path("id").asText(), "the same session");
    assertEquals(clock.instant().toString(), session.path("authenticated_at").asText());
    JsonNode methods = session.path("authentication_methods");
    assertEquals("webauthn", methods.get(methods.size() - 1).path("method").asText());
    assertEquals("aal1", session.path("authenticator_assurance_level").asText());
  }

  @Test
  void refreshWhenPasskeyThenItReauthenticatesAndAnotherIdentitysPasskeyIsRefused() throws Exception {
    TestAuthenticator a = startWithKey(false, 14);
    Browser b = signedUp("pat@example.com");
    JsonNode settings = b.init("/self-service/settings/browser");
    assertEquals(200, b.submit(settings, JSON.object().put("method", "passkey").put("passkey_register", a.register(
        JSON.readTree(value(settings, "passkey_create_data")), ORIGIN, "packed"))).statusCode());
    TestAuthenticator otherKey = new TestAuthenticator((byte) 15);
    Browser other = signedUp("quinn@example.com");
    JsonNode otherSettings = other.init("/self-service/settings/browser");
    assertEquals(200, other.submit(otherSettings, JSON.object().put("method", "passkey").put("passkey_register",
        otherKey.register(JSON.readTree(value(otherSettings, "passkey_create_data")), ORIGIN, "packed")))
        .statusCode());
    JsonNode before = whoami(b);
    clock.advance(Duration.ofHours(3));

    JsonNode flow = b.init("/self-service/login/browser?refresh=true");
    assertEquals(List.of("passkey_challenge", "passkey_login", "passkey_login_trigger"), groupNames(flow,
        "passkey"));
    HttpResponse<String> refused = b.submit(flow, JSON.object().put("method", "passkey").put("passkey_login",
        otherKey.assertion(JSON.readTree(value(flow, "passkey_challenge")), ORIGIN)));
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(messages(refused).contains("4000015"), refused.body());
    assertEquals(before.path("authenticated_at").asText(), whoami(b).path("authenticated_at").asText());

    JsonNode again = JSON.readTree(refused.body());
    HttpResponse<String> ok = b.submit(again, JSON.object().put("method", "passkey").put("passkey_login",
        a.assertion(JSON.readTree(value(again, "passkey_challenge")), ORIGIN)));
    assertEquals(200, ok.statusCode(), ok.body());
    JsonNode session = whoami(b);
    assertEquals(before.path("id").asText(), session.path("id").asText());
    assertEquals(clock.instant().toString(), session.path("authenticated_at").asText());
    JsonNode methods = session.path("authentication_methods");
    assertEquals("passkey", methods.get(methods.size() - 1).path("method").asText());
  }

  @Test
  void webAuthnWhenApiFlowThenNotEnabledAsKratos() throws Exception {
    TestAuthenticator a = startWithKey(false, 10);
    enrol(signedUp("api@example.com"), a, "key");
    String token = service.loginWithPassword("api@example.com", "correct horse staple").sessionToken();
    HttpResponse<String> r = server.send("GET", server.pub, "/self-service/login/api?aal=aal2", null,
        "X-Session-Token", token);
    assertEquals(400, r.statusCode(), "a security key works in browser flows only");
  }
  @Test
  void adminDeleteWebAuthnCredentialsWhenSecondFactorThenRemovedAndAal1Again() throws Exception {
    TestAuthenticator a = startWithKey(false, 11);
    JsonNode enrolled = enrol(signedUp("adm@example.com"), a, "key");
    String id = enrolled.at("/identity/id").asText();
    assertEquals(204, server.send("DELETE", server.admin, "/admin/identities/" + id + "/credentials/webauthn", null)
        .statusCode());
    assertEquals(404, server.send("DELETE", server.admin, "/admin/identities/" + id + "/credentials/webauthn", null)
        .statusCode());
    assertEquals(400, server.send("DELETE", server.admin, "/admin/identities/" + id + "/credentials/passkey", null)
        .statusCode());
    assertEquals("aal1", service.availableAal(java.util.UUID.fromString(id)));
  }
}
