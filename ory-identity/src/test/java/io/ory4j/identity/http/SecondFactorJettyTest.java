package io.ory4j.identity.http;

import io.ory4j.identity.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.internal.Totp;
import io.ory4j.servlet.OryServlet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kratos' API-flavor second factor ({@code aal=aal2}) and whoami's AAL check over embedded Jetty. */
class SecondFactorJettyTest {

  private static final OryJson JSON = OryJson.create();
  private final HttpClient client = HttpClient.newHttpClient();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private IdentityService service;
  private Server server;
  private URI pub;


  @BeforeEach
  void start() throws Exception {
    service = IdentityService.builder()
        .hooks(SelfServiceHooks.sessionAfterRegistration()).schemas(IdentityServiceTest.schemas()).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).build();
    server = new Server();
    ServerConnector c = new ServerConnector(server);
    c.setHost("127.0.0.1");
    c.setPort(0);
    server.addConnector(c);
    server.start();
    pub = URI.create("http://127.0.0.1:" + c.getLocalPort());
    server.stop();
    c.setPort(pub.getPort()); // keep the port the flows' ui.action names
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.addServlet(new ServletHolder(new OryServlet(new IdentityApi(service, JSON, clock, pub.toString())
        .publicApi())), "/*");
    server.setHandler(ctx);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  private HttpResponse<String> send(String method, String target, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(pub.resolve(target)).header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    return client.send(b.build(), BodyHandlers.ofString());
  }

  private IdentityService.Login signup() {
    return service.registerWithPassword(null,
        JSON.readTree("{\"email\":\"ada@example.com\",\"name\":{\"first\":\"Ada\"}}"), "correct horse staple");
  }

  private String enrolTotp(UUID id) {
    IdentityService.TotpEnrolment e = service.startTotpEnrolment(id, "ory4j");
    service.confirmTotp(id, e.url(), codeNow(e.secret()));
    clock.advance(Duration.ofSeconds(60));
    return e.secret();
  }

  private String codeNow(String secret) {
    return Totp.code(Totp.fromBase32(secret).orElseThrow(), Totp.step(clock.instant().getEpochSecond()));
  }

  private static List<String> names(JsonNode flow) {
    List<String> out = new ArrayList<>();
    flow.path("ui").path("nodes").forEach(n -> out.add(n.path("group").asText() + ":"
        + n.path("attributes").path("name").asText()));
    return out;
  }

  @Test
  void whoamiWhenSecondFactorSetUpAndSessionAal1Then403SessionAal2Required() throws Exception {
    IdentityService.Login login = signup();
    assertEquals(200, send("GET", "/sessions/whoami", null, "X-Session-Token", login.sessionToken()).statusCode());
    enrolTotp(login.identity().id());
    HttpResponse<String> res = send("GET", "/sessions/whoami", null, "X-Session-Token", login.sessionToken());
    assertEquals(403, res.statusCode());
    JsonNode err = JSON.readTree(res.body()).path("error");
    assertEquals("session_aal2_required", err.path("id").asText());
    assertEquals(403, err.path("code").asInt());
  }

