package io.ory4j.identity.http;

import static io.ory4j.identity.http.AddressFlowClient.enc;
import static io.ory4j.identity.http.AddressFlowClient.find;
import static io.ory4j.identity.http.AddressFlowClient.firstMessageId;
import static io.ory4j.identity.http.AddressFlowClient.plaintextOf;
import static io.ory4j.identity.http.FlowClient.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.ory4j.identity.BrowserSettings;
import io.ory4j.identity.CodeFlowSettings;
import io.ory4j.identity.Courier;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.MutableClock;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.Session;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.http.FlowClient.Flavor;
import io.ory4j.identity.mail.SmtpMailSender;
import io.ory4j.identity.store.memory.InMemoryIdentityStore;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kratos' recovery flow by code and by link in both flavors, with the mail read from a GreenMail SMTP server, the
 * privileged session it grants, {@code revoke_active_sessions} after recovery, and the admin API's recovery codes and
 * links.
 */
class RecoveryJettyTest {

  private static final String PASSWORD = "correct horse staple";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-07-01T00:00:00Z"));
  private final InMemoryIdentityStore store = new InMemoryIdentityStore();
  private final GreenMail smtp = new GreenMail(ServerSetup.SMTP.dynamicPort());
  private IdentityService service;
  private IdentityJettyServer server;
  private AddressFlowClient flows;
  private String oldSession;

  RecoveryJettyTest() {
    smtp.start();
  }

