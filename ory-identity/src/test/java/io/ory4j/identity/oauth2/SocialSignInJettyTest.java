package io.ory4j.identity.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.BrowserSettings;
import io.ory4j.identity.Identity;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.MutableClock;
import io.ory4j.identity.OidcProvider;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.http.IdentityApi;
import io.ory4j.oauth2.CreatedClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Social sign-in (Kratos' {@code oidc} method) end to end: ory-oauth2 on embedded Jetty is the upstream OpenID Connect
 * provider (its login app accepts a test user), ory-identity's public API on another Jetty is the relying party, and
 * a cookie-keeping browser runs registration, login, link and unlink through Kratos' HTTP API.
 */
class SocialSignInJettyTest {

  private static final OryJson JSON = OryJson.create();
  /** The host app's pages: the browser stops when sent there. */
  private static final String APP = "https://app.example/";
  private static final String EMAIL = "sam@example.com";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Browser browser = new Browser();
  private UpstreamOp up;
  private Server server;
  private URI upstream;
  private URI base;
  private IdentityService identities;

  private void start(String mapperUrl) throws Exception {
    up = new UpstreamOp(clock, JSON);
    upstream = up.issuer;
    server = new Server();
    base = URI.create("http://127.0.0.1:" + TestJetty.bind(server));
    CreatedClient client = up.client(base, "upstream");
    OidcProvider provider = mapperUrl == null
        ? OidcProvider.generic("upstream", upstream, client.client().id().value(), client.secret(),
            Map.of("/email", "/email", "/name/first", "/given_name"))
        : OidcProvider.fromKratosConfig(JSON.readTree("[{\"id\":\"upstream\",\"provider\":\"generic\","
            + "\"issuer_url\":\"" + upstream + "\",\"client_id\":\"" + client.client().id().value() + "\","
            + "\"client_secret\":\"" + client.secret() + "\",\"scope\":[\"email\"],\"mapper_url\":\"" + mapperUrl
            + "\"}]")).get(0);
    identities = IdentityService.builder().schemas(IdentityServiceTest.schemas()).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom()))
        .hooks(SelfServiceHooks.none().withRegistrationAfter(List.of(SelfServiceHooks.Hook.session())))
        .oidcProviders(List.of(provider)).build();
    BrowserSettings settings = new BrowserSettings(URI.create(APP + "login"), URI.create(APP + "registration"),
        URI.create(APP), List.of(), false).withSettingsUi(URI.create(APP + "settings"));
    TestJetty.serve(server, new IdentityApi(identities, JSON, clock, base.toString(), settings).publicApi());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (up != null) {
      up.close();
    }
  }

  /** Starts a browser flow of {@code kind}; the flow JSON it was sent to. */
  private JsonNode flow(String kind) throws Exception {
    Browser.Page ui = browser.open(base.resolve("/self-service/" + kind + "/browser"), APP);
    assertTrue(ui.url().toString().startsWith(APP + kind), ui.url() + " " + ui.body());
    return fetch(kind, Browser.query(ui.url(), "flow").orElseThrow());
  }

  private JsonNode fetch(String kind, String id) throws Exception {
    var res = browser.send(HttpRequest.newBuilder(base.resolve("/self-service/" + kind + "/flows?id=" + id)).build());
    assertEquals(200, res.statusCode(), res.body());
    return JSON.readTree(res.body());
  }

  private static Optional<JsonNode> node(JsonNode flow, String group, String name) {
    for (JsonNode n : flow.path("ui").path("nodes")) {
      if (n.path("group").asText().equals(group) && n.path("attributes").path("name").asText().equals(name)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /** Submits {@code field=upstream} on the flow and follows the browser through the upstream and back. */
  private Browser.Page submit(String kind, JsonNode flow, String field) throws Exception {
    return browser.post(base.resolve("/self-service/" + (kind.equals("settings") ? "settings" : kind) + "?flow="
        + flow.path("id").asText()), APP, "csrf_token", browser.cookie(IdentityApi.CSRF_COOKIE).orElseThrow(),
        field, "upstream");
  }

  private Identity onlyIdentityOfSubject(String subject) {
    return identities.findByOidcSubject("upstream", subject).orElseThrow(() -> new AssertionError("no identity"));
  }

  private JsonNode whoami() throws Exception {
    var res = browser.send(HttpRequest.newBuilder(base.resolve("/sessions/whoami")).build());
    assertEquals(200, res.statusCode(), res.body());
    return JSON.readTree(res.body());
  }

  @Test
  void registrationWhenNewSubjectThenIdentityWithOidcCredentialAndSession() throws Exception {
    start(null);
    JsonNode flow = flow("registration");
    JsonNode button = node(flow, "oidc", "provider").orElseThrow(() -> new AssertionError(flow.toString()));
    assertEquals("upstream", button.path("attributes").path("value").asText());
    assertEquals("submit", button.path("attributes").path("type").asText());
    assertEquals(1040002, button.path("meta").path("label").path("id").asInt());
    assertEquals("Sign up with upstream", button.path("meta").path("label").path("text").asText());

    Browser.Page done = submit("registration", flow, "provider");
    assertEquals(URI.create(APP), done.url(), browser.visited.toString());
    assertTrue(browser.visited.stream().anyMatch(u -> u.toString().startsWith(upstream + "/oauth2/auth")
        && u.getQuery().contains("code_challenge_method=S256") && u.getQuery().contains("nonce=")),
        browser.visited.toString());
    assertTrue(browser.visited.stream().anyMatch(u -> u.getPath().equals("/self-service/methods/oidc/callback/upstream")));

    JsonNode session = whoami();
    assertEquals(EMAIL, session.path("identity").path("traits").path("email").asText());
    assertEquals("Sam", session.path("identity").path("traits").path("name").path("first").asText());
    assertEquals("oidc", session.path("authentication_methods").get(0).path("method").asText());
    Identity i = identities.getIdentity(onlyIdentityOfSubject("upstream-user-1").id(), true).orElseThrow();
    Identity.Credentials oidc = i.credentials().get("oidc");
    assertEquals(List.of("upstream:upstream-user-1"), oidc.identifiers());
    assertEquals("upstream-user-1", oidc.config().path("providers").get(0).path("subject").asText());
    assertEquals("upstream", oidc.config().path("providers").get(0).path("provider").asText());
    assertFalse(oidc.config().toString().contains("token"), "no upstream token is stored: " + oidc.config());
    assertFalse(i.credentials().containsKey("password"));
    assertTrue(browser.cookie("ory_kratos_oidc_state").isEmpty(), "the state cookie is cleared");
  }

  @Test
  void loginWhenKnownSubjectThenSignedInAsThatIdentity() throws Exception {
    start(null);
    submit("registration", flow("registration"), "provider");
    String id = whoami().path("identity").path("id").asText();
    browser.cookies.clear();
    JsonNode login = flow("login");
    assertEquals(1010002, node(login, "oidc", "provider").orElseThrow().path("meta").path("label").path("id").asInt());
    Browser.Page done = submit("login", login, "provider");
    assertEquals(URI.create(APP), done.url());
    assertEquals(id, whoami().path("identity").path("id").asText());
    assertEquals(1, identities.listIdentities(io.ory4j.core.storage.PageRequest.parse(null, null), null).items()
        .size());
  }

  @Test
  void loginWhenUnknownSubjectThenContinuesIntoRegistration() throws Exception {
    start(null);
    Browser.Page done = submit("login", flow("login"), "provider");
    assertEquals(URI.create(APP), done.url(), browser.visited.toString());
    assertEquals(EMAIL, whoami().path("identity").path("traits").path("email").asText());
    onlyIdentityOfSubject("upstream-user-1");
  }

  @Test
  void registrationWhenKnownSubjectThenLogsIn() throws Exception {
    start(null);
    submit("registration", flow("registration"), "provider");
    String id = whoami().path("identity").path("id").asText();
    browser.cookies.clear();
    submit("registration", flow("registration"), "provider");
    assertEquals(id, whoami().path("identity").path("id").asText());
  }

  @Test
  void registrationWhenEmailBelongsToAnotherIdentityThenRefusedWith4000007() throws Exception {
    start(null);
    identities.registerWithPassword(null, JSON.readTree("{\"email\":\"" + EMAIL + "\"}"),
        "a-long-and-unusual-passphrase-42");
    JsonNode flow = flow("registration");
    Browser.Page back = submit("registration", flow, "provider");
    assertEquals(APP + "registration?flow=" + flow.path("id").asText(), back.url().toString());
    JsonNode failed = fetch("registration", flow.path("id").asText());
    assertEquals(4000007, failed.path("ui").path("messages").get(0).path("id").asInt(), failed.toString());
    assertTrue(node(failed, "oidc", "provider").isPresent(), "the buttons stay");
    assertTrue(identities.findByOidcSubject("upstream", "upstream-user-1").isEmpty(), "no silent linking");
    assertTrue(browser.cookie(IdentityApi.SESSION_COOKIE).isEmpty());
  }

  @Test
  void callbackWhenUpstreamDeniesThenItsErrorIsAMessageOnTheFlow() throws Exception {
    start(null);
    up.denies.set(true);
    JsonNode flow = flow("login");
    Browser.Page back = submit("login", flow, "provider");
    assertEquals(APP + "login?flow=" + flow.path("id").asText(), back.url().toString());
    JsonNode failed = fetch("login", flow.path("id").asText());
    JsonNode message = failed.path("ui").path("messages").get(0);
    assertEquals(4000001, message.path("id").asInt(), failed.toString());
    assertTrue(message.path("text").asText().startsWith("Unable to complete OpenID Connect flow because the OpenID "
        + "Provider returned error \"access_denied\""), message.toString());
    assertEquals("error", message.path("type").asText());
  }

  @Test
  void callbackWhenStateCookieMissingOrStateUnknownThenRefused() throws Exception {
    start(null);
    JsonNode flow = flow("login");
    var started = browser.send(HttpRequest.newBuilder(base.resolve("/self-service/login?flow=" + flow.path("id")
        .asText())).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers
        .ofString(Browser.form("csrf_token", browser.cookie(IdentityApi.CSRF_COOKIE).orElseThrow(), "provider",
            "upstream"))).build());
    assertEquals(303, started.statusCode(), started.body());
    String state = Browser.query(URI.create(started.headers().firstValue("Location").orElseThrow()), "state")
        .orElseThrow();
    browser.cookies.remove("ory_kratos_oidc_state");
    var forged = browser.send(HttpRequest.newBuilder(base.resolve("/self-service/methods/oidc/callback/upstream?state="
        + state + "&code=x")).build());
    assertEquals(403, forged.statusCode(), forged.body());
    assertTrue(forged.body().contains("security_csrf_violation"), forged.body());
    var unknown = browser.send(HttpRequest.newBuilder(base.resolve("/self-service/methods/oidc/callback/upstream"
        + "?state=00000000-0000-0000-0000-000000000000&code=x")).build());
    assertEquals(400, unknown.statusCode(), unknown.body());
    assertTrue(unknown.body().startsWith("{\"error\""), unknown.body());
  }

  @Test
  void startWhenJsonClientThen422BrowserLocationChangeRequired() throws Exception {
    start(null);
    JsonNode flow = flow("login");
    var res = browser.send(HttpRequest.newBuilder(base.resolve("/self-service/login?flow=" + flow.path("id")
        .asText())).header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"csrf_token\":\"" + browser.cookie(IdentityApi.CSRF_COOKIE)
            .orElseThrow() + "\",\"method\":\"oidc\",\"provider\":\"upstream\"}")).build());
    assertEquals(422, res.statusCode(), res.body());
    JsonNode body = JSON.readTree(res.body());
    assertEquals("browser_location_change_required", body.path("error").path("id").asText());
    assertTrue(body.path("redirect_browser_to").asText().startsWith(upstream + "/oauth2/auth?"), res.body());
  }

  @Test
  void startWhenUnknownProviderThenMessageOnTheFlow() throws Exception {
    start(null);
    JsonNode flow = flow("login");
    var res = browser.send(HttpRequest.newBuilder(base.resolve("/self-service/login?flow=" + flow.path("id")
        .asText())).header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"csrf_token\":\"" + browser.cookie(IdentityApi.CSRF_COOKIE)
            .orElseThrow() + "\",\"provider\":\"nope\"}")).build());
    assertEquals(400, res.statusCode(), res.body());
    assertTrue(res.body().contains("Unable to find the OpenID Connect provider \\\"nope\\\""), res.body());
  }

  @Test
  void settingsWhenLinkedThenOidcLoginReachesThePasswordIdentityAndUnlinkRemovesIt() throws Exception {
    start(null);
    IdentityService.Login pw = identities.registerWithPassword(null, JSON.readTree(
        "{\"email\":\"pat@example.com\"}"), "a-long-and-unusual-passphrase-42");
    IdentityService.Login login = identities.loginWithPassword("pat@example.com", "a-long-and-unusual-passphrase-42");
    browser.cookies.put(IdentityApi.SESSION_COOKIE, new Browser.Jar(IdentityApi.SESSION_COOKIE,
        login.sessionToken(), "/", true));
    JsonNode settings = flow("settings");
    JsonNode link = node(settings, "oidc", "link").orElseThrow(() -> new AssertionError(settings.toString()));
    assertEquals(1050002, link.path("meta").path("label").path("id").asInt());
    assertEquals("Link upstream", link.path("meta").path("label").path("text").asText());

    Browser.Page back = submit("settings", settings, "link");
    assertEquals(APP + "settings?flow=" + settings.path("id").asText(), back.url().toString(), browser.visited.toString());
    JsonNode saved = fetch("settings", settings.path("id").asText());
    assertEquals("success", saved.path("state").asText(), saved.toString());
    assertTrue(node(saved, "oidc", "unlink").isPresent(), saved.toString());
    assertEquals(pw.identity().id(), onlyIdentityOfSubject("upstream-user-1").id());
    assertTrue(identities.getIdentity(pw.identity().id(), true).orElseThrow().credentials().containsKey("password"));

    // a browser without a session signs in with the upstream account and reaches the same identity
    Browser other = new Browser();
    Browser.Page ui = other.open(base.resolve("/self-service/login/browser"), APP);
    other.post(base.resolve("/self-service/login?flow=" + Browser.query(ui.url(), "flow").orElseThrow()), APP,
        "csrf_token", other.cookie(IdentityApi.CSRF_COOKIE).orElseThrow(), "provider", "upstream");
    String token = other.cookie(IdentityApi.SESSION_COOKIE).orElseThrow();
    assertEquals(pw.identity().id(), identities.whoami(token).orElseThrow().identityId());

    JsonNode again = flow("settings");
    Browser.Page unlinked = submit("settings", again, "unlink");
    assertEquals(APP + "settings?flow=" + again.path("id").asText(), unlinked.url().toString());
    assertTrue(identities.findByOidcSubject("upstream", "upstream-user-1").isEmpty());
    assertTrue(node(fetch("settings", again.path("id").asText()), "oidc", "link").isPresent());
  }

  @Test
  void settingsWhenUnlinkingTheOnlyCredentialThenRefused() throws Exception {
    start(null);
    submit("registration", flow("registration"), "provider");
    JsonNode settings = flow("settings");
    assertTrue(node(settings, "oidc", "unlink").isPresent(), settings.toString());
    submit("settings", settings, "unlink");
    JsonNode failed = fetch("settings", settings.path("id").asText());
    assertEquals(4000001, failed.path("ui").path("messages").get(0).path("id").asInt(), failed.toString());
    assertTrue(identities.findByOidcSubject("upstream", "upstream-user-1").isPresent());
  }

  @Test
  void settingsWhenUpstreamAccountBelongsToAnotherIdentityThenRefused() throws Exception {
    start(null);
    submit("registration", flow("registration"), "provider"); // upstream-user-1 is sam's
    browser.cookies.clear();
    identities.registerWithPassword(null, JSON.readTree("{\"email\":\"pat@example.com\"}"),
        "a-long-and-unusual-passphrase-42");
    browser.cookies.put(IdentityApi.SESSION_COOKIE, new Browser.Jar(IdentityApi.SESSION_COOKIE, identities
        .loginWithPassword("pat@example.com", "a-long-and-unusual-passphrase-42").sessionToken(), "/", true));
    JsonNode settings = flow("settings");
    submit("settings", settings, "link");
    JsonNode failed = fetch("settings", settings.path("id").asText());
    assertEquals(4000007, failed.path("ui").path("messages").get(0).path("id").asInt(), failed.toString());
  }

  @Test
  void registrationWhenKratosJsonnetMapperThenTraitsFromIt() throws Exception {
    String mapper = "local claims = std.extVar('claims');\n{\n  identity: {\n    traits: {\n"
        + "      [if 'email' in claims then 'email' else null]: claims.email,\n"
        + "      name: { first: 'From ' + claims.given_name },\n    },\n  },\n}\n";
    start("base64://" + Base64.getEncoder().encodeToString(mapper.getBytes(StandardCharsets.UTF_8)));
    submit("registration", flow("registration"), "provider");
    JsonNode traits = whoami().path("identity").path("traits");
    assertEquals(EMAIL, traits.path("email").asText());
    assertEquals("From Sam", traits.path("name").path("first").asText());
    assertNotNull(onlyIdentityOfSubject("upstream-user-1"));
  }

  @Test
  void refreshWhenOnlySocialSignInThenReauthenticatedByTheLinkedProvider() throws Exception {
    start(null);
    submit("registration", flow("registration"), "provider");
    JsonNode before = whoami();
    java.time.Duration later = java.time.Duration.ofMinutes(20);
    clock.advance(later);
    Browser.Page ui = browser.open(base.resolve("/self-service/login/browser?refresh=true"), APP);
    JsonNode refresh = fetch("login", Browser.query(ui.url(), "flow").orElseThrow());
    assertTrue(refresh.path("refresh").asBoolean(), refresh.toString());
    assertTrue(node(refresh, "oidc", "provider").isPresent(), refresh.toString());
    assertTrue(node(refresh, "password", "password").isEmpty(), "no password to confirm: " + refresh);

    Browser.Page done = submit("login", refresh, "provider");
    assertEquals(URI.create(APP), done.url(), browser.visited.toString());
    JsonNode after = whoami();
    assertEquals(before.path("id"), after.path("id"), "the same session");
    assertEquals(clock.instant().toString(), Instant.parse(after.path("authenticated_at").asText()).toString());
    assertEquals(2, after.path("authentication_methods").size());
  }

  @Test
  void refreshWhenAnotherUpstreamAccountThenRefusedAndSessionUnchanged() throws Exception {
    start(null);
    submit("registration", flow("registration"), "provider");
    JsonNode before = whoami();
    clock.advance(java.time.Duration.ofMinutes(20));
    up.subject.set("someone-else");
    Browser.Page ui = browser.open(base.resolve("/self-service/login/browser?refresh=true"), APP);
    String id = Browser.query(ui.url(), "flow").orElseThrow();
    Browser.Page back = submit("login", fetch("login", id), "provider");
    assertEquals(APP + "login?flow=" + id, back.url().toString());
    JsonNode failed = fetch("login", id);
    assertTrue(failed.path("ui").path("messages").findValues("id").stream().anyMatch(i -> i.asInt() == 4000006),
        failed.toString());
    assertTrue(node(failed, "oidc", "provider").isPresent(), "the button stays: " + failed);
    assertEquals(before.path("authenticated_at"), whoami().path("authenticated_at"));
  }
}
