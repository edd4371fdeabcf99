package io.ory4j.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryException;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.store.memory.InMemoryIdentityStore;
import io.ory4j.identity.store.memory.InMemorySessionStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The webauthn and passkey methods through {@link IdentityService}, with a software authenticator. */
class WebAuthnServiceTest {

  static final OryJson JSON = OryJson.create();
  static final String ORIGIN = "https://auth.example.com";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryIdentityStore store = new InMemoryIdentityStore();
  private int challenges;

  private IdentityService service(boolean passwordless) {
    return IdentityService.builder().hooks(SelfServiceHooks.sessionAfterRegistration())
        .schemas(IdentityServiceTest.schemas()).identityStore(store).sessionStore(new InMemorySessionStore())
        .hasher(new BcryptHasher(4, new SecureRandom())).clock(clock)
        .webAuthn(WebAuthnSettings.of("example.com", "Example", ORIGIN).withPasswordless(passwordless))
        .passkey(WebAuthnSettings.of("example.com", "Example", ORIGIN)).build();
  }

  private final IdentityService service = service(false);

  private byte[] challenge() {
    byte[] c = new byte[32];
    c[0] = (byte) ++challenges;
    return c;
  }

  private IdentityService.Login signup(IdentityService s, String email) {
    JsonNode traits = JSON.readTree("{\"email\":\"" + email + "\"}");
    return s.registerWithPassword(null, traits, "correct horse staple");
  }

  private Session enrol(IdentityService s, IdentityService.Login login, TestAuthenticator a, String type) {
    byte[] c = challenge();
    ObjectNode options = s.webAuthnRegistrationOptions(login.identity().id(), type, c);
    return s.addWebAuthnKey(login.session(), type, c, a.register(options, ORIGIN, "packed"), "my key");
  }

  @Test
  void addWebAuthnKeyWhenSecondFactorThenKratosCredentialAndSessionAal2() {
    IdentityService.Login login = signup(service, "ada@example.com");
    TestAuthenticator a = new TestAuthenticator((byte) 1);
    Session s = enrol(service, login, a, IdentityService.WEBAUTHN);
    assertEquals("aal2", s.authenticatorAssuranceLevel());
    assertEquals("webauthn", s.authenticationMethods().get(1).method());
    Identity.Credentials c = store.find(login.identity().id()).orElseThrow().credentials().get("webauthn");
    assertEquals(List.of("ada@example.com"), c.identifiers());
    JsonNode k = c.config().path("credentials").get(0);
    assertEquals(Base64.getEncoder().encodeToString(a.credentialId()), k.path("id").asText());
    assertEquals("self", k.path("attestation_type").asText());
    assertEquals("my key", k.path("display_name").asText());
    assertFalse(k.path("is_passwordless").asBoolean(true));
    assertEquals(0, k.path("authenticator").path("sign_count").asLong());
    assertFalse(k.path("authenticator").path("clone_warning").asBoolean(true));
    assertEquals(16, Base64.getDecoder().decode(c.config().path("user_handle").asText()).length);
    assertEquals("aal2", service.availableAal(login.identity().id()));
    assertEquals(List.of("webauthn"), service.secondFactors(login.identity().id()));
  }

  @Test
  void loginSecondFactorWithWebAuthnWhenAssertionVerifiesThenAal2AndCounterStored() {
    TestAuthenticator a = new TestAuthenticator((byte) 2);
    UUID id = signup(service, "bob@example.com").identity().id();
    enrol(service, passwordLogin(id), a, IdentityService.WEBAUTHN);
    IdentityService.Login aal1 = service.loginWithPassword("bob@example.com", "correct horse staple");
    assertThrows(OryException.class, () -> service.whoami(aal1.sessionToken(), "highest_available"));
    byte[] c = challenge();
    ObjectNode options = service.webAuthnLoginOptions(id, false, c);
    Session up = service.loginSecondFactorWithWebAuthn(aal1.sessionToken(), c, a.assertion(options, ORIGIN));
    assertEquals("aal2", up.authenticatorAssuranceLevel());
    assertEquals(1, store.find(id).orElseThrow().credentials().get("webauthn").config()
        .at("/credentials/0/authenticator/sign_count").asLong());
  }

  private IdentityService.Login passwordLogin(UUID id) {
    return service.loginWithPassword(store.find(id).orElseThrow().traits().path("email").asText(),
        "correct horse staple");
  }

  @Test
  void loginWhenCounterGoesBackwardsThenLoginSucceedsAndCloneWarningStored() {
    TestAuthenticator a = new TestAuthenticator((byte) 3);
    UUID id = signup(service, "eve@example.com").identity().id();
    enrol(service, passwordLogin(id), a, IdentityService.WEBAUTHN);
    a.counter(9);
    IdentityService.Login first = passwordLogin(id);
    byte[] c1 = challenge();
    service.loginSecondFactorWithWebAuthn(first.sessionToken(), c1, a.assertion(service.webAuthnLoginOptions(id,
        false, c1), ORIGIN));
    a.counter(4); // a clone with an older counter
    IdentityService.Login second = passwordLogin(id);
    byte[] c2 = challenge();
    Session s = service.loginSecondFactorWithWebAuthn(second.sessionToken(), c2, a.assertion(
        service.webAuthnLoginOptions(id, false, c2), ORIGIN));
    assertEquals("aal2", s.authenticatorAssuranceLevel());
    JsonNode auth = store.find(id).orElseThrow().credentials().get("webauthn").config()
        .at("/credentials/0/authenticator");
    assertTrue(auth.path("clone_warning").asBoolean());
    assertEquals(10, auth.path("sign_count").asLong(), "the higher counter is kept");
  }

