package io.ory4j.identity.http;

import static io.ory4j.identity.http.FlowClient.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.identity.Identity;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.MutableClock;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.internal.Totp;
import io.ory4j.identity.store.memory.InMemoryIdentityStore;
import io.ory4j.identity.store.memory.InMemorySessionStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kratos' per-method hooks over HTTP (API flavor) against a real web hook receiver: the login hooks of the
 * second-factor method on an {@code aal=aal2} login, the login hooks on a {@code refresh=true} login, and the
 * pre-persist settings web hooks ({@code response.parse}, {@code can_interrupt}) and {@code response.ignore}.
 */
class MethodHooksJettyTest {

  private static final String PASSWORD = "correct horse staple";
  private static final String TRAITS = "{\"email\":\"ada@example.com\",\"name\":{\"first\":\"Ada\"}}";
  private static final String TEMPLATE = "function(ctx) { id: ctx.identity.id, email: ctx.identity.traits.email, "
      + "first: ctx.identity.traits.name.first, flow_type: ctx.flow.type, "
      + "aal: if 'session' in ctx then ctx.session.authenticator_assurance_level else null }";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-09-01T00:00:00Z"));
  private final HttpClient client = HttpClient.newHttpClient();
  private final WebHookTarget target;
  private final InMemoryIdentityStore identities = new InMemoryIdentityStore();
  private final InMemorySessionStore sessions = new InMemorySessionStore();
  private IdentityService service;
  private IdentityJettyServer server;
  private UUID id;

  MethodHooksJettyTest() throws Exception {
    target = new WebHookTarget();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    target.close();
  }

