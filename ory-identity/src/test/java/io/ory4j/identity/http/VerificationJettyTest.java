package io.ory4j.identity.http;

import static io.ory4j.identity.http.AddressFlowClient.enc;
import static io.ory4j.identity.http.AddressFlowClient.find;
import static io.ory4j.identity.http.AddressFlowClient.firstMessageId;
import static io.ory4j.identity.http.AddressFlowClient.plaintextOf;
import static io.ory4j.identity.http.FlowClient.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.ory4j.identity.BrowserSettings;
import io.ory4j.identity.Courier;
import io.ory4j.identity.CourierTemplates;
import io.ory4j.identity.Identity;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.MutableClock;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.CodeFlowSettings;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.http.FlowClient.Flavor;
import io.ory4j.identity.mail.SmtpMailSender;
import io.ory4j.identity.store.memory.InMemoryIdentityStore;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kratos' verification flow by code and by link, in both flavors, with the courier sending through a real SMTP server
 * (GreenMail) started here: the code or link is read from the received mail.
 */
class VerificationJettyTest {

  private static final String PASSWORD = "correct horse staple";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final InMemoryIdentityStore store = new InMemoryIdentityStore();
  private final GreenMail smtp = new GreenMail(ServerSetup.SMTP.dynamicPort());
  private IdentityService service;
  private IdentityJettyServer server;
  private AddressFlowClient flows;

  VerificationJettyTest() {
    smtp.start();
  }

  private void start(CodeFlowSettings settings, CourierTemplates templates) throws Exception {
    Courier courier = Courier.builder().clock(clock).templates(templates).sender(new SmtpMailSender(URI.create(
        "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "/?disable_starttls=true"), "noreply@auth.example",
        "Auth Example", Duration.ofSeconds(10))).build();
    service = IdentityService.builder().schemas(IdentityServiceTest.schemas()).identityStore(store).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).courier(courier).verification(settings)
        .hooks(SelfServiceHooks.none().withLoginAfter(List.of(SelfServiceHooks.Hook.requireVerifiedAddress())))
        .build();
    service.createIdentity(null, JSON.readTree("{\"email\":\"ada@example.com\"}"), null, PASSWORD, null, null, null);
    BrowserSettings browser = new BrowserSettings(URI.create("https://app.example/login"),
        URI.create("https://app.example/registration"), URI.create("https://app.example/"), List.of(), false)
        .withVerificationUi(URI.create("https://app.example/verify"));
    server = new IdentityJettyServer(service, JSON, clock, browser);
    flows = new AddressFlowClient(server, "verification", "https://app.example/verify");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    smtp.stop();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return flows.send(b);
  }

  private JsonNode startFlow(Flavor f) throws Exception {
    return flows.start(f);
  }

  private JsonNode fetch(String flowId) throws Exception {
    return flows.fetch(flowId);
  }

  private FlowClient.Outcome submit(Flavor f, JsonNode flow, String fields) throws Exception {
    return flows.submit(f, flow, fields);
  }

  private MimeMessage receivedMail() throws Exception {
    assertEquals(1, service.courier().dispatchQueued(), "one message sent through SMTP");
    assertTrue(smtp.waitForIncomingEmail(10_000, 1));
    MimeMessage[] all = smtp.getReceivedMessages();
    return all[all.length - 1];
  }

  private Identity.VerifiableAddress address() {
    return store.findByIdentifier("password", "ada@example.com").orElseThrow().verifiableAddresses().get(0);
  }

