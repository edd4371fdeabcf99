package io.ory4j.identity.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.BrowserSettings;
import io.ory4j.identity.CodeFlowSettings;
import io.ory4j.identity.Courier;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.MutableClock;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.hash.BcryptHasher;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile identity traits and flow bodies (issue #11): whatever a client sends to Kratos' self-service flows (both
 * flavors, every method) and to the admin identity API, the answer is a client error in Ory's shape (an error JSON, or
 * the flow with its messages), never a 500; and a refused registration or identity import writes nothing.
 */
class HostileFlowInputProperties {

  private static final OryJson JSON = OryJson.create();
  private static final String PASSWORD = "correct horse staple";
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-09-01T00:00:00Z"));
  private static final IdentityService SERVICE = IdentityService.builder().schemas(IdentityServiceTest.schemas())
      .clock(CLOCK).hasher(new BcryptHasher(4, new SecureRandom()))
      .hooks(SelfServiceHooks.sessionAfterRegistration())
      .courier(Courier.builder().clock(CLOCK).build())
      .recovery(CodeFlowSettings.enabledByCode()).verification(CodeFlowSettings.enabledByCode()).build();
  private static final IdentityApi API = new IdentityApi(SERVICE, JSON, CLOCK, "https://auth.example",
      new BrowserSettings(URI.create("https://app.example/login"), URI.create("https://app.example/registration"),
          URI.create("https://app.example/"), List.of(URI.create("https://app.example/")), false)
          .withRecoveryUi(URI.create("https://app.example/recovery"))
          .withVerificationUi(URI.create("https://app.example/verification"))
          .withSettingsUi(URI.create("https://app.example/settings")));
  private static final AtomicInteger USERS = new AtomicInteger();

  private static final List<String> FIELDS = List.of("method", "password", "identifier", "traits", "traits.email",
      "traits.name", "traits.name.first", "csrf_token", "code", "email", "totp_code", "totp_unlink",
      "lookup_secret", "lookup_secret_confirm", "lookup_secret_regenerate", "lookup_secret_reveal",
      "lookup_secret_disable", "transient_payload", "password_identifier", "refresh", "aal", "return_to", "token",
      "schema_id", "flow", "link", "unlink", "provider", "resend");