  @Test
  void passkeyRegisterAndLoginWhenDiscoverableThenAal1SessionWithoutPassword() {
    TestAuthenticator a = new TestAuthenticator((byte) 4);
    String handle = service.newPasskeyUserHandle();
    byte[] c = challenge();
    ObjectNode options = JSON.mapper().createObjectNode();
    options.putObject("publicKey").put("challenge", Base64.getUrlEncoder().withoutPadding().encodeToString(c))
        .put("user", "x").putObject("rp").put("id", "example.com");
    ((ObjectNode) options.path("publicKey")).putObject("user").put("id", Base64.getUrlEncoder().withoutPadding()
        .encodeToString(handle.getBytes()));
    IdentityService.Login reg = service.registerWithPasskey(null, JSON.readTree("{\"email\":\"pk@example.com\"}"),
        handle, c, a.register(options, ORIGIN, "none"), SelfServiceRequest.none());
    Identity stored = store.find(reg.identity().id()).orElseThrow();
    assertFalse(stored.credentials().containsKey("password"));
    assertEquals(List.of(handle), stored.credentials().get("passkey").identifiers());
    assertEquals(64, handle.length());
    byte[] c2 = challenge();
    ObjectNode req = service.passkeyLoginOptions(c2);
    assertFalse(req.path("publicKey").has("allowCredentials"));
    IdentityService.Login in = service.loginWithPasskey(c2, a.assertion(req, ORIGIN), SelfServiceRequest.none());
    assertEquals(reg.identity().id(), in.identity().id());
    assertEquals("aal1", in.session().authenticatorAssuranceLevel());
    assertEquals("passkey", in.session().authenticationMethods().get(0).method());
  }

  @Test
  void removeWebAuthnKeyWhenLastFirstFactorThenRefusedElseRemoved() {
    IdentityService pwl = service(true);
    TestAuthenticator a = new TestAuthenticator((byte) 5);
    IdentityService.Login login = signup(pwl, "lo@example.com");
    enrol(pwl, login, a, IdentityService.WEBAUTHN);
    // a password and a passwordless key: two first factors, so the key may go
    assertTrue(pwl.webAuthnKeys(login.identity().id(), "webauthn").get(0).removable());
    // the passwordless key signs in by itself
    byte[] c = challenge();
    UUID id = pwl.webAuthnIdentity("LO@example.com").orElseThrow();
    IdentityService.Login in = pwl.loginWithWebAuthn("lo@example.com", c, a.assertion(pwl.webAuthnLoginOptions(id,
        true, c), ORIGIN), SelfServiceRequest.none());
    assertEquals("webauthn", in.session().authenticationMethods().get(0).method());
    // without the password the key is the last way in: refused
    Identity i = store.find(id).orElseThrow();
    java.util.Map<String, Identity.Credentials> creds = new java.util.HashMap<>(i.credentials());
    creds.remove("password");
    store.update(i.withCredentials(creds));
    assertFalse(pwl.webAuthnKeys(id, "webauthn").get(0).removable());
    IdentityException e = assertThrows(IdentityException.class, () -> pwl.removeWebAuthnKey(login.session(),
        "webauthn", a.credentialIdHex()));
    assertEquals(4000001, e.fieldMessages().get("webauthn_remove").get(0).id());
    assertTrue(store.find(id).orElseThrow().credentials().containsKey("webauthn"));
  }

  @Test
  void removeWebAuthnKeyWhenSecondFactorThenAlwaysRemoved() {
    IdentityService.Login login = signup(service, "mfa@example.com");
    TestAuthenticator a = new TestAuthenticator((byte) 6);
    enrol(service, login, a, IdentityService.WEBAUTHN);
    service.removeWebAuthnKey(login.session(), "webauthn", a.credentialIdHex());
    assertFalse(store.find(login.identity().id()).orElseThrow().credentials().containsKey("webauthn"));
    assertEquals("aal1", service.availableAal(login.identity().id()));
  }

  @Test
  void methodsWhenDisabledThenStrategyNotEnabled() {
    IdentityService off = IdentityService.builder().schemas(IdentityServiceTest.schemas()).build();
    OryException e = assertThrows(OryException.class, () -> off.passkeyLoginOptions(new byte[32]));
    assertEquals(400, e.status());
    assertThrows(IllegalArgumentException.class, () -> WebAuthnSettings.of("https://example.com", "x", ORIGIN));
    assertThrows(IllegalArgumentException.class, () -> WebAuthnSettings.of("example.com", "x", ORIGIN + "/path"));
  }
}
