package io.ory4j.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.json.OryJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kratos' hook configuration read, and refused at configuration time with the key and the reason. */
class SelfServiceHooksTest {

  private static final OryJson JSON = OryJson.create();

  private static String b64(String s) {
    return "base64://" + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void fromKratosFlowsWhenFullConfigThenEveryHookAndMethodListsWin(@TempDir Path dir) throws Exception {
    Path body = dir.resolve("body.jsonnet");
    Files.writeString(body, "function(ctx) { user_id: ctx.identity.id }");
    SelfServiceHooks h = SelfServiceHooks.fromKratosFlows(JSON.readTree("""
        {"registration": {"after": {
            "hooks": [{"hook": "web_hook", "config": {"url": "https://hooks.example/all", "body": "%s"}}],
            "password": {"hooks": [{"hook": "session"}, {"hook": "web_hook", "config": {
                "url": "https://hooks.example/reg", "method": "PUT", "body": "%s", "can_interrupt": true,
                "emit_analytics_event": false, "id": "reg-hook",
                "response": {"parse": true},
                "auth": {"type": "basic_auth", "config": {"user": "u", "password": "p"}}}}]}}},
         "login": {"after": {"hooks": [{"hook": "revoke_active_sessions"}, {"hook": "require_verified_address"}]}}}
        """.formatted(body.toUri(), b64("function(ctx) {}"))));
    assertEquals(List.of("session", "web_hook"), h.registration("password").stream().map(SelfServiceHooks.Hook::hook)
        .toList(), "the method's hooks replace the general ones");
    assertEquals(List.of("web_hook"), h.registration("oidc").stream().map(SelfServiceHooks.Hook::hook).toList());
    WebHook reg = ((SelfServiceHooks.WebHookHook) h.registration("password").get(1)).config();
    assertEquals("PUT", reg.method());
    assertTrue(reg.canInterrupt() && reg.responseParse() && reg.prePersist());
    assertInstanceOf(WebHook.BasicAuth.class, reg.auth());
    assertFalse(reg.toString().contains("=p]"), "secrets are not in toString: " + reg);
    assertEquals("function(ctx) { user_id: ctx.identity.id }",
        ((SelfServiceHooks.WebHookHook) h.registration("oidc").get(0)).config().body(), "file:// body read");
    assertEquals(List.of("revoke_active_sessions", "require_verified_address"), h.login("password").stream()
        .map(SelfServiceHooks.Hook::hook).toList());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[{\"hook\": \"nope\"}]| unknown hook \"nope\"",
      "[{\"hook\": \"show_verification_ui\", \"config\": 1, \"x\": 2}]| unknown field \"x\"",
      "{\"hook\": \"session\"}| must be a list",
      "[{\"hook\": \"session\", \"extra\": 1}]| unknown field \"extra\"",
      "[{\"hook\": \"web_hook\", \"config\": {\"body\": \"base64://e30=\"}}]| config.url is required",
      "[{\"hook\": \"web_hook\", \"config\": {\"url\": \"https://h.example\"}}]| config.body is required",
      "[{\"hook\": \"web_hook\", \"config\": {\"url\": \"ftp://h.example\", \"body\": \"BODY\"}}]| http or https",
      "[{\"hook\": \"web_hook\", \"config\": {\"url\": \"https://h.example\", \"body\": \"BODY\", \"method\": \"TRACE\"}}]"
          + "| method must be",
      "[{\"hook\": \"web_hook\", \"config\": {\"url\": \"https://h.example\", \"body\": \"BODY\", \"timeout\": 1}}]"
          + "| unknown field \"timeout\"",
      "[{\"hook\": \"web_hook\", \"config\": {\"url\": \"https://h.example\", \"body\": \"BODY\", \"can_interrupt\": "
          + "true, \"response\": {\"ignore\": true}}}]| cannot be combined",
      "[{\"hook\": \"web_hook\", \"config\": {\"url\": \"https://h.example\", \"body\": \"BODY\", \"auth\": {\"type\":"
          + " \"oauth\"}}}]| auth.type must be api_key or basic_auth",
      "[{\"hook\": \"web_hook\", \"config\": {\"url\": \"https://h.example\", \"body\": \"BODY\", \"auth\": {\"type\":"
          + " \"api_key\", \"config\": {\"name\": \"k\", \"value\": \"v\", \"in\": \"query\"}}}}]| must be header or cookie",
      "[{\"hook\": \"web_hook\", \"config\": {\"url\": \"https://h.example\", \"body\": \"https://t.example/b\"}}]"
          + "| does not fetch templates over HTTP",
      "[{\"hook\": \"web_hook\", \"config\": {\"url\": \"https://h.example\", \"body\": \"file:///nonexistent/x\"}}]"
          + "| cannot read",
      "[{\"hook\": \"web_hook\", \"config\": {\"url\": \"https://h.example\", \"body\": \"LOCAL\"}}]"
          + "| body template: line 1, column 15: 'local' is not supported",
  })
  void parseWhenInvalidThenRefusedNamingKeyAndReason(String list, String reason) {
    String json = list.replace("BODY", b64("function(ctx) {}")).replace("LOCAL", b64("function(ctx) local a = 1; a"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SelfServiceHooks.parse("selfservice.flows.registration.after.password.hooks", JSON.readTree(json)));
    assertTrue(e.getMessage().startsWith("selfservice.flows.registration.after.password.hooks"), e.getMessage());
    assertTrue(e.getMessage().contains(reason.trim()), e.getMessage());
  }

  @Test
  void constructWhenHookNotAvailableInTheFlowThenRefused() {
    IllegalArgumentException login = assertThrows(IllegalArgumentException.class,
        () -> SelfServiceHooks.none().withLoginAfter(List.of(SelfServiceHooks.Hook.session())));
    assertTrue(login.getMessage().contains("selfservice.flows.login.after.hooks: hook \"session\" is not available"));
    assertThrows(IllegalArgumentException.class, () -> SelfServiceHooks.none().withRegistrationAfterPassword(
        List.of(SelfServiceHooks.Hook.revokeActiveSessions())));
    assertThrows(IllegalArgumentException.class, () -> SelfServiceHooks.none().withRegistrationAfter(
        List.of(SelfServiceHooks.Hook.requireVerifiedAddress())));
    assertThrows(IllegalArgumentException.class, () -> SelfServiceHooks.none().withLoginAfter(
        List.of(SelfServiceHooks.Hook.showVerificationUi())));
    assertEquals(List.of(SelfServiceHooks.Hook.showVerificationUi()), SelfServiceHooks.parse("k",
        JSON.readTree("[{\"hook\": \"show_verification_ui\"}]")));
  }

  @Test
  void fromKratosFlowsWhenPerMethodListsThenEachMethodGetsItsOwnElseTheGeneralOnes() {
    String hook = "{\"hook\":\"web_hook\",\"config\":{\"url\":\"https://hooks.example/%s\",\"body\":\""
        + b64("function(ctx) { id: ctx.identity.id }") + "\"}}";
    SelfServiceHooks h = SelfServiceHooks.fromKratosFlows(JSON.readTree("""
        {"login": {"after": {"hooks": [{"hook": "revoke_active_sessions"}],
           "totp": {"hooks": [%s]}, "lookup_secret": {"hooks": [%s]}, "webauthn": {"hooks": [%s]},
           "passkey": {"hooks": [%s]}, "oidc": {"hooks": [%s]}, "code": {"hooks": [%s]}}},
         "registration": {"after": {"oidc": {"hooks": [{"hook": "session"}]}}},
         "settings": {"after": {"profile": {"hooks": [%s]}}}}
        """.formatted(hook.formatted("totp"), hook.formatted("lookup_secret"), hook.formatted("webauthn"),
        hook.formatted("passkey"), hook.formatted("oidc"), hook.formatted("code"), hook.formatted("profile"))));
    for (String m : List.of("totp", "lookup_secret", "webauthn", "passkey", "oidc", "code")) {
      List<SelfServiceHooks.Hook> l = h.login(m);
      assertEquals(1, l.size(), m);
      assertEquals("https://hooks.example/" + m, ((SelfServiceHooks.WebHookHook) l.get(0)).config().url().toString());
    }
    assertEquals(List.of(SelfServiceHooks.Hook.revokeActiveSessions()), h.login("password"),
        "password has no list of its own: the general one");
    assertEquals(List.of(SelfServiceHooks.Hook.session()), h.registration("oidc"));
    assertEquals(List.of(), h.registration("password"));
    assertEquals("https://hooks.example/profile", ((SelfServiceHooks.WebHookHook) h.settings("profile").get(0))
        .config().url().toString());
    assertEquals(List.of(), h.settings("password"));
    assertEquals(h, SelfServiceHooks.none().withLoginAfter(List.of(SelfServiceHooks.Hook.revokeActiveSessions()))
        .withLoginAfter("totp", h.login("totp")).withLoginAfter("lookup_secret", h.login("lookup_secret"))
        .withLoginAfter("webauthn", h.login("webauthn")).withLoginAfter("passkey", h.login("passkey"))
        .withLoginAfter("oidc", h.login("oidc")).withLoginAfter("code", h.login("code"))
        .withRegistrationAfter("oidc", List.of(SelfServiceHooks.Hook.session()))
        .withSettingsAfter("profile", h.settings("profile")), "the builders make the same value as the config");
  }

  @Test
  void perMethodWhenHookOrMethodNotAvailableThenRefusedNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SelfServiceHooks.fromKratosFlows(
        JSON.readTree("{\"login\": {\"after\": {\"totp\": {\"hooks\": [{\"hook\": \"session\"}]}}}}")));
    assertTrue(e.getMessage().contains("selfservice.flows.login.after.totp.hooks"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SelfServiceHooks.none().withSettingsAfter("totp",
        List.of(SelfServiceHooks.Hook.requireVerifiedAddress())));
    assertTrue(e.getMessage().contains("selfservice.flows.settings.after.totp.hooks"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SelfServiceHooks.none().withLoginAfter("profile",
        List.of(SelfServiceHooks.Hook.revokeActiveSessions())));
    assertTrue(e.getMessage().contains("login.profile"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SelfServiceHooks.none().withRegistrationAfter("totp",
        List.of(SelfServiceHooks.Hook.session())));
    assertTrue(e.getMessage().contains("registration.totp"), e.getMessage());
  }
}