  /** Starts with {@code selfservice.flows} as an operator writes it; {@code %s} in it is the target's base URL. */
  private void start(String flows) throws Exception {
    service = IdentityService.builder().schemas(IdentityServiceTest.schemas()).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).identityStore(identities).sessionStore(sessions)
        .hooks(SelfServiceHooks.fromKratosFlows(JSON.readTree(flows.replace("%s", target.url("").toString()))))
        .build();
    id = service.createIdentity(null, JSON.readTree(TRAITS), null, PASSWORD, null, null, null).id();
    server = new IdentityJettyServer(service, JSON, clock);
  }

  /** One web hook entry to {@code <target>/<path>}, with extra config fields. */
  private static String hook(String path, String extra) {
    return "{\"hook\":\"web_hook\",\"config\":{\"url\":\"%s" + path + "\",\"body\":\"base64://"
        + Base64.getEncoder().encodeToString(TEMPLATE.getBytes(StandardCharsets.UTF_8)) + "\"" + extra + "}}";
  }

  private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.pub.resolve(path)).header("Content-Type",
        "application/json").header("Accept", "application/json");
    if (token != null) {
      b.header("X-Session-Token", token);
    }
    b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    return client.send(b.build(), BodyHandlers.ofString());
  }

  /** A password login through the API flow; answers the session token. */
  private String login() throws Exception {
    JsonNode flow = JSON.readTree(send("GET", "/self-service/login/api", null, null).body());
    HttpResponse<String> r = send("POST", flow.path("ui").path("action").asText(), "{\"method\":\"password\","
        + "\"identifier\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\"}", null);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).path("session_token").asText();
  }

  private UUID identityId() {
    return id;
  }

  /** A session made by a service without hooks over the same stores (to see what revoke_active_sessions does). */
  private String sessionWithoutHooks() {
    return IdentityService.builder().schemas(IdentityServiceTest.schemas()).clock(clock).identityStore(identities)
        .sessionStore(sessions).hasher(new BcryptHasher(4, new SecureRandom())).build()
        .loginWithPassword("ada@example.com", PASSWORD).sessionToken();
  }

  private String enrolTotp() {
    IdentityService.TotpEnrolment e = service.startTotpEnrolment(identityId(), "ory4j");
    service.confirmTotp(identityId(), e.url(), codeNow(e.secret()));
    clock.advance(Duration.ofSeconds(60));
    return e.secret();
  }

  private String codeNow(String secret) {
    return Totp.code(Totp.fromBase32(secret).orElseThrow(), Totp.step(clock.instant().getEpochSecond()));
  }

  private HttpResponse<String> secondFactor(String token, String secret) throws Exception {
    HttpResponse<String> init = send("GET", "/self-service/login/api?aal=aal2", null, token);
    assertEquals(200, init.statusCode(), init.body());
    return send("POST", JSON.readTree(init.body()).path("ui").path("action").asText(),
        "{\"method\":\"totp\",\"totp_code\":\"" + codeNow(secret) + "\"}", token);
  }

  @Test
  void secondFactorLoginWhenTotpHooksThenTheyRunWithTheAal2SessionAndNotThePasswordOnes() throws Exception {
    start("{\"login\":{\"after\":{\"password\":{\"hooks\":[" + hook("/password", "") + "]},"
        + "\"totp\":{\"hooks\":[" + hook("/totp", "") + "]}}}}");
    String token = login();
    WebHookTarget.Received first = target.next();
    assertEquals("/password", first.path());
    assertEquals("aal1", JSON.readTree(first.body()).path("aal").asText());
    String secret = enrolTotp();
    HttpResponse<String> ok = secondFactor(token, secret);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("aal2", JSON.readTree(ok.body()).path("session").path("authenticator_assurance_level").asText());
    WebHookTarget.Received second = target.next();
    assertEquals("/totp", second.path(), "the second factor runs the hooks of its own method");
    JsonNode sent = JSON.readTree(second.body());
    assertEquals("aal2", sent.path("aal").asText());
    assertEquals("api", sent.path("flow_type").asText(), "ctx.flow is the aal2 login flow (type = its flavor)");
    assertEquals(identityId().toString(), sent.path("id").asText());
    assertTrue(target.nothingReceived(), "the password hooks did not run again");
  }

  @Test
  void secondFactorLoginWhenTotpHooksRevokeThenOtherSessionsRevokedOnlyOnceRaised() throws Exception {
    start("{\"login\":{\"after\":{\"totp\":{\"hooks\":[{\"hook\":\"revoke_active_sessions\"}]}}}}");
    String other = login();
    String token = login();
    assertEquals(200, send("GET", "/sessions/whoami", null, other).statusCode(), "password logins revoke nothing");
    String secret = enrolTotp();
    HttpResponse<String> ok = secondFactor(token, secret);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(401, send("GET", "/sessions/whoami", null, other).statusCode(),
        "the totp login's revoke_active_sessions revoked the other session");
    assertEquals(200, send("GET", "/sessions/whoami", null, token).statusCode(), "the raised session stays");
  }

  @Test
  void secondFactorLoginWhenHookInterruptsThenFieldMessagesAndSessionStaysAal1() throws Exception {
    start("{\"login\":{\"after\":{\"totp\":{\"hooks\":[" + hook("/totp", ",\"can_interrupt\":true") + "]}}}}");
    String token = login();
    String secret = enrolTotp();
    target.answer(403, "{\"messages\":[{\"instance_ptr\":\"#/totp_code\",\"messages\":[{\"id\":4000099,"
        + "\"text\":\"This device is not allowed.\",\"type\":\"error\"}]}]}");
    HttpResponse<String> refused = secondFactor(token, secret);
    assertEquals(400, refused.statusCode(), refused.body());
    JsonNode flow = JSON.readTree(refused.body());
    assertEquals("aal2", flow.path("requested_aal").asText());
    assertEquals("This device is not allowed.", FlowClient.nodeMessages(flow, "totp_code").get(0).path("text")
        .asText(), refused.body());
    HttpResponse<String> who = send("GET", "/sessions/whoami", null, token);
    assertEquals(403, who.statusCode(), "the session is still aal1");
    assertEquals("session_aal2_required", JSON.readTree(who.body()).path("error").path("id").asText());
  }

  @Test
  void refreshLoginWhenPasswordHooksThenTheyRunAndAnInterruptLeavesTheSessionAsItWas() throws Exception {
    start("{\"login\":{\"after\":{\"password\":{\"hooks\":[" + hook("/password", ",\"can_interrupt\":true")
        + ",{\"hook\":\"revoke_active_sessions\"}]}}}}");
    String token = login();
    assertEquals("/password", target.next().path());
    Instant signedIn = clock.instant();
    clock.advance(Duration.ofHours(1));
    String other = sessionWithoutHooks();
    assertTrue(target.nothingReceived());

    target.answer(400, "{\"messages\":[{\"instance_ptr\":\"#/\",\"messages\":[{\"id\":4000100,"
        + "\"text\":\"Not now.\",\"type\":\"error\"}]}]}");
    HttpResponse<String> init = send("GET", "/self-service/login/api?refresh=true", null, token);
    JsonNode flow = JSON.readTree(init.body());
    assertTrue(flow.path("refresh").asBoolean(), init.body());
    HttpResponse<String> refused = send("POST", flow.path("ui").path("action").asText(), "{\"method\":\"password\","
        + "\"identifier\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\"}", token);
    assertEquals(400, refused.statusCode(), refused.body());
    assertEquals(4000100, JSON.readTree(refused.body()).path("ui").path("messages").get(0).path("id").asInt(),
        refused.body());
    JsonNode sent = JSON.readTree(target.next().body());
    assertEquals("aal1", sent.path("aal").asText());
    JsonNode who = JSON.readTree(send("GET", "/sessions/whoami", null, token).body());
    assertEquals(signedIn, Instant.parse(who.path("authenticated_at").asText()), "not refreshed");
    assertEquals(200, send("GET", "/sessions/whoami", null, other).statusCode(), "nothing revoked");

    target.answer(200, "");
    flow = JSON.readTree(send("GET", "/self-service/login/api?refresh=true", null, token).body());
    HttpResponse<String> ok = send("POST", flow.path("ui").path("action").asText(), "{\"method\":\"password\","
        + "\"identifier\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\"}", token);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("/password", target.next().path(), "the refresh login ran the password login hooks");
    assertEquals(clock.instant(), Instant.parse(JSON.readTree(ok.body()).path("session").path("authenticated_at")
        .asText()));
    assertEquals(401, send("GET", "/sessions/whoami", null, other).statusCode(),
        "revoke_active_sessions after the refresh revoked the other session");
    assertEquals(200, send("GET", "/sessions/whoami", null, token).statusCode(), "the refreshed session stays");
  }

  private JsonNode settingsFlow(String token) throws Exception {
    HttpResponse<String> r = send("GET", "/self-service/settings/api", null, token);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /**
   * Starts with these settings hooks, signs in, lets the target answer {@code status} and {@code answer}, and submits
   * the profile with the first name Adaline.
   */
  private HttpResponse<String> submitProfile(String settingsAfter, int status, String answer) throws Exception {
    start("{\"settings\":{\"after\":" + settingsAfter + "}}");
    String token = login();
    target.answer(status, answer);
    return send("POST", settingsFlow(token).path("ui").path("action").asText(), "{\"method\":\"profile\","
        + "\"traits\":{\"email\":\"ada@example.com\",\"name\":{\"first\":\"Adaline\"}}}", token);
  }

  @Test
  void settingsProfileWhenParsingHookAnswersIdentityThenItsTraitsAndMetadataAreStored() throws Exception {
    HttpResponse<String> r = submitProfile("{\"profile\":{\"hooks\":[" + hook("/profile",
        ",\"response\":{\"parse\":true}") + "]}}", 200, "{\"identity\":{\"traits\":{\"email\":\"ada@example.com\","
        + "\"name\":{\"first\":\"ADA\"}},\"metadata_public\":{\"plan\":\"pro\"},\"metadata_admin\":{\"checked\":true}}}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode sent = JSON.readTree(target.next().body());
    assertEquals("Adaline", sent.path("first").asText(), "the hook saw the submitted change before it was stored");
    assertEquals("ADA", JSON.readTree(r.body()).path("identity").path("traits").path("name").path("first").asText());
    Identity stored = service.getIdentity(id, false).orElseThrow();
    assertEquals("ADA", stored.traits().path("name").path("first").asText());
    assertEquals("pro", stored.metadataPublic().path("plan").asText());
    assertTrue(stored.metadataAdmin().path("checked").asBoolean());
    assertTrue(target.nothingReceived(), "a pre-persist hook runs once, not again after the change is stored");
  }

  @Test
  void settingsProfileWhenParsingHookAnswersInvalidTraitsThenValidationErrorAndNothingStored() throws Exception {
    HttpResponse<String> r = submitProfile("{\"hooks\":[" + hook("/any", ",\"response\":{\"parse\":true}") + "]}",
        200, "{\"identity\":{\"traits\":{\"email\":\"not an address\"}}}");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("4000001"), "Kratos' validation message: " + r.body());
    assertEquals("Ada", service.getIdentity(id, false).orElseThrow().traits().path("name").path("first")
        .asText());
  }

  @Test
  void settingsProfileWhenHookInterruptsThenFieldMessagesOnTheFlowAndNothingStored() throws Exception {
    HttpResponse<String> r = submitProfile("{\"profile\":{\"hooks\":[" + hook("/profile", ",\"can_interrupt\":true")
        + "]}}", 422, "{\"messages\":[{\"instance_ptr\":\"#/traits/name/first\",\"messages\":[{\"id\":4000200,"
        + "\"text\":\"That name is taken.\",\"type\":\"error\",\"context\":{\"value\":\"Adaline\"}}]}]}");
    assertEquals(400, r.statusCode(), r.body());
    JsonNode msg = FlowClient.nodeMessages(JSON.readTree(r.body()), "traits.name.first").get(0);
    assertEquals(4000200, msg.path("id").asInt());
    assertEquals("That name is taken.", msg.path("text").asText());
    assertEquals("error", msg.path("type").asText());
    assertEquals("Ada", service.getIdentity(id, false).orElseThrow().traits().path("name").path("first")
        .asText());
  }

  @Test
  void settingsPasswordWhenParsingHookThenPasswordAndMetadataStoredTogetherAndInterruptKeepsOldPassword()
      throws Exception {
    start("{\"settings\":{\"after\":{\"password\":{\"hooks\":[" + hook("/password",
        ",\"response\":{\"parse\":true},\"can_interrupt\":true") + "]}}}}");
    String token = login();
    target.answer(400, "{\"messages\":[{\"instance_ptr\":\"#/password\",\"messages\":[{\"id\":4000300,"
        + "\"text\":\"Rotate later.\",\"type\":\"error\"}]}]}");
    HttpResponse<String> refused = send("POST", settingsFlow(token).path("ui").path("action").asText(),
        "{\"method\":\"password\",\"password\":\"a brand new passphrase\"}", token);
    assertEquals(400, refused.statusCode(), refused.body());
    assertEquals("Rotate later.", FlowClient.nodeMessages(JSON.readTree(refused.body()), "password").get(0)
        .path("text").asText());
    service.loginWithPassword("ada@example.com", PASSWORD);
    target.next();

    target.answer(200, "{\"identity\":{\"metadata_admin\":{\"password_rotated\":\"2026-09-01\"}}}");
    HttpResponse<String> ok = send("POST", settingsFlow(token).path("ui").path("action").asText(),
        "{\"method\":\"password\",\"password\":\"a brand new passphrase\"}", token);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("ada@example.com", JSON.readTree(target.next().body()).path("email").asText());
    assertEquals("2026-09-01", service.getIdentity(id, false).orElseThrow().metadataAdmin()
        .path("password_rotated").asText());
    service.loginWithPassword("ada@example.com", "a brand new passphrase");
  }

  @Test
  void settingsWhenResponseIgnoreThenTheChangeIsSavedWithoutWaitingForTheHook() throws Exception {
    target.holdAnswers();
    HttpResponse<String> r = submitProfile("{\"profile\":{\"hooks\":[" + hook("/ignored",
        ",\"response\":{\"ignore\":true}") + "]}}", 500, "{}");
    assertEquals(200, r.statusCode(), "answered while the hook's receiver still holds its answer: " + r.body());
    assertEquals("Adaline", JSON.readTree(target.next().body()).path("first").asText());
    target.release();
    assertEquals("Adaline", service.getIdentity(id, false).orElseThrow().traits().path("name").path("first")
        .asText());
  }
}
