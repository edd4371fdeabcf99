package io.ory4j.identity.http;

import static io.ory4j.identity.http.AddressFlowClient.enc;
import static io.ory4j.identity.http.FlowClient.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.identity.BrowserSettings;
import io.ory4j.identity.IdentityException;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.MutableClock;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.http.FlowClient.Flavor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kratos' settings flow, methods {@code profile} and {@code password}, both flavors: protected traits and passwords
 * need a privileged session ({@code session_refresh_required} otherwise), other traits do not.
 */
class SettingsJettyTest {

  private static final String PASSWORD = "correct horse staple";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-08-01T00:00:00Z"));
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private IdentityService service;
  private IdentityJettyServer server;
  private String token;

  @BeforeEach
  void start() throws Exception {
    service = IdentityService.builder().schemas(IdentityServiceTest.schemas()).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).build();
    service.createIdentity(null, JSON.readTree("{\"email\":\"ada@example.com\",\"name\":{\"first\":\"Ada\"}}"), null,
        PASSWORD, null, null, null);
    token = service.loginWithPassword("ada@example.com", PASSWORD).sessionToken();
    server = new IdentityJettyServer(service, JSON, clock, new BrowserSettings(URI.create("https://app.example/login"),
        URI.create("https://app.example/registration"), URI.create("https://app.example/"), List.of(), false));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  /** A settings flow and, for browsers, the cookies to send with it. */
  private record Started(JsonNode flow, String cookies) {}

  private HttpResponse<String> send(HttpRequest.Builder b, Flavor f, String cookies) throws Exception {
    if (f == Flavor.API) {
      b.header("X-Session-Token", token);
    } else {
      b.header("Cookie", cookies);
    }
    return client.send(b.build(), BodyHandlers.ofString());
  }

