package io.ory4j.identity.http;

import static io.ory4j.identity.http.FlowClient.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.Identity;
import io.ory4j.identity.IdentityException;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.SelfServiceHooks.Hook;
import io.ory4j.identity.UiMessage;
import io.ory4j.identity.WebHook;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.http.FlowClient.Flavor;
import io.ory4j.identity.http.FlowClient.Outcome;
import io.ory4j.identity.store.memory.InMemoryIdentityStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hooks after registration and login, over HTTP in both flavors, against a real web hook receiver: Kratos'
 * {@code session}, {@code web_hook} (context, auth, can_interrupt, response.parse, response.ignore, timeouts,
 * cancel), {@code revoke_active_sessions}, {@code require_verified_address}, and in-process hooks.
 */
class SelfServiceHooksJettyTest {

  private static final String PASSWORD = "correct horse staple";
  private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
  private final InMemoryIdentityStore store = new InMemoryIdentityStore();
  private final WebHookTarget target;
  private IdentityService service;
  private FlowClient flows;

  SelfServiceHooksJettyTest() throws Exception {
    target = new WebHookTarget();
  }

  private FlowClient start(SelfServiceHooks hooks) throws Exception {
    service = IdentityService.builder().schemas(IdentityServiceTest.schemas()).identityStore(store).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).hooks(hooks).build();
    flows = new FlowClient(service, clock);
    return flows;
  }

  @AfterEach
  void stop() throws Exception {
    if (flows != null) {
      flows.close();
    }
    target.close();
  }

  private static String b64(String template) {
    return "base64://" + Base64.getEncoder().encodeToString(template.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A web hook from Kratos' configuration JSON, as an operator writes it. */
  private static Hook kratosWebHook(String configJson) {
    return SelfServiceHooks.parse("test", JSON.readTree("[{\"hook\":\"web_hook\",\"config\":" + configJson + "}]"))
        .get(0);
  }

  /** A web hook to the target from Kratos' configuration JSON: url, body template, and {@code extra} fields. */
  private Hook webHook(String path, String template, String extra) {
    return kratosWebHook("{\"url\":\"" + target.url(path) + "\",\"body\":\"" + b64(template) + "\"" + extra + "}");
  }

  private static final String CONTEXT_TEMPLATE = "function(ctx) { id: ctx.identity.id, email: "
      + "ctx.identity.traits.email, method: ctx.request_method, agent: ctx.request_headers['User-Agent'][0], "
      + "theme: ctx.request_cookies.theme, flow_type: ctx.flow.type, flow_id: ctx.flow.id, "
      + "credentials_shown: 'credentials' in ctx.identity, cookie_header_shown: "
      + "std.objectHas(ctx.request_headers, 'Cookie'), "
      + "session: if 'session' in ctx then ctx.session.identity.id else null }";

  private int identityCount() {
    return service.listIdentities(PageRequest.parse(null, null), null).items().size();
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void registrationWhenNoSessionHookThenIdentityButNoSessionAsKratos(Flavor f) throws Exception {
    Outcome o = start(SelfServiceHooks.none()).register(f, "ada@example.com", PASSWORD);
    assertNull(o.sessionToken());
    if (f == Flavor.API) {
      assertEquals(200, o.status());
      assertEquals("ada@example.com", o.body().get("identity").get("traits").get("email").asText());
      assertFalse(o.body().has("session"));
    } else {
      assertEquals(303, o.status());
      assertEquals("https://app.example/", o.body().get("location").asText());
    }
    assertEquals(1, identityCount());
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void registrationWhenSessionHookThenSignedIn(Flavor f) throws Exception {
    Outcome o = start(SelfServiceHooks.none().withRegistrationAfter(List.of(Hook.session())))
        .register(f, "ada@example.com", PASSWORD);
    assertNotNull(o.sessionToken(), "the general after.hooks apply when the password method has none");
    assertEquals(200, flows.whoami(o.sessionToken()));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void registrationWebHookAfterPersistGetsKratosContextAndApiKey(Flavor f) throws Exception {
    Hook hook = kratosWebHook("{\"url\":\"" + target.url("/after-registration") + "\",\"method\":\"POST\","
        + "\"body\":\"" + b64(CONTEXT_TEMPLATE) + "\",\"auth\":{\"type\":\"api_key\",\"config\":{\"name\":"
        + "\"X-Api-Key\",\"value\":\"s3cr3t\",\"in\":\"header\"}}}");
    Outcome o = start(SelfServiceHooks.none().withRegistrationAfterPassword(List.of(Hook.session(), hook)))
        .register(f, "ada@example.com", PASSWORD);
    assertNotNull(o.sessionToken());
    WebHookTarget.Received r = target.next();
    assertEquals("POST", r.method());
    assertEquals("/after-registration", r.path());
    assertEquals("s3cr3t", r.header("X-Api-Key"));
    assertEquals("application/json", r.header("Content-Type"));
    JsonNode body = JSON.readTree(r.body());
    Identity stored = service.listIdentities(PageRequest.parse(null, null), null).items().get(0);
    assertEquals(stored.id().toString(), body.get("id").asText(), "post-persist: the stored identity's id");
    assertEquals("ada@example.com", body.get("email").asText());
    assertEquals("POST", body.get("method").asText());
    assertEquals("flow-client/1", body.get("agent").asText());
    assertEquals("dark", body.get("theme").asText());
    assertEquals(f == Flavor.API ? "api" : "browser", body.get("flow_type").asText());
    assertFalse(body.get("credentials_shown").asBoolean(), "the password hash never leaves");
    assertFalse(body.get("cookie_header_shown").asBoolean(), "headers outside Kratos' allow list are not bound");
    assertTrue(body.get("session").isNull(), "registration binds no session");
  }

  @Test
  void webHookAuthWhenApiKeyCookieOrBasicAuthThenSentAsConfigured() throws Exception {
    Hook cookie = kratosWebHook("{\"url\":\"" + target.url("/c") + "\",\"method\":\"PUT\",\"body\":\""
        + b64("function(ctx) {}") + "\",\"headers\":{\"X-Tenant\":\"t1\"},\"auth\":{\"type\":\"api_key\","
        + "\"config\":{\"name\":\"hook_key\",\"value\":\"k1\",\"in\":\"cookie\"}}}");
    Hook basic = webHook("/b", "function(ctx) {}",
        ",\"auth\":{\"type\":\"basic_auth\",\"config\":{\"user\":\"kratos\",\"password\":\"p@ss\"}}");
    start(SelfServiceHooks.none().withRegistrationAfterPassword(List.of(cookie, basic)))
        .register(Flavor.API, "ada@example.com", PASSWORD);
    WebHookTarget.Received c = target.next();
    assertEquals("PUT", c.method());
    assertEquals("hook_key=k1", c.header("Cookie"));
    assertEquals("t1", c.header("X-Tenant"));
    assertEquals("{}", c.body());
    WebHookTarget.Received b = target.next();
    assertEquals("Basic " + Base64.getEncoder().encodeToString("kratos:p@ss".getBytes()), b.header("Authorization"));
  }

  private static final String INTERRUPT = "{\"messages\":[{\"instance_ptr\":\"#/traits/email\",\"messages\":[{\"id\":"
      + "1234,\"text\":\"This email is blocked.\",\"type\":\"error\",\"context\":{\"value\":\"ada\"}}]},"
      + "{\"instance_ptr\":\"#/\",\"messages\":[{\"id\":5678,\"text\":\"Try another one.\",\"type\":\"info\"}]}]}";

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void registrationWhenInterruptingHookAnswers4xxThenMessagesInTheUiAndNothingStored(Flavor f) throws Exception {
    target.answer(403, INTERRUPT);
    Hook hook = webHook("/check", CONTEXT_TEMPLATE, ",\"can_interrupt\":true");
    Outcome o = start(SelfServiceHooks.none().withRegistrationAfterPassword(List.of(hook, Hook.session())))
        .register(f, "ada@example.com", PASSWORD);
    assertEquals(400, o.status(), o.body().toString());
    JsonNode email = FlowClient.nodeMessages(o.body(), "traits.email");
    assertEquals(1234, email.get(0).get("id").asInt());
    assertEquals("This email is blocked.", email.get(0).get("text").asText());
    assertEquals("ada", email.get(0).get("context").get("value").asText());
    assertEquals(5678, o.body().get("ui").get("messages").get(0).get("id").asInt());
    assertEquals("info", o.body().get("ui").get("messages").get(0).get("type").asText());
    assertNull(o.sessionToken());
    assertEquals(0, identityCount(), "pre-persist: the interrupted identity is not stored");
    assertFalse(JSON.readTree(target.next().body()).get("id").asText().isEmpty());
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void registrationWhenParseHookAnswersIdentityThenStoredWithItsTraitsAndMetadata(Flavor f) throws Exception {
    target.answer(200, "{\"identity\":{\"traits\":{\"email\":\"Changed@Example.com\"},\"metadata_public\":"
        + "{\"plan\":\"gold\"},\"metadata_admin\":{\"crm\":\"42\"}}}");
    Hook hook = webHook("/enrich", CONTEXT_TEMPLATE, ",\"response\":{\"parse\":true}");
    Outcome o = start(SelfServiceHooks.none().withRegistrationAfterPassword(List.of(hook, Hook.session())))
        .register(f, "ada@example.com", PASSWORD);
    assertNotNull(o.sessionToken(), o.body().toString());
    Identity i = service.listIdentities(PageRequest.parse(null, null), null).items().get(0);
    assertEquals("Changed@Example.com", i.traits().get("email").asText());
    assertEquals("gold", i.metadataPublic().get("plan").asText());
    assertEquals("42", i.metadataAdmin().get("crm").asText());
    assertEquals("changed@example.com", i.verifiableAddresses().get(0).value(), "addresses follow the new traits");
    assertEquals(200, flows.login(Flavor.API, "changed@example.com", PASSWORD).status(),
        "the password identifier follows the new traits");
    assertEquals(400, flows.login(Flavor.API, "ada@example.com", PASSWORD).status());
  }

  @Test
  void registrationWhenParseHookAnswersInvalidTraitsThenValidationErrorAndNothingStored() throws Exception {
    target.answer(200, "{\"identity\":{\"traits\":{\"email\":\"x\"}}}");
    Hook hook = webHook("/enrich", "function(ctx) {}", ",\"response\":{\"parse\":true}");
    Outcome o = start(SelfServiceHooks.sessionAfterRegistration().withRegistrationAfterPassword(List.of(hook)))
        .register(Flavor.API, "ada@example.com", PASSWORD);
    assertEquals(400, o.status(), o.body().toString());
    assertEquals(0, identityCount());
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void registrationWhenIgnoredHookIsSlowAndFailsThenFlowDoesNotWait(Flavor f) throws Exception {
    target.holdAnswers();
    target.answer(500, "");
    Hook hook = webHook("/async", CONTEXT_TEMPLATE, ",\"response\":{\"ignore\":true}");
    Outcome o = start(SelfServiceHooks.none().withRegistrationAfterPassword(List.of(Hook.session(), hook)))
        .register(f, "ada@example.com", PASSWORD);
    assertNotNull(o.sessionToken(), "the flow finished while the hook had not answered");
    assertEquals("ada@example.com", JSON.readTree(target.next().body()).get("email").asText());
    target.release();
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void registrationWhenHookTimesOutThen504OryErrorAndNothingStored(Flavor f) throws Exception {
    target.holdAnswers();
    WebHook w = WebHook.post(target.url("/slow"), "function(ctx) {}").withCanInterrupt(true)
        .withTimeout(Duration.ofMillis(300));
    Outcome o = start(SelfServiceHooks.none().withRegistrationAfterPassword(List.of(Hook.webHook(w))))
        .register(f, "ada@example.com", PASSWORD);
    assertEquals(504, o.status());
    assertEquals(504, o.body().get("error").get("code").asInt());
    assertEquals("A third-party upstream service could not be reached. Please try again later.",
        o.body().get("error").get("message").asText());
    assertEquals(0, identityCount());
    target.release();
  }

  @Test
  void registrationWhenPostPersistHookAnswers500Then502() throws Exception {
    target.answer(500, "{}");
    Hook hook = webHook("/x", "function(ctx) {}", "");
    Outcome o = start(SelfServiceHooks.none().withRegistrationAfterPassword(List.of(hook)))
        .register(Flavor.API, "ada@example.com", PASSWORD);
    assertEquals(502, o.status());
    assertEquals("webhook failed with status code 500", o.body().get("error").get("reason").asText());
  }

  @Test
  void registrationWhenInterruptingHookAnswers4xxWithoutMessagesThen502() throws Exception {
    target.answer(400, "not json");
    Hook hook = webHook("/x", "function(ctx) {}", ",\"can_interrupt\":true");
    Outcome o = start(SelfServiceHooks.none().withRegistrationAfterPassword(List.of(hook)))
        .register(Flavor.API, "ada@example.com", PASSWORD);
    assertEquals(502, o.status());
    assertEquals(0, identityCount());
  }

  @Test
  void registrationWhenTemplateCancelsThenNoRequestAndFlowSucceeds() throws Exception {
    Hook hook = webHook("/x",
        "function(ctx) if ctx.identity.traits.email == 'ada@example.com' then error 'cancel' else {}",
        ",\"can_interrupt\":true");
    Outcome o = start(SelfServiceHooks.none().withRegistrationAfterPassword(List.of(hook, Hook.session())))
        .register(Flavor.API, "ada@example.com", PASSWORD);
    assertEquals(200, o.status());
    assertTrue(target.nothingReceived());
  }

  @Test
  void registrationWhenTemplateFailsAtRuntimeThen500OryErrorNamingTheField() throws Exception {
    Hook hook = webHook("/x", "function(ctx) { n: ctx.identity.traits.nickname }", "");
    Outcome o = start(SelfServiceHooks.none().withRegistrationAfterPassword(List.of(hook)))
        .register(Flavor.API, "ada@example.com", PASSWORD);
    assertEquals(500, o.status());
    assertTrue(o.body().get("error").get("reason").asText().contains("field does not exist: nickname"));
    assertTrue(target.nothingReceived());
  }

  private void verifyAddress(String email) {
    Identity i = store.findByIdentifier("password", email).orElseThrow();
    Identity.VerifiableAddress a = i.verifiableAddresses().get(0);
    store.update(new Identity(i.id(), i.schemaId(), i.state(), i.stateChangedAt(), i.traits(), List.of(
        new Identity.VerifiableAddress(a.id(), a.value(), true, a.via(), "completed", clock.instant(), a.createdAt(),
            clock.instant())), i.recoveryAddresses(), i.metadataPublic(), i.metadataAdmin(), i.credentials(),
        i.createdAt(), clock.instant()));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void loginWhenRequireVerifiedAddressThen4000010UntilVerified(Flavor f) throws Exception {
    start(SelfServiceHooks.none().withLoginAfter(List.of(Hook.requireVerifiedAddress())));
    service.registerWithPassword(null, JSON.readTree("{\"email\":\"ada@example.com\"}"), PASSWORD);
    Outcome refused = flows.login(f, "ada@example.com", PASSWORD);
    assertEquals(400, refused.status());
    assertEquals(4000010, refused.body().get("ui").get("messages").get(0).get("id").asInt());
    assertNull(refused.sessionToken());
    assertEquals(0, service.listSessions(null, null, PageRequest.parse(null, null)).items().size());
    verifyAddress("ada@example.com");
    assertNotNull(flows.login(f, "ada@example.com", PASSWORD).sessionToken());
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void loginWhenRevokeActiveSessionsThenEarlierSessionsRevoked(Flavor f) throws Exception {
    start(SelfServiceHooks.none().withLoginAfterPassword(List.of(Hook.revokeActiveSessions())));
    service.registerWithPassword(null, JSON.readTree("{\"email\":\"ada@example.com\"}"), PASSWORD);
    String first = flows.login(f, "ada@example.com", PASSWORD).sessionToken();
    assertEquals(200, flows.whoami(first));
    String second = flows.login(f, "ada@example.com", PASSWORD).sessionToken();
    assertEquals(401, flows.whoami(first));
    assertEquals(200, flows.whoami(second));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void loginWhenInterruptingWebHookThenFormMessageAndNoSession(Flavor f) throws Exception {
    target.answer(400, "{\"messages\":[{\"instance_ptr\":\"#/\",\"messages\":[{\"id\":9001,\"text\":\"Not today.\","
        + "\"type\":\"error\"}]}]}");
    Hook hook = webHook("/login", CONTEXT_TEMPLATE, ",\"can_interrupt\":true");
    start(SelfServiceHooks.none().withLoginAfter(List.of(hook)));
    Identity ada = service.registerWithPassword(null, JSON.readTree("{\"email\":\"ada@example.com\"}"), PASSWORD)
        .identity();
    Outcome o = flows.login(f, "ada@example.com", PASSWORD);
    assertEquals(400, o.status());
    assertEquals(9001, o.body().get("ui").get("messages").get(0).get("id").asInt());
    assertNull(o.sessionToken());
    assertEquals(0, service.listSessions(null, null, PageRequest.parse(null, null)).items().size());
    JsonNode sent = JSON.readTree(target.next().body());
    assertEquals(ada.id().toString(), sent.get("session").asText(), "login binds the session and its identity");
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void inProcessHooksWhenRegistrationChangesMetadataAndLoginInterruptsOnAField(Flavor f) throws Exception {
    Hook enrich = Hook.custom(ctx -> new Identity(ctx.identity().id(), ctx.identity().schemaId(),
        ctx.identity().state(), ctx.identity().stateChangedAt(), ctx.identity().traits(),
        ctx.identity().verifiableAddresses(), ctx.identity().recoveryAddresses(), JSON.object().put("source",
            ctx.request().header("User-Agent")), null, null, ctx.identity().createdAt(), ctx.identity().updatedAt()));
    Hook gate = Hook.custom(ctx -> {
      if (ctx.identity().metadataPublic().path("source").asText().equals("flow-client/1")) {
        throw new IdentityException(400, List.of(), Map.of("identifier", List.of(UiMessage.error(9002,
            "Sign in from the app."))), null);
      }
      return ctx.identity();
    });
    start(SelfServiceHooks.sessionAfterRegistration().withRegistrationAfterPassword(List.of(enrich, Hook.session()))
        .withLoginAfter(List.of(gate)));
    assertNotNull(flows.register(f, "ada@example.com", PASSWORD).sessionToken());
    Identity stored = store.findByIdentifier("password", "ada@example.com").orElseThrow();
    assertEquals("flow-client/1", stored.metadataPublic().get("source").asText());
    assertNotNull(stored.credentials().get("password"), "the hook's copy without credentials keeps the password");
    Outcome o = flows.login(f, "ada@example.com", PASSWORD);
    assertEquals(400, o.status());
    assertEquals(9002, FlowClient.nodeMessages(o.body(), "identifier").get(0).get("id").asInt());
  }
}