  @Test
  void loginApiWhenAal2AndTotpCodeThenSameTokenUpgradedAndWhoamiPasses() throws Exception {
    IdentityService.Login login = signup();
    String secret = enrolTotp(login.identity().id());
    service.regenerateLookupSecrets(login.identity().id());
    HttpResponse<String> init = send("GET", "/self-service/login/api?aal=aal2", null, "X-Session-Token",
        login.sessionToken());
    assertEquals(200, init.statusCode(), init.body());
    JsonNode flow = JSON.readTree(init.body());
    assertEquals("aal2", flow.path("requested_aal").asText());
    assertEquals(List.of("default:csrf_token", "totp:totp_code", "totp:method", "lookup_secret:lookup_secret",
        "lookup_secret:method"), names(flow));
    assertEquals(1010004, flow.path("ui").path("messages").get(0).path("id").asInt());
    String action = flow.path("ui").path("action").asText();
    assertTrue(action.endsWith("/self-service/login?flow=" + flow.path("id").asText()), action);

    HttpResponse<String> wrong = send("POST", action, "{\"method\":\"totp\",\"totp_code\":\"" + (codeNow(secret)
        .equals("000000") ? "111111" : "000000") + "\"}", "X-Session-Token", login.sessionToken());
    assertEquals(400, wrong.statusCode());
    JsonNode failed = JSON.readTree(wrong.body());
    assertTrue(failed.path("ui").path("messages").toString().contains("4000008"), wrong.body());

    HttpResponse<String> ok = send("POST", action, "{\"method\":\"totp\",\"totp_code\":\"" + codeNow(secret)
        + "\"}", "X-Session-Token", login.sessionToken());
    assertEquals(200, ok.statusCode(), ok.body());
    JsonNode out = JSON.readTree(ok.body());
    assertEquals(login.sessionToken(), out.path("session_token").asText());
    assertEquals("aal2", out.path("session").path("authenticator_assurance_level").asText());
    assertEquals("totp", out.path("session").path("authentication_methods").get(1).path("method").asText());
    HttpResponse<String> who = send("GET", "/sessions/whoami", null, "X-Session-Token", login.sessionToken());
    assertEquals(200, who.statusCode(), who.body());
    assertEquals(login.session().id().toString(), JSON.readTree(who.body()).path("id").asText());
  }

  @Test
  void loginApiWhenAal2AndLookupSecretThenUpgradedOnceOnly() throws Exception {
    IdentityService.Login login = signup();
    List<String> codes = service.regenerateLookupSecrets(login.identity().id());
    JsonNode flow = JSON.readTree(send("GET", "/self-service/login/api?aal=aal2", null, "X-Session-Token",
        login.sessionToken()).body());
    assertEquals(List.of("default:csrf_token", "lookup_secret:lookup_secret", "lookup_secret:method"), names(flow));
    String action = flow.path("ui").path("action").asText();
    HttpResponse<String> ok = send("POST", action, "{\"method\":\"lookup_secret\",\"lookup_secret\":\""
        + codes.get(0) + "\"}", "X-Session-Token", login.sessionToken());
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("lookup_secret", JSON.readTree(ok.body()).path("session").path("authentication_methods").get(1)
        .path("method").asText());

    IdentityService.Login second = service.loginWithPassword("ada@example.com", "correct horse staple");
    JsonNode flow2 = JSON.readTree(send("GET", "/self-service/login/api?aal=aal2", null, "X-Session-Token",
        second.sessionToken()).body());
    HttpResponse<String> reused = send("POST", flow2.path("ui").path("action").asText(),
        "{\"method\":\"lookup_secret\",\"lookup_secret\":\"" + codes.get(0) + "\"}", "X-Session-Token",
        second.sessionToken());
    assertEquals(400, reused.statusCode());
    assertTrue(reused.body().contains("4000012"), reused.body());
  }

  @Test
  void loginApiWhenAal2WithoutSessionThen401Aal1Required() throws Exception {
    HttpResponse<String> res = send("GET", "/self-service/login/api?aal=aal2", null);
    assertEquals(401, res.statusCode());
    assertEquals("session_aal1_required", JSON.readTree(res.body()).path("error").path("id").asText());
    assertEquals(400, send("GET", "/self-service/login/api?aal=aal9", null).statusCode());
  }

  @Test
  void loginApiWhenAal2AlreadyOrNoFactorThen400() throws Exception {
    IdentityService.Login login = signup();
    assertEquals(400, send("GET", "/self-service/login/api?aal=aal2", null, "X-Session-Token",
        login.sessionToken()).statusCode(), "no second factor set up");
    List<String> codes = service.regenerateLookupSecrets(login.identity().id());
    service.loginSecondFactor(login.sessionToken(), "lookup_secret", codes.get(1));
    HttpResponse<String> res = send("GET", "/self-service/login/api?aal=aal2", null, "X-Session-Token",
        login.sessionToken());
    assertEquals(400, res.statusCode());
    assertEquals("session_aal_already_fulfilled", JSON.readTree(res.body()).path("error").path("id").asText());
  }