  private Started start(Flavor f) throws Exception {
    if (f == Flavor.API) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(server.pub.resolve("/self-service/settings/api")), f, "");
      assertEquals(200, r.statusCode(), r.body());
      return new Started(JSON.readTree(r.body()), "");
    }
    String session = "ory_kratos_session=" + token;
    HttpResponse<String> init = send(HttpRequest.newBuilder(server.pub.resolve("/self-service/settings/browser")), f,
        session);
    assertEquals(303, init.statusCode(), init.body());
    String location = init.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith("https://app.example/settings?flow="), location);
    String cookies = session + "; " + init.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("csrf_token=")).map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
    return new Started(fetch(f, location.substring(location.indexOf("flow=") + 5), cookies), cookies);
  }

  private JsonNode fetch(Flavor f, String id, String cookies) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(server.pub.resolve("/self-service/settings/flows?id=" + id)),
        f, cookies);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /** Submits; answers the status and the flow (for a browser sent back to the UI, fetched again) or error. */
  private FlowClient.Outcome submit(Flavor f, Started s, String form) throws Exception {
    String target = "/self-service/settings?flow=" + s.flow().get("id").asText();
    HttpResponse<String> r;
    if (f == Flavor.API) {
      var body = JSON.object();
      for (String kv : form.split("&")) {
        String[] p = kv.split("=", 2);
        String v = java.net.URLDecoder.decode(p[1], java.nio.charset.StandardCharsets.UTF_8);
        if (p[0].startsWith("traits.")) {
          com.fasterxml.jackson.databind.node.ObjectNode t = body.with("traits");
          String[] path = p[0].substring(7).split("\\.");
          for (int i = 0; i < path.length - 1; i++) {
            t = t.with(path[i]);
          }
          t.put(path[path.length - 1], v);
        } else {
          body.put(p[0], v);
        }
      }
      r = send(HttpRequest.newBuilder(server.pub.resolve(target)).header("Content-Type", "application/json")
          .POST(BodyPublishers.ofString(JSON.write(body))), f, "");
      return new FlowClient.Outcome(r.statusCode(), JSON.readTree(r.body()), null);
    }
    String csrf = s.flow().get("ui").get("nodes").get(0).get("attributes").get("value").asText();
    r = send(HttpRequest.newBuilder(server.pub.resolve(target)).header("Content-Type",
        "application/x-www-form-urlencoded").POST(BodyPublishers.ofString("csrf_token=" + enc(csrf) + "&" + form)), f,
        s.cookies());
    assertEquals(303, r.statusCode(), r.body());
    String location = r.headers().firstValue("Location").orElseThrow();
    if (!location.startsWith("https://app.example/settings?flow=")) {
      return new FlowClient.Outcome(303, JSON.object().put("location", location), null);
    }
    HttpResponse<String> after = send(HttpRequest.newBuilder(server.pub.resolve("/self-service/settings/flows?id="
        + s.flow().get("id").asText())), f, s.cookies());
    return new FlowClient.Outcome(after.statusCode() == 200 ? 303 : after.statusCode(), JSON.readTree(after.body()),
        null);
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void profileWhenUnprotectedTraitChangesThenSavedWithoutPrivilege(Flavor f) throws Exception {
    clock.advance(Duration.ofMinutes(20));
    Started s = start(f);
    assertEquals("show_form", s.flow().get("state").asText());
    assertEquals("ada@example.com", s.flow().get("identity").get("traits").get("email").asText());
    FlowClient.Outcome o = submit(f, s, "method=profile&traits.email=" + enc("ada@example.com")
        + "&traits.name.first=Augusta");
    assertEquals(f == Flavor.API ? 200 : 303, o.status(), o.body().toString());
    assertEquals("success", o.body().get("state").asText());
    assertEquals(1050001, o.body().get("ui").get("messages").get(0).get("id").asInt());
    assertEquals("Augusta", o.body().get("identity").get("traits").get("name").get("first").asText());
    assertEquals("Augusta", service.listIdentities(io.ory4j.core.storage.PageRequest.first(), null).items().get(0)
        .traits().get("name").get("first").asText());
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void profileWhenIdentifierChangesWithOldSessionThenRefreshRequiredThenAfterRefreshSaved(Flavor f) throws Exception {
    clock.advance(Duration.ofMinutes(20));
    Started s = start(f);
    FlowClient.Outcome refused = submit(f, s, "method=profile&traits.email=" + enc("augusta@example.com"));
    String redirect;
    if (f == Flavor.API) {
      assertEquals(403, refused.status());
      assertEquals("session_refresh_required", refused.body().get("error").get("id").asText());
      redirect = refused.body().get("error").get("details").get("redirect_browser_to").asText();
    } else {
      redirect = refused.body().get("location").asText();
    }
    assertTrue(redirect.startsWith(server.pub + "/self-service/login/browser?refresh=true&return_to="), redirect);
    service.refreshWithPassword(token, PASSWORD);
    FlowClient.Outcome ok = submit(f, s, "method=profile&traits.email=" + enc("augusta@example.com"));
    assertEquals("success", ok.body().get("state").asText(), ok.body().toString());
    assertEquals(200, new FlowClient(service, clock).login(Flavor.API, "augusta@example.com", PASSWORD).status());
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void passwordWhenPrivilegedThenChangedAndWhenWeakThenPolicyMessage(Flavor f) throws Exception {
    Started s = start(f);
    FlowClient.Outcome weak = submit(f, s, "method=password&password=short");
    assertEquals(f == Flavor.API ? 400 : 303, weak.status());
    assertEquals(4000005, weak.body().get("ui").get("messages").get(0).get("id").asInt());
    FlowClient.Outcome ok = submit(f, s, "method=password&password=" + enc("a brand new passphrase"));
    assertEquals("success", ok.body().get("state").asText(), ok.body().toString());
    assertEquals("password", ok.body().get("active").asText());
    assertThrows(IdentityException.class, () -> service.loginWithPassword("ada@example.com", PASSWORD));
    service.loginWithPassword("ada@example.com", "a brand new passphrase");
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void passwordWhenSessionOlderThanPrivilegedAgeThenRefreshRequired(Flavor f) throws Exception {
    Started s = start(f);
    clock.advance(Duration.ofMinutes(16));
    FlowClient.Outcome refused = submit(f, s, "method=password&password=" + enc("a brand new passphrase"));
    if (f == Flavor.API) {
      assertEquals(403, refused.status());
      assertEquals("session_refresh_required", refused.body().get("error").get("id").asText());
    } else {
      assertTrue(refused.body().get("location").asText().contains("refresh=true"));
    }
    service.loginWithPassword("ada@example.com", PASSWORD);
  }

  @Test
  void flowsWhenAnotherIdentityOrNoSessionThenRefused() throws Exception {
    Started s = start(Flavor.API);
    service.createIdentity(null, JSON.readTree("{\"email\":\"bob@example.com\"}"), null, PASSWORD, null, null, null);
    String bob = service.loginWithPassword("bob@example.com", PASSWORD).sessionToken();
    HttpResponse<String> other = client.send(HttpRequest.newBuilder(server.pub.resolve(
        "/self-service/settings/flows?id=" + s.flow().get("id").asText())).header("X-Session-Token", bob).build(),
        BodyHandlers.ofString());
    assertEquals(403, other.statusCode());
    assertEquals("security_identity_mismatch", JSON.readTree(other.body()).get("error").get("id").asText());
    HttpResponse<String> none = client.send(HttpRequest.newBuilder(server.pub.resolve("/self-service/settings/api"))
        .build(), BodyHandlers.ofString());
    assertEquals(401, none.statusCode());
    HttpResponse<String> browserNone = client.send(HttpRequest.newBuilder(server.pub.resolve(
        "/self-service/settings/browser")).build(), BodyHandlers.ofString());
    assertEquals(303, browserNone.statusCode());
    assertEquals(server.pub + "/self-service/login/browser", browserNone.headers().firstValue("Location")
        .orElseThrow());
  }

  @Test
  void submitWhenBrowserWithoutCsrfTokenThen403() throws Exception {
    Started s = start(Flavor.BROWSER);
    HttpResponse<String> r = send(HttpRequest.newBuilder(server.pub.resolve("/self-service/settings?flow="
        + s.flow().get("id").asText())).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString("method=password&password=" + enc("a brand new passphrase"))), Flavor.BROWSER,
        s.cookies());
    assertEquals(403, r.statusCode());
  }

  private static JsonNode node(JsonNode flow, String id) {
    for (JsonNode n : flow.get("ui").get("nodes")) {
      if (id.equals(n.path("attributes").path("name").asText(n.path("attributes").path("id").asText()))) {
        return n;
      }
    }
    throw new AssertionError("no node " + id + " in " + flow);
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void totpWhenCodeFromTheShownSecretThenLinkedAndThenUnlinked(Flavor f) throws Exception {
    Started s = start(f);
    String secret = node(s.flow(), "totp_secret_key").get("attributes").get("text").get("context").get("secret")
        .asText();
    FlowClient.Outcome wrong = submit(f, s, "method=totp&totp_code=000000");
    if (!io.ory4j.identity.internal.Totp.code(io.ory4j.identity.internal.Totp.fromBase32(secret).orElseThrow(),
        io.ory4j.identity.internal.Totp.step(clock.instant().getEpochSecond())).equals("000000")) {
      assertEquals(4000008, wrong.body().get("ui").get("messages").get(0).get("id").asInt());
      assertEquals(secret, node(wrong.body(), "totp_secret_key").get("attributes").get("text").get("context")
          .get("secret").asText(), "a refused code keeps the secret shown");
    }
    String code = io.ory4j.identity.internal.Totp.code(io.ory4j.identity.internal.Totp.fromBase32(secret)
        .orElseThrow(), io.ory4j.identity.internal.Totp.step(clock.instant().getEpochSecond()));
    FlowClient.Outcome linked = submit(f, s, "method=totp&totp_code=" + code);
    java.util.UUID id = service.whoami(token).orElseThrow().identityId();
    assertEquals(List.of("totp"), service.secondFactors(id));
    if (f == Flavor.API) {
      assertEquals("success", linked.body().get("state").asText(), linked.body().toString());
      node(linked.body(), "totp_unlink");
    } else {
      assertEquals(403, linked.status(), "the browser's UI reloads the flow and must step up first");
    }
    JsonNode refused = JSON.readTree(send(HttpRequest.newBuilder(server.pub.resolve("/self-service/settings/api")),
        Flavor.API, "").body());
    assertEquals("session_aal2_required", refused.get("error").get("id").asText(),
        "with a second factor, settings need aal2 (highest_available)");
    clock.advance(Duration.ofSeconds(30));
    service.loginSecondFactor(token, "totp", io.ory4j.identity.internal.Totp.code(io.ory4j.identity.internal.Totp
        .fromBase32(secret).orElseThrow(), io.ory4j.identity.internal.Totp.step(clock.instant().getEpochSecond())));
    node(fetch(f, s.flow().get("id").asText(), s.cookies()), "totp_unlink");
    FlowClient.Outcome unlinked = submit(f, s, "method=totp&totp_unlink=true");
    assertEquals("success", unlinked.body().get("state").asText(), unlinked.body().toString());
    assertEquals(List.of(), service.secondFactors(id));
    node(unlinked.body(), "totp_secret_key");
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void lookupSecretsWhenRegeneratedThenShownOnceAndWhenDisabledThenGone(Flavor f) throws Exception {
    Started s = start(f);
    FlowClient.Outcome made = submit(f, s, "method=lookup_secret&lookup_secret_regenerate=true");
    assertEquals("success", made.body().get("state").asText(), made.body().toString());
    JsonNode codes = node(made.body(), "lookup_secret_codes").get("attributes").get("text").get("context")
        .get("secrets");
    assertEquals(12, codes.size());
    java.util.UUID id = service.whoami(token).orElseThrow().identityId();
    assertEquals(List.of(), service.secondFactors(id), "shown, not stored until confirmed (as Kratos)");
    node(made.body(), "lookup_secret_confirm");
    FlowClient.Outcome confirmed = submit(f, new Started(made.body(), s.cookies()),
        "method=lookup_secret&lookup_secret_confirm=true");
    assertEquals(f == Flavor.API ? 200 : 403, confirmed.status(), "a browser must step up to see the flow again");
    assertEquals(12, service.remainingLookupSecrets(id));
    assertEquals("aal2", service.loginSecondFactor(token, "lookup_secret", codes.get(0).get("text").asText())
        .authenticatorAssuranceLevel(), "a shown code works as a second factor");
    FlowClient.Outcome disabled = submit(f, s, "method=lookup_secret&lookup_secret_disable=true");
    assertEquals("success", disabled.body().get("state").asText(), disabled.body().toString());
    assertEquals(List.of(), service.secondFactors(id));
  }

  @Test
  void secondFactorsWhenSessionNotPrivilegedThenRefreshRequired() throws Exception {
    Started s = start(Flavor.API);
    clock.advance(Duration.ofMinutes(16));
    FlowClient.Outcome refused = submit(Flavor.API, s, "method=lookup_secret&lookup_secret_regenerate=true");
    assertEquals(403, refused.status());
    assertEquals("session_refresh_required", refused.body().get("error").get("id").asText());
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void hooksAfterSettingsWhenPasswordChangedThenOtherSessionsRevokedAndWebHookCalled(Flavor f) throws Exception {
    try (WebHookTarget target = new WebHookTarget()) {
      server.close();
      io.ory4j.identity.WebHook hook = io.ory4j.identity.WebHook.post(target.url("/settings"),
          "function(ctx) { email: ctx.identity.traits.email, session: ctx.session.id }");
      service = IdentityService.builder().schemas(IdentityServiceTest.schemas()).clock(clock)
          .identityStore(new io.ory4j.identity.store.memory.InMemoryIdentityStore())
          .hasher(new BcryptHasher(4, new SecureRandom())).hooks(io.ory4j.identity.SelfServiceHooks.none()
              .withSettingsAfterPassword(List.of(io.ory4j.identity.SelfServiceHooks.Hook.revokeActiveSessions()))
              .withSettingsAfter(List.of(io.ory4j.identity.SelfServiceHooks.Hook.webHook(hook)))).build();
      service.createIdentity(null, JSON.readTree("{\"email\":\"ada@example.com\"}"), null, PASSWORD, null, null,
          null);
      String other = service.loginWithPassword("ada@example.com", PASSWORD).sessionToken();
      token = service.loginWithPassword("ada@example.com", PASSWORD).sessionToken();
      server = new IdentityJettyServer(service, JSON, clock, new BrowserSettings(URI.create(
          "https://app.example/login"), URI.create("https://app.example/registration"), URI.create(
              "https://app.example/"), List.of(), false));
      Started s = start(f);
      assertEquals("success", submit(f, s, "method=password&password=" + enc("a brand new passphrase")).body()
          .get("state").asText());
      assertTrue(service.whoami(other).isEmpty(), "revoke_active_sessions after a password change");
      assertTrue(service.whoami(token).isPresent(), "the session that made the change stays");
      assertTrue(target.nothingReceived(), "the password's own list replaces the general one");
      assertEquals("success", submit(f, s, "method=profile&traits.email=" + enc("ada@example.com")
          + "&traits.name.first=Ada").body().get("state").asText());
      JsonNode sent = JSON.readTree(target.next().body());
      assertEquals("ada@example.com", sent.get("email").asText());
      assertEquals(service.whoami(token).orElseThrow().id().toString(), sent.get("session").asText());
    }
  }
}