  private void start(CodeFlowSettings recovery) throws Exception {
    Courier courier = Courier.builder().clock(clock).sender(new SmtpMailSender(URI.create("smtp://127.0.0.1:"
        + smtp.getSmtp().getPort() + "/?disable_starttls=true"), "noreply@auth.example", null, Duration.ofSeconds(10)))
        .build();
    service = IdentityService.builder().schemas(IdentityServiceTest.schemas()).identityStore(store).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).courier(courier).recovery(recovery)
        .hooks(SelfServiceHooks.none().withRecoveryAfter(List.of(SelfServiceHooks.Hook.revokeActiveSessions())))
        .build();
    service.createIdentity(null, JSON.readTree("{\"email\":\"ada@example.com\"}"), null, PASSWORD, null, null, null);
    oldSession = service.loginWithPassword("ada@example.com", PASSWORD).sessionToken();
    BrowserSettings browser = new BrowserSettings(URI.create("https://app.example/login"),
        URI.create("https://app.example/registration"), URI.create("https://app.example/"), List.of(), false)
        .withRecoveryUi(URI.create("https://app.example/recover"));
    server = new IdentityJettyServer(service, JSON, clock, browser);
    flows = new AddressFlowClient(server, "recovery", "https://app.example/recover");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    smtp.stop();
  }

  private MimeMessage receivedMail() throws Exception {
    assertEquals(1, service.courier().dispatchQueued());
    assertTrue(smtp.waitForIncomingEmail(10_000, 1));
    return smtp.getReceivedMessages()[0];
  }

  /** The session a recovery granted: privileged (authenticated now) by the recovery method; the old one revoked. */
  private void assertRecovered(String token, String method) {
    Session s = service.whoami(token).orElseThrow();
    assertEquals(clock.instant(), s.authenticatedAt());
    assertEquals(method, s.authenticationMethods().get(0).method());
    assertTrue(service.whoami(oldSession).isEmpty(), "revoke_active_sessions after recovery");
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void recoveryByCodeWhenCodeFromTheMailThenPrivilegedSessionAndOthersRevoked(Flavor f) throws Exception {
    start(CodeFlowSettings.enabledByCode());
    JsonNode flow = flows.start(f);
    assertEquals("code", flow.get("active").asText());
    FlowClient.Outcome sent = flows.submit(f, flow, "method=code&email=" + enc("ada@example.com"));
    assertEquals(1060003, firstMessageId(sent.body()));
    assertEquals("sent_email", sent.body().get("state").asText());
    MimeMessage mail = receivedMail();
    assertEquals("Recover access to your account", mail.getSubject());
    String code = find("\\b(\\d{6})\\b", plaintextOf(mail));

    String wrong = code.equals("000000") ? "111111" : "000000";
    FlowClient.Outcome bad = flows.submit(f, flow, "method=code&code=" + wrong);
    assertEquals(4060006, firstMessageId(bad.body()));
    assertNull(bad.sessionToken());
    assertNotNull(service.whoami(oldSession).orElse(null));

    FlowClient.Outcome ok = flows.submit(f, flow, "method=code&code=" + code);
    assertEquals(f == Flavor.API ? 200 : 303, ok.status());
    assertEquals("passed_challenge", ok.body().get("state").asText());
    assertEquals(1060001, firstMessageId(ok.body()));
    assertNotNull(ok.sessionToken(), "API: continue_with set_ory_session_token; browser: the session cookie");
    JsonNode continueWith = ok.body().get("continue_with");
    JsonNode show = continueWith.get(continueWith.size() - 1);
    assertEquals("show_settings_ui", show.get("action").asText());
    String settingsFlow = show.get("flow").get("id").asText();
    if (f == Flavor.BROWSER) {
      assertEquals("https://app.example/settings?flow=" + settingsFlow, ok.body().get("location").asText(),
          "as Kratos, the browser goes on to a settings flow");
    } else {
      assertEquals("set_ory_session_token", continueWith.get(0).get("action").asText());
    }
    assertRecovered(ok.sessionToken(), "code_recovery");
    HttpResponse<String> changed = flows.send(HttpRequest.newBuilder(server.pub.resolve(
        "/self-service/settings?flow=" + settingsFlow)).header("Content-Type", "application/json")
        .header("Accept", "application/json").header("X-Session-Token", ok.sessionToken())
        .POST(BodyPublishers.ofString(f == Flavor.API ? "{\"method\":\"password\",\"password\":\"a new secret phrase\"}"
            : "{\"method\":\"password\",\"password\":\"a new secret phrase\",\"csrf_token\":\"\"}")));
    if (f == Flavor.API) {
      assertEquals(200, changed.statusCode(), changed.body());
      service.loginWithPassword("ada@example.com", "a new secret phrase");
    } else {
      assertEquals(403, changed.statusCode(), "the browser's settings flow needs its CSRF cookie");
    }
    assertTrue(store.findByIdentifier("password", "ada@example.com").orElseThrow().verifiableAddresses().get(0)
        .verified(), "recovering through an address verifies it, as Kratos");
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void recoveryByLinkWhenLinkFromTheMailOpenedThenSignedIn(Flavor f) throws Exception {
    start(CodeFlowSettings.enabledByCode().withUse("link"));
    JsonNode flow = flows.start(f);
    assertEquals(1060002, firstMessageId(flows.submit(f, flow, "method=link&email=" + enc("ada@example.com"))
        .body()));
    URI link = URI.create(find("(http://\\S+token=\\S+)", plaintextOf(receivedMail())));
    HttpResponse<String> opened = flows.send(HttpRequest.newBuilder(link));
    String token;
    if (f == Flavor.API) {
      assertEquals(200, opened.statusCode(), opened.body());
      JsonNode after = JSON.readTree(opened.body());
      assertEquals("passed_challenge", after.get("state").asText());
      token = after.get("continue_with").get(0).get("ory_session_token").asText();
    } else {
      assertEquals(303, opened.statusCode());
      assertTrue(opened.headers().firstValue("Location").orElseThrow().startsWith("https://app.example/settings?flow="));
      assertTrue(opened.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("csrf_token=")),
          "the settings flow's CSRF cookie");
      token = opened.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("ory_kratos_session="))
          .map(c -> c.substring("ory_kratos_session=".length(), c.indexOf(';'))).findFirst().orElseThrow();
    }
    assertRecovered(token, "link_recovery");
    HttpResponse<String> again = flows.send(HttpRequest.newBuilder(link).header("Accept", "application/json"));
    assertEquals(400, again.statusCode());
    assertEquals(4060004, firstMessageId(JSON.readTree(again.body())));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void recoveryWhenAddressUnknownThenSameAnswerAndNoMail(Flavor f) throws Exception {
    start(CodeFlowSettings.enabledByCode());
    FlowClient.Outcome known = flows.submit(f, flows.start(f), "method=code&email=" + enc("ada@example.com"));
    FlowClient.Outcome unknown = flows.submit(f, flows.start(f), "method=code&email=" + enc("eve@example.com"));
    assertEquals(known.status(), unknown.status());
    assertEquals(known.body().get("ui").get("messages"), unknown.body().get("ui").get("messages"));
    assertEquals(1, service.courier().dispatchQueued(), "only the known address gets a message");
  }

  private HttpResponse<String> admin(String path, String body) throws Exception {
    return server.send("POST", server.admin, path, body);
  }

  @Test
  void adminRecoveryCodeWhenUsedInTheBrowserWithoutCsrfCookieThenSignedIn() throws Exception {
    start(CodeFlowSettings.enabledByCode());
    String id = store.findByIdentifier("password", "ada@example.com").orElseThrow().id().toString();
    HttpResponse<String> r = admin("/admin/recovery/code", "{\"identity_id\":\"" + id + "\",\"expires_in\":\"10m\"}");
    assertEquals(201, r.statusCode(), r.body());
    JsonNode out = JSON.readTree(r.body());
    assertEquals(clock.instant().plus(Duration.ofMinutes(10)).toString(), out.get("expires_at").asText());
    String code = out.get("recovery_code").asText();
    assertTrue(code.matches("\\d{6}"));
    URI link = URI.create(out.get("recovery_link").asText());
    HttpResponse<String> opened = flows.send(HttpRequest.newBuilder(link));
    assertEquals(303, opened.statusCode());
    String flowId = link.getQuery().substring("flow=".length());
    assertEquals("https://app.example/recover?flow=" + flowId, opened.headers().firstValue("Location").orElseThrow());
    JsonNode flow = flows.fetch(flowId);
    assertEquals("sent_email", flow.get("state").asText());
    HttpResponse<String> done = flows.send(HttpRequest.newBuilder(server.pub.resolve("/self-service/recovery?flow="
        + flowId)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString("method=code&code=" + code)));
    assertEquals(303, done.statusCode(), done.body());
    String token = done.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("ory_kratos_session="))
        .map(c -> c.substring("ory_kratos_session=".length(), c.indexOf(';'))).findFirst().orElseThrow();
    assertRecovered(token, "code_recovery");
    assertEquals(0, service.courier().dispatchQueued(), "the admin API sends no mail");
  }

  @Test
  void adminRecoveryLinkWhenOpenedThenSignedInAndBadRequestsRefused() throws Exception {
    start(CodeFlowSettings.enabledByCode());
    String id = store.findByIdentifier("password", "ada@example.com").orElseThrow().id().toString();
    HttpResponse<String> r = admin("/admin/recovery/link", "{\"identity_id\":\"" + id + "\"}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode out = JSON.readTree(r.body());
    assertEquals(clock.instant().plus(Duration.ofHours(1)).toString(), out.get("expires_at").asText());
    HttpResponse<String> opened = flows.send(HttpRequest.newBuilder(URI.create(out.get("recovery_link").asText())));
    assertEquals(303, opened.statusCode());
    String token = opened.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("ory_kratos_session="))
        .map(c -> c.substring("ory_kratos_session=".length(), c.indexOf(';'))).findFirst().orElseThrow();
    assertRecovered(token, "link_recovery");

    assertEquals(404, admin("/admin/recovery/link", "{\"identity_id\":\"" + java.util.UUID.randomUUID() + "\"}")
        .statusCode());
    assertEquals(400, admin("/admin/recovery/code", "{\"identity_id\":\"nope\"}").statusCode());
    assertEquals(400, admin("/admin/recovery/code", "{\"identity_id\":\"" + id + "\",\"expires_in\":\"soon\"}")
        .statusCode());
    clock.advance(Duration.ofHours(2));
    assertEquals(410, flows.send(HttpRequest.newBuilder(URI.create(out.get("recovery_link").asText())))
        .statusCode(), "an expired flow");
  }

  @Test
  void recoveryWhenDisabledThen400() throws Exception {
    start(CodeFlowSettings.disabled());
    HttpResponse<String> r = flows.send(HttpRequest.newBuilder(server.pub.resolve("/self-service/recovery/api")));
    assertEquals(400, r.statusCode());
    assertEquals("self_service_flow_disabled", JSON.readTree(r.body()).get("error").get("id").asText());
  }
}