  @Test
  void loginApiWhenAal2AndRefreshOnAnAal2SessionThenSecondFactorReauthenticatesTheSameSession() throws Exception {
    IdentityService.Login login = signup();
    String secret = enrolTotp(login.identity().id());
    service.loginSecondFactor(login.sessionToken(), "totp", codeNow(secret));
    clock.advance(Duration.ofHours(2));
    Instant now = clock.instant();
    HttpResponse<String> init = send("GET", "/self-service/login/api?aal=aal2&refresh=true", null, "X-Session-Token",
        login.sessionToken());
    assertEquals(200, init.statusCode(), "an aal2 session may refresh its second factor: " + init.body());
    JsonNode flow = JSON.readTree(init.body());
    assertEquals("aal2", flow.path("requested_aal").asText());
    assertTrue(flow.path("refresh").asBoolean());
    assertEquals(List.of("default:csrf_token", "totp:totp_code", "totp:method"), names(flow));
    String action = flow.path("ui").path("action").asText();

    HttpResponse<String> wrong = send("POST", action, "{\"method\":\"totp\",\"totp_code\":\"" + (codeNow(secret)
        .equals("000000") ? "111111" : "000000") + "\"}", "X-Session-Token", login.sessionToken());
    assertEquals(400, wrong.statusCode(), wrong.body());
    JsonNode kept = JSON.readTree(send("GET", "/sessions/whoami", null, "X-Session-Token", login.sessionToken())
        .body());
    assertEquals(login.session().authenticatedAt(), Instant.parse(kept.path("authenticated_at").asText()),
        "a wrong code refreshes nothing");

    HttpResponse<String> ok = send("POST", action, "{\"method\":\"totp\",\"totp_code\":\"" + codeNow(secret)
        + "\"}", "X-Session-Token", login.sessionToken());
    assertEquals(200, ok.statusCode(), ok.body());
    JsonNode session = JSON.readTree(ok.body()).path("session");
    assertEquals(login.session().id().toString(), session.path("id").asText(), "the same session");
    assertEquals(login.sessionToken(), JSON.readTree(ok.body()).path("session_token").asText());
    assertEquals("aal2", session.path("authenticator_assurance_level").asText());
    assertEquals(now, Instant.parse(session.path("authenticated_at").asText()));
    assertTrue(Instant.parse(session.path("expires_at").asText()).isAfter(login.session().expiresAt()),
        "the expiry is extended");
    JsonNode methods = session.path("authentication_methods");
    assertEquals(3, methods.size(), methods.toString());
    assertEquals("totp", methods.get(2).path("method").asText());
    assertEquals("aal2", methods.get(2).path("aal").asText());
    assertEquals(now, Instant.parse(methods.get(2).path("completed_at").asText()));
  }

  @Test
  void submitWhenAal2FlowAndPasswordMethodThen400() throws Exception {
    IdentityService.Login login = signup();
    service.regenerateLookupSecrets(login.identity().id());
    JsonNode flow = JSON.readTree(send("GET", "/self-service/login/api?aal=aal2", null, "X-Session-Token",
        login.sessionToken()).body());
    HttpResponse<String> res = send("POST", flow.path("ui").path("action").asText(),
        "{\"method\":\"password\",\"identifier\":\"ada@example.com\",\"password\":\"correct horse staple\"}",
        "X-Session-Token", login.sessionToken());
    assertEquals(400, res.statusCode());
    assertTrue(JSON.readTree(res.body()).has("error"), res.body());
  }

  @Test
  void whoamiWhenRequiredAalConfiguredAal1ThenAal1SessionAccepted() throws Exception {
    IdentityService aal1 = IdentityService.builder()
        .hooks(SelfServiceHooks.sessionAfterRegistration()).schemas(IdentityServiceTest.schemas()).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).whoamiRequiredAal("aal1").build();
    IdentityService.Login login = aal1.registerWithPassword(null,
        JSON.readTree("{\"email\":\"ada@example.com\"}"), "correct horse staple");
    aal1.regenerateLookupSecrets(login.identity().id());
    IdentityApi api = new IdentityApi(aal1, JSON, clock, pub.toString());
    io.ory4j.core.http.HttpResponse res = api.publicApi().handle(io.ory4j.core.http.HttpRequest.builder()
        .method("GET").target("/sessions/whoami").header("X-Session-Token", login.sessionToken()).build());
    assertEquals(200, res.status());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> IdentityService.builder().whoamiRequiredAal("aal2"));
  }
}