  @Provide
  Arbitrary<String> value() {
    Arbitrary<String> scalar = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30).map(OryJson.create()::write),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2_000).ofMaxLength(5_000).map(s -> "\"" + s + "\""),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.of("null", "true", "false", "-0", "1e400", "1.5", "\"\"", "\"password\"", "\"profile\"",
            "\"totp\"", "\"lookup_secret\"", "\"code\"", "\"link\"", "\"ada@example.com\"", "\"\\u0000\"",
            "\"" + PASSWORD + "\"", "\"https://evil.example/\"", "\"aal2\"", "\"aal3\"", "\"\\ud800\"",
            "\"a@b\"", "\"123456\"", "{}", "[]", "\"😀@example.com\""));
    Arbitrary<String> traits = Combinators.combine(Arbitraries.of("email", "name", "first", "x", "", "$ref"),
        scalar).as((k, v) -> "{" + OryJson.create().write(k) + ":" + v + "}");
    Arbitrary<String> nested = Arbitraries.integers().between(1, 3_000).map(d -> "[".repeat(d) + "]".repeat(d));
    Arbitrary<String> deepObject = Arbitraries.integers().between(1, 3_000)
        .map(d -> "{\"a\":".repeat(d) + "1" + "}".repeat(d));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, scalar), net.jqwik.api.Tuple.of(3, traits),
        net.jqwik.api.Tuple.of(1, nested), net.jqwik.api.Tuple.of(1, deepObject),
        net.jqwik.api.Tuple.of(2, scalar.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]")));
  }

  /** A JSON body: an object of known fields with hostile values, or something that is not one. */
  @Provide
  Arbitrary<String> body() {
    Arbitrary<String> field = Combinators.combine(Arbitraries.of(FIELDS), value())
        .as((k, v) -> "\"" + k + "\":" + v);
    Arbitrary<String> object = field.list().ofMaxSize(7).map(l -> "{" + String.join(",", l) + "}");
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, object),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(40)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("", "null", "[]", "1", "{", "{\"method\":", "\"x\"",
            "{\"method\":\"password\",\"method\":\"code\"}")));
  }

  /** A form body: known fields with hostile text. */
  @Provide
  Arbitrary<String> form() {
    Arbitrary<String> v = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
        Arbitraries.of("password", "profile", "totp", "lookup_secret", "code", "ada@example.com", PASSWORD, "aal2",
            "%zz", "", "true", "https://evil.example/"));
    return Combinators.combine(Arbitraries.of(FIELDS), v)
        .as((k, x) -> URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(x,
            StandardCharsets.UTF_8))
        .list().ofMaxSize(7).map(l -> String.join("&", l));
  }

  @Provide
  Arbitrary<Boolean> mostly() {
    return Arbitraries.frequency(net.jqwik.api.Tuple.of(5, true), net.jqwik.api.Tuple.of(1, false));
  }

  @Provide
  Arbitrary<String> method() {
    return Arbitraries.of("password", "profile", "totp", "lookup_secret", "code", "link", "");
  }

  @Provide
  Arbitrary<String> flow() {
    return Arbitraries.of("registration", "login", "settings", "recovery", "verification");
  }

  @Property(tries = 2_000)
  void flowWhenHostileBodyThenClientErrorInOryShapeAndNothingHalfWritten(@ForAll("flow") String kind,
      @ForAll boolean browser, @ForAll boolean asForm, @ForAll("body") String body, @ForAll("form") String form,
      @ForAll("mostly") boolean knownFlow, @ForAll("mostly") boolean withCsrf, @ForAll("value") String query,
      @ForAll("method") String method) {
    // most bodies name a method the flow has, so that its strategy reads the rest (a random method is refused early)
    if (!method.isEmpty()) {
      form = "method=" + method + (form.isEmpty() ? "" : "&" + form);
      body = body.startsWith("{") && body.endsWith("}") && body.length() > 2
          ? "{\"method\":\"" + method + "\"," + body.substring(1) : body;
    }
    String token = kind.equals("settings") ? session() : null;
    String cookies = token == null ? "" : "ory_kratos_session=" + token;
    String flowId = "00000000-0000-4000-8000-000000000000";
    if (knownFlow) {
      HttpRequest.Builder init = get("/self-service/" + kind + "/" + (browser ? "browser" : "api"))
          .header("Accept", browser ? "text/html" : "application/json");
      if (token != null) {
        init.header(browser ? "Cookie" : "X-Session-Token", browser ? cookies : token);
      }
      HttpResponse started = API.publicApi().handle(init.build());
      assertTrue(started.status() < 400, () -> kind + " flow not started: " + started.status() + " "
          + started.bodyText());
      if (browser) {
        String location = started.headers().getOrDefault("Location", List.of("")).get(0);
        assertTrue(location.contains("flow="), () -> "a browser is sent to the UI: " + started.headers());
        flowId = location.substring(location.indexOf("flow=") + 5);
        String csrf = started.headers().getOrDefault("Set-Cookie", List.of()).stream()
            .filter(c -> c.startsWith("csrf_token=")).map(c -> c.substring(0, c.indexOf(';'))).findFirst()
            .orElse("");
        cookies = cookies.isEmpty() ? csrf : cookies + "; " + csrf;
        if (withCsrf) {
          JsonNode flow = JSON.readTree(API.publicApi().handle(get("/self-service/" + kind + "/flows?id=" + flowId)
              .header("Cookie", cookies).build()).bodyText());
          for (JsonNode node : flow.path("ui").path("nodes")) {
            if (node.path("attributes").path("name").asText().equals("csrf_token")) {
              String t = node.path("attributes").path("value").asText();
              if (asForm) {
                form = form + (form.isEmpty() ? "" : "&") + "csrf_token=" + URLEncoder.encode(t,
                    StandardCharsets.UTF_8);
              } else if (body.startsWith("{") && body.length() > 2 && body.endsWith("}")) {
                body = "{\"csrf_token\":" + JSON.write(t) + "," + body.substring(1);
              }
            }
          }
        }
      } else {
        flowId = JSON.readTree(started.bodyText()).get("id").asText();
      }
    }
    int identitiesBefore = identities();
    HttpRequest.Builder b = HttpRequest.builder().method("POST").scheme("https").host("auth.example")
        .target("/self-service/" + kind + "?flow=" + URLEncoder.encode(flowId, StandardCharsets.UTF_8)
            + "&return_to=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
        .header("Accept", browser ? "text/html" : "application/json")
        .header("Content-Type", asForm ? "application/x-www-form-urlencoded" : "application/json")
        .body(asForm ? form : body);
    if (!cookies.isEmpty()) {
      b.header("Cookie", cookies);
    }
    if (token != null && !browser) {
      b.header("X-Session-Token", token);
    }
    HttpResponse r = API.publicApi().handle(b.build());
    String said = kind + (browser ? " browser " : " api ") + (asForm ? form : body) + " -> " + r.status() + " "
        + r.bodyText();
    JsonNode answer = r.bodyText().startsWith("{") ? JSON.readTree(r.bodyText()) : JSON.object();
    Statistics.label("answer").collect(r.status() + " " + answer.path("error").path("id").asText(
        answer.path("ui").path("messages").path(0).path("id").asText(answer.has("ui") ? "flow" : "")));
    assertTrue(r.status() < 500, said);
    if (r.status() >= 400) {
      assertTrue(answer.path("error").has("code") || answer.has("ui") || answer.has("redirect_browser_to"),
          () -> "an Ory error or the flow with its messages: " + said);
    }
    if (kind.equals("registration") && r.status() >= 400) {
      assertEquals(identitiesBefore, identities(),
          () -> "a refused registration wrote an identity: " + said);
    }
  }

  @Provide
  Arbitrary<String> adminTarget() {
    return Arbitraries.of("POST /admin/identities", "PATCH /admin/identities", "PUT /admin/identities/{id}",
        "PATCH /admin/identities/{id}", "POST /admin/recovery/code", "POST /admin/recovery/link",
        "GET /admin/identities?credentials_identifier=", "GET /admin/identities/{id}?include_credential=",
        "DELETE /admin/identities/{id}/credentials/", "GET /admin/sessions/", "GET /admin/courier/messages/",
        "GET /admin/identities?page_size=");
  }

  /** Identity imports and updates with hostile traits, schema ids, credentials, states and JSON patches. */
  @Property(tries = 2_000)
  void adminWhenHostileIdentityThenClientErrorAndNothingWritten(@ForAll("adminTarget") String target,
      @ForAll("value") String traits, @ForAll("value") String other, @ForAll("value") String credentials,
      @ForAll("body") String raw, @ForAll int shape) {
    String id = SERVICE.createIdentity(null, JSON.readTree("{\"email\":\"admin" + USERS.incrementAndGet()
        + "@example.com\"}"), null, null, null, null, null).id().toString();
    String body = switch (Math.floorMod(shape, 5)) {
      case 0 -> "{\"schema_id\":\"default\",\"traits\":" + traits + "}";
      case 1 -> "{\"schema_id\":" + other + ",\"traits\":" + traits + ",\"state\":" + other
          + ",\"metadata_public\":" + other + "}";
      case 2 -> "{\"schema_id\":\"default\",\"traits\":{\"email\":\"x" + USERS.incrementAndGet()
          + "@example.com\"},\"credentials\":{\"password\":{\"config\":" + credentials + "}},"
          + "\"verifiable_addresses\":" + other + "}";
      case 3 -> "[{\"op\":" + other + ",\"path\":" + traits + ",\"value\":" + credentials + "}]";
      default -> raw;
    };
    String[] mp = target.split(" ", 2);
    String path = mp[1].replace("{id}", id);
    if (path.endsWith("=") || path.endsWith("/")) {
      path += URLEncoder.encode(other, StandardCharsets.UTF_8);
    }
    int before = identities();
    JsonNode identityBefore = JSON.readTree(API.adminApi().handle(get("/admin/identities/" + id).build())
        .bodyText());
    HttpResponse r = API.adminApi().handle(HttpRequest.builder().method(mp[0]).scheme("https")
        .host("auth.example").target(path).header("Content-Type", "application/json").body(body).build());
    String said = target + " " + body + " -> " + r.status() + " " + r.bodyText();
    Statistics.collect(r.status() / 100 + "xx");
    assertTrue(r.status() < 500, said);
    if (r.status() >= 400) {
      assertTrue(JSON.readTree(r.bodyText()).path("error").has("code"), () -> "an Ory error: " + said);
      if (!mp[0].equals("GET")) {
        assertEquals(before, identities(),
            () -> "a refused request added or removed an identity: " + said);
        JsonNode identityAfter = JSON.readTree(API.adminApi().handle(get("/admin/identities/" + id).build())
            .bodyText());
        assertEquals(identityBefore, identityAfter, () -> "a refused request changed the identity: " + said);
      }
    }
  }

  /** A fresh identity's session token (a settings flow may change the password, so each try has its own). */
  private static String session() {
    String email = "user" + USERS.incrementAndGet() + "@example.com";
    SERVICE.createIdentity(null, JSON.readTree("{\"email\":\"" + email + "\"}"), null, PASSWORD, null, null, null);
    return SERVICE.loginWithPassword(email, PASSWORD).sessionToken();
  }

  private static int identities() {
    int n = 0;
    String token = null;
    do {
      io.ory4j.core.storage.Page<io.ory4j.identity.Identity> page = SERVICE.listIdentities(
          new io.ory4j.core.storage.PageRequest(500, token), null);
      n += page.items().size();
      token = page.nextPageToken();
    } while (token != null);
    return n;
  }

  private static HttpRequest.Builder get(String target) {
    return HttpRequest.builder().method("GET").scheme("https").host("auth.example").target(target)
        .header("Accept", "application/json");
  }
}