  private JsonNode admin(String target, int status) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.admin.resolve(target)).build(),
        BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void verificationByCodeWhenCodeFromTheMailThenAddressVerifiedAndLoginAllowed(Flavor f) throws Exception {
    start(CodeFlowSettings.enabledByCode(), CourierTemplates.builtin());
    assertEquals(4000010, new FlowClient(service, clock).login(Flavor.API, "ada@example.com", PASSWORD).body()
        .get("ui").get("messages").get(0).get("id").asInt(), "require_verified_address refuses the login first");
    JsonNode flow = startFlow(f);
    assertEquals("code", flow.get("active").asText());
    assertEquals("choose_method", flow.get("state").asText());
    FlowClient.Outcome sent = submit(f, flow, "method=code&email=" + enc("Ada@Example.com"));
    assertEquals("sent_email", sent.body().get("state").asText());
    assertEquals(1080003, firstMessageId(sent.body()));
    assertEquals("code", sent.body().get("ui").get("nodes").get(1).get("attributes").get("name").asText());

    MimeMessage mail = receivedMail();
    assertEquals("ada@example.com", mail.getAllRecipients()[0].toString());
    assertEquals("Please verify your email address", mail.getSubject());
    assertTrue(mail.getFrom()[0].toString().contains("noreply@auth.example"));
    String code = find("\\b(\\d{6})\\b", plaintextOf(mail));
    assertTrue(plaintextOf(mail).contains(server.pub + "/self-service/verification?flow=" + flow.get("id").asText()
        + "&code=" + code), "the mail links to the flow with the code: " + plaintextOf(mail));

    String wrong = code.equals("000000") ? "111111" : "000000";
    FlowClient.Outcome bad = submit(f, flow, "method=code&code=" + wrong);
    assertEquals(f == Flavor.API ? 400 : 303, bad.status());
    assertEquals(4070006, firstMessageId(bad.body()));
    assertFalse(address().verified());

    FlowClient.Outcome ok = submit(f, flow, "method=code&code=" + code);
    assertEquals(f == Flavor.API ? 200 : 303, ok.status());
    assertEquals("passed_challenge", ok.body().get("state").asText());
    assertEquals(1080002, firstMessageId(ok.body()));
    assertEquals("https://app.example/", ok.body().get("ui").get("nodes").get(1).get("attributes").get("href")
        .asText());
    assertTrue(address().verified());
    assertEquals("completed", address().status());
    assertEquals(200, new FlowClient(service, clock).login(Flavor.API, "ada@example.com", PASSWORD).status());

    JsonNode messages = admin("/admin/courier/messages?status=sent", 200);
    assertEquals(1, messages.size());
    assertEquals("verification_code_valid", messages.get(0).get("template_type").asText());
    assertEquals("ada@example.com", messages.get(0).get("recipient").asText());
    assertEquals(1, messages.get(0).get("send_count").asInt());
    assertFalse(messages.get(0).has("html_body"));
    assertEquals(messages.get(0), admin("/admin/courier/messages/" + messages.get(0).get("id").asText(), 200));
    assertEquals(0, admin("/admin/courier/messages?status=queued", 200).size());
    admin("/admin/courier/messages?status=nope", 400);
    admin("/admin/courier/messages/" + java.util.UUID.randomUUID(), 404);
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void verificationWhenAddressUnknownThenSameAnswerAndNoMail(Flavor f) throws Exception {
    start(CodeFlowSettings.enabledByCode(), CourierTemplates.builtin());
    FlowClient.Outcome known = submit(f, startFlow(f), "method=code&email=" + enc("ada@example.com"));
    FlowClient.Outcome unknown = submit(f, startFlow(f), "method=code&email=" + enc("nobody@example.com"));
    assertEquals(known.status(), unknown.status());
    assertEquals(known.body().get("ui").get("messages"), unknown.body().get("ui").get("messages"));
    assertEquals(known.body().get("state"), unknown.body().get("state"));
    assertEquals(1, service.courier().dispatchQueued(), "only the known address gets a message");
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void verificationByLinkWhenLinkFromTheMailOpenedThenVerifiedOnce(Flavor f) throws Exception {
    start(CodeFlowSettings.enabledByCode().withUse("link"), CourierTemplates.builtin());
    JsonNode flow = startFlow(f);
    assertEquals("link", flow.get("active").asText());
    FlowClient.Outcome sent = submit(f, flow, "method=link&email=" + enc("ada@example.com"));
    assertEquals(1080001, firstMessageId(sent.body()));
    String link = find("(http://\\S+token=\\S+)", plaintextOf(receivedMail()));
    URI uri = URI.create(link);
    assertEquals(server.pub.getPort(), uri.getPort());
    HttpResponse<String> opened = send(HttpRequest.newBuilder(uri));
    JsonNode after;
    if (f == Flavor.API) {
      assertEquals(200, opened.statusCode(), opened.body());
      after = JSON.readTree(opened.body());
    } else {
      assertEquals(303, opened.statusCode());
      assertEquals("https://app.example/verify?flow=" + flow.get("id").asText(),
          opened.headers().firstValue("Location").orElseThrow());
      after = fetch(flow.get("id").asText());
    }
    assertEquals("passed_challenge", after.get("state").asText());
    assertEquals(1080002, firstMessageId(after));
    assertTrue(address().verified());
    HttpResponse<String> again = send(HttpRequest.newBuilder(uri).header("Accept", "application/json"));
    assertEquals(400, again.statusCode());
    assertEquals(4070001, firstMessageId(JSON.readTree(again.body())));
  }

  @Test
  void verificationByCodeWhenTriedFiveTimesWrongThenTheRightCodeNoLongerWorks() throws Exception {
    start(CodeFlowSettings.enabledByCode(), CourierTemplates.builtin());
    JsonNode flow = startFlow(Flavor.API);
    submit(Flavor.API, flow, "method=code&email=" + enc("ada@example.com"));
    String code = find("\\b(\\d{6})\\b", plaintextOf(receivedMail()));
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 0; i < IdentityService.MAX_CODE_ATTEMPTS; i++) {
      assertEquals(400, submit(Flavor.API, flow, "method=code&code=" + wrong).status());
    }
    assertEquals(4070006, firstMessageId(submit(Flavor.API, flow, "method=code&code=" + code).body()));
    assertFalse(address().verified());
  }

  @Test
  void verificationByCodeWhenCodeExpiredThenInvalid() throws Exception {
    start(CodeFlowSettings.enabledByCode(), CourierTemplates.builtin());
    JsonNode flow = startFlow(Flavor.API);
    submit(Flavor.API, flow, "method=code&email=" + enc("ada@example.com"));
    String code = find("\\b(\\d{6})\\b", plaintextOf(receivedMail()));
    clock.advance(Duration.ofMinutes(16));
    assertEquals(4070006, firstMessageId(submit(Flavor.API, flow, "method=code&code=" + code).body()));
  }

  @Test
  void templatesWhenHostOverridesThenMailUsesThemAndHtmlEscapesTraits() throws Exception {
    start(CodeFlowSettings.enabledByCode(), CourierTemplates.builtin().override("verification_code", true,
        new CourierTemplates.Template("Your code for {{ .To }}", "Code: {{ .VerificationCode }} for "
            + "{{ .Identity.traits.name.first }}", "<b>{{ .VerificationCode }}</b> {{ .Identity.traits.name.first }}")));
    Identity i = store.findByIdentifier("password", "ada@example.com").orElseThrow();
    store.update(new Identity(i.id(), i.schemaId(), i.state(), i.stateChangedAt(), JSON.readTree(
        "{\"email\":\"ada@example.com\",\"name\":{\"first\":\"<Ada & Co>\"}}"), i.verifiableAddresses(),
        i.recoveryAddresses(), i.metadataPublic(), i.metadataAdmin(), i.credentials(), i.createdAt(), i.updatedAt()));
    JsonNode flow = startFlow(Flavor.API);
    submit(Flavor.API, flow, "method=code&email=" + enc("ada@example.com"));
    MimeMessage mail = receivedMail();
    assertEquals("Your code for ada@example.com", mail.getSubject());
    var multipart = (jakarta.mail.internet.MimeMultipart) mail.getContent();
    assertTrue(GreenMailUtil.getBody(multipart.getBodyPart(0)).matches("Code: \\d{6} for <Ada & Co>"),
        GreenMailUtil.getBody(multipart.getBodyPart(0)));
    assertTrue(GreenMailUtil.getBody(multipart.getBodyPart(1)).matches("<b>\\d{6}</b> &lt;Ada &amp; Co&gt;"),
        GreenMailUtil.getBody(multipart.getBodyPart(1)));
    assertThrows(IllegalArgumentException.class, () -> CourierTemplates.builtin().override("verification_code", true,
        new CourierTemplates.Template("{{ if .To }}x{{ end }}", "", "")), "only field paths are supported");
    assertThrows(IllegalArgumentException.class, () -> CourierTemplates.builtin().override("login_code", false,
        new CourierTemplates.Template("", "", "")), "login_code has no invalid template");
  }

  @Test
  void flowsWhenVerificationDisabledThen400() throws Exception {
    start(CodeFlowSettings.disabled(), CourierTemplates.builtin());
    HttpResponse<String> r = send(HttpRequest.newBuilder(server.pub.resolve("/self-service/verification/api")));
    assertEquals(400, r.statusCode());
    assertEquals("self_service_flow_disabled", JSON.readTree(r.body()).get("error").get("id").asText());
  }

  @Test
  void submitWhenBrowserFlowWithoutCsrfTokenThen403() throws Exception {
    start(CodeFlowSettings.enabledByCode(), CourierTemplates.builtin());
    JsonNode flow = startFlow(Flavor.BROWSER);
    HttpResponse<String> r = send(HttpRequest.newBuilder(server.pub.resolve("/self-service/verification?flow="
        + flow.get("id").asText())).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString("method=code&email=ada%40example.com")));
    assertEquals(403, r.statusCode());
    assertEquals("security_csrf_violation", JSON.readTree(r.body()).get("error").get("id").asText());
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void registrationWhenVerificationOnThenCodeSentAndShowVerificationUiLeadsThere(Flavor f) throws Exception {
    start(CodeFlowSettings.enabledByCode(), CourierTemplates.builtin());
    IdentityService withHooks = IdentityService.builder().schemas(IdentityServiceTest.schemas()).identityStore(store)
        .clock(clock).hasher(new BcryptHasher(4, new SecureRandom())).courier(service.courier())
        .verification(CodeFlowSettings.enabledByCode()).hooks(SelfServiceHooks.none().withRegistrationAfterPassword(
            List.of(SelfServiceHooks.Hook.session(), SelfServiceHooks.Hook.showVerificationUi()))).build();
    try (FlowClient client = new FlowClient(withHooks, clock)) {
      FlowClient.Outcome reg = client.register(f, "grace@example.com", PASSWORD);
      String flowId;
      if (f == Flavor.API) {
        assertEquals(200, reg.status(), reg.body().toString());
        JsonNode show = reg.body().get("continue_with").get(0);
        assertEquals("show_verification_ui", show.get("action").asText());
        assertEquals("grace@example.com", show.get("flow").get("verifiable_address").asText());
        flowId = show.get("flow").get("id").asText();
      } else {
        String location = reg.body().get("location").asText();
        assertTrue(location.startsWith("https://app.example/verification?flow="), location);
        flowId = location.substring(location.indexOf("flow=") + 5);
      }
      String code = find("\\b(\\d{6})\\b", plaintextOf(receivedMail()));
      withHooks.verifyWithCode(java.util.UUID.fromString(flowId), code);
      assertTrue(store.findByIdentifier("password", "grace@example.com").orElseThrow().verifiableAddresses().get(0)
          .verified());
    }
  }

  @Test
  void hooksAfterVerificationWhenVerifiedThenWebHookSeesTheVerifiedAddress() throws Exception {
    try (WebHookTarget target = new WebHookTarget()) {
      start(CodeFlowSettings.enabledByCode(), CourierTemplates.builtin());
      IdentityService withHooks = IdentityService.builder().schemas(IdentityServiceTest.schemas())
          .identityStore(store).clock(clock).courier(service.courier()).verification(CodeFlowSettings.enabledByCode())
          .hooks(SelfServiceHooks.none().withVerificationAfter(List.of(SelfServiceHooks.Hook.webHook(
              io.ory4j.identity.WebHook.post(target.url("/verified"), "function(ctx) { verified: "
                  + "ctx.identity.verifiable_addresses[0].verified, flow: ctx.flow.id }"))))).build();
      server.close();
      server = new IdentityJettyServer(withHooks, JSON, clock);
      flows = new AddressFlowClient(server, "verification", "unused");
      JsonNode flow = flows.start(Flavor.API);
      flows.submit(Flavor.API, flow, "method=code&email=" + enc("ada@example.com"));
      String code = find("\\b(\\d{6})\\b", plaintextOf(receivedMail()));
      assertTrue(target.nothingReceived());
      assertEquals(200, flows.submit(Flavor.API, flow, "method=code&code=" + code).status());
      JsonNode sent = JSON.readTree(target.next().body());
      assertTrue(sent.get("verified").asBoolean());
      assertEquals(flow.get("id").asText(), sent.get("flow").asText());
    }
    assertThrows(IllegalArgumentException.class, () -> SelfServiceHooks.none().withVerificationAfter(List.of(
        SelfServiceHooks.Hook.revokeActiveSessions())));
  }
}
