package io.ory4j.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.error.OryException;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.internal.Totp;
import io.ory4j.identity.store.memory.InMemoryIdentityStore;
import io.ory4j.identity.store.memory.InMemorySessionStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MultiFactorTest {

  static final OryJson JSON = OryJson.create();


  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryIdentityStore store = new InMemoryIdentityStore();
  private final IdentityService service = IdentityService.builder()
      .hooks(SelfServiceHooks.sessionAfterRegistration()).schemas(IdentityServiceTest.schemas())
      .identityStore(store).sessionStore(new InMemorySessionStore()).hasher(new BcryptHasher(4, new SecureRandom()))
      .clock(clock).build();

  private IdentityService.Login signup(String email) {
    JsonNode traits = JSON.readTree("{\"email\":\"" + email + "\",\"name\":{\"first\":\"Ada\"}}");
    return service.registerWithPassword(null, traits, "correct horse staple");
  }

  private String codeNow(String secret) {
    return Totp.code(Totp.fromBase32(secret).orElseThrow(), Totp.step(clock.instant().getEpochSecond()));
  }

  private IdentityService.TotpEnrolment enrol(UUID id) {
    IdentityService.TotpEnrolment e = service.startTotpEnrolment(id, "ory4j");
    service.confirmTotp(id, e.url(), codeNow(e.secret()));
    return e;
  }

  @Test
  void startTotpEnrolmentWhenCalledThenFreshSecretAndKratosUriAndNothingStored() {
    UUID id = signup("ada@example.com").identity().id();
    IdentityService.TotpEnrolment a = service.startTotpEnrolment(id, "ory4j");
    IdentityService.TotpEnrolment b = service.startTotpEnrolment(id, "ory4j");
    assertNotEquals(a.secret(), b.secret());
    assertEquals(32, a.secret().length(), "160 bits in base32");
    assertEquals("otpauth://totp/ory4j:ada%40example.com?algorithm=SHA1&digits=6&issuer=ory4j&period=30&secret="
        + a.secret(), a.url());
    assertFalse(store.find(id).orElseThrow().credentials().containsKey("totp"));
    assertFalse(a.toString().contains(a.secret()), "the secret stays out of logs");
    assertEquals("aal1", service.availableAal(id));
  }

  @Test
  void confirmTotpWhenCodeRightThenTotpCredentialWithTotpUrl() {
    UUID id = signup("ada@example.com").identity().id();
    IdentityService.TotpEnrolment e = enrol(id);
    Identity.Credentials c = store.find(id).orElseThrow().credentials().get("totp");
    assertEquals("totp", c.type());
    assertEquals(List.of(id.toString()), c.identifiers());
    assertEquals(e.url(), c.config().get("totp_url").asText());
    assertEquals("aal2", service.availableAal(id));
  }

  @Test
  void confirmTotpWhenCodeWrongThen4000008AndNothingStored() {
    UUID id = signup("ada@example.com").identity().id();
    IdentityService.TotpEnrolment e = service.startTotpEnrolment(id, "ory4j");
    String wrong = codeNow(e.secret()).equals("000000") ? "111111" : "000000";
    IdentityException ex = assertThrows(IdentityException.class, () -> service.confirmTotp(id, e.url(), wrong));
    assertEquals(4000008, ex.messages().get(0).id());
    assertFalse(store.find(id).orElseThrow().credentials().containsKey("totp"));
    OryException bad = assertThrows(OryException.class, () -> service.confirmTotp(id, "https://x", "123456"));
    assertEquals(400, bad.status());
  }

  @Test
  void unlinkTotpWhenLinkedThenRemovedAndAal1Again() {
    UUID id = signup("ada@example.com").identity().id();
    enrol(id);
    assertTrue(service.unlinkTotp(id));
    assertFalse(service.unlinkTotp(id));
    assertEquals("aal1", service.availableAal(id));
  }

  @Test
  void loginSecondFactorWhenTotpRightThenSameTokenAal2WithBothMethods() {
    IdentityService.Login login = signup("ada@example.com");
    IdentityService.TotpEnrolment e = enrol(login.identity().id());
    clock.advance(Duration.ofSeconds(60));
    Session s = service.loginSecondFactor(login.sessionToken(), "totp", codeNow(e.secret()));
    assertEquals("aal2", s.authenticatorAssuranceLevel());
    assertEquals(List.of("password", "totp"), s.authenticationMethods().stream()
        .map(Session.AuthenticationMethod::method).toList());
    assertEquals("aal2", s.authenticationMethods().get(1).aal());
    assertEquals(login.session().id(), s.id());
    Session again = service.whoami(login.sessionToken(), "aal2").orElseThrow();
    assertEquals("aal2", again.authenticatorAssuranceLevel());
  }

  @Test
  void loginSecondFactorWhenTotpCodeReplayedInSameStepThenRefused() {
    IdentityService.Login first = signup("ada@example.com");
    IdentityService.TotpEnrolment e = enrol(first.identity().id());
    clock.advance(Duration.ofSeconds(90));
    String code = codeNow(e.secret());
    service.loginSecondFactor(first.sessionToken(), "totp", code);
    IdentityService.Login second = service.loginWithPassword("ada@example.com", "correct horse staple");
    IdentityException ex = assertThrows(IdentityException.class,
        () -> service.loginSecondFactor(second.sessionToken(), "totp", code));
    assertEquals(4000008, ex.messages().get(0).id());
    clock.advance(Duration.ofSeconds(30));
    assertEquals("aal2", service.loginSecondFactor(second.sessionToken(), "totp", codeNow(e.secret()))
        .authenticatorAssuranceLevel());
  }

  @Test
  void loginSecondFactorWhenTotpCodeOfPreviousStepThenAcceptedButTwoStepsOldRefused() {
    IdentityService.Login login = signup("ada@example.com");
    IdentityService.TotpEnrolment e = enrol(login.identity().id());
    byte[] key = Totp.fromBase32(e.secret()).orElseThrow();
    clock.advance(Duration.ofSeconds(300));
    long step = Totp.step(clock.instant().getEpochSecond());
    assertThrows(IdentityException.class,
        () -> service.loginSecondFactor(login.sessionToken(), "totp", Totp.code(key, step - 2)));
    assertEquals("aal2", service.loginSecondFactor(login.sessionToken(), "totp", Totp.code(key, step - 1))
        .authenticatorAssuranceLevel());
  }

  @Test
  void loginSecondFactorWhenNoTotpDeviceThen4000011() {
    IdentityService.Login login = signup("ada@example.com");
    IdentityException ex = assertThrows(IdentityException.class,
        () -> service.loginSecondFactor(login.sessionToken(), "totp", "123456"));
    assertEquals(4000011, ex.messages().get(0).id());
  }

  @Test
  void loginSecondFactorWhenNoSessionThen401Aal1Required() {
    OryException ex = assertThrows(OryException.class,
        () -> service.loginSecondFactor("ory_st_nope", "totp", "123456"));
    assertEquals(401, ex.status());
    assertEquals("session_aal1_required", ex.error().id());
  }

  @Test
  void loginSecondFactorWhenAlreadyAal2OrUnknownMethodThen400() {
    IdentityService.Login login = signup("ada@example.com");
    List<String> codes = service.regenerateLookupSecrets(login.identity().id());
    assertEquals(400, assertThrows(OryException.class,
        () -> service.loginSecondFactor(login.sessionToken(), "sms", "x")).status());
    service.loginSecondFactor(login.sessionToken(), "lookup_secret", codes.get(0));
    OryException ex = assertThrows(OryException.class,
        () -> service.loginSecondFactor(login.sessionToken(), "lookup_secret", codes.get(1)));
    assertEquals("session_aal_already_fulfilled", ex.error().id());
    assertEquals(11, service.remainingLookupSecrets(login.identity().id()), "the refused call used nothing");
  }

  @Test
  void regenerateLookupSecretsWhenCalledThenTwelveEightCharCodesStoredOnlyAsHashes() {
    UUID id = signup("ada@example.com").identity().id();
    List<String> codes = service.regenerateLookupSecrets(id);
    assertEquals(12, codes.size());
    assertEquals(12, new HashSet<>(codes).size());
    codes.forEach(c -> assertTrue(c.matches("[a-z0-9]{8}"), c));
    Identity.Credentials c = store.find(id).orElseThrow().credentials().get("lookup_secret");
    String stored = c.config().toString();
    codes.forEach(code -> assertFalse(stored.contains(code), "no code in clear"));
    assertEquals(12, c.config().get("recovery_codes").size());
    assertEquals(12, service.remainingLookupSecrets(id));
    assertEquals("aal2", service.availableAal(id));
  }

  @Test
  void loginSecondFactorWhenLookupSecretUsedTwiceThen4000012() {
    IdentityService.Login first = signup("ada@example.com");
    List<String> codes = service.regenerateLookupSecrets(first.identity().id());
    assertEquals("aal2", service.loginSecondFactor(first.sessionToken(), "lookup_secret", codes.get(3))
        .authenticatorAssuranceLevel());
    assertEquals(11, service.remainingLookupSecrets(first.identity().id()));
    IdentityService.Login second = service.loginWithPassword("ada@example.com", "correct horse staple");
    IdentityException ex = assertThrows(IdentityException.class,
        () -> service.loginSecondFactor(second.sessionToken(), "lookup_secret", codes.get(3)));
    assertEquals(4000012, ex.messages().get(0).id());
    IdentityException bad = assertThrows(IdentityException.class,
        () -> service.loginSecondFactor(second.sessionToken(), "lookup_secret", "zzzzzzzz"));
    assertEquals(4000016, bad.messages().get(0).id());
  }

  @Test
  void regenerateLookupSecretsWhenCalledAgainThenOldCodesInvalid() {
    IdentityService.Login login = signup("ada@example.com");
    List<String> old = service.regenerateLookupSecrets(login.identity().id());
    List<String> fresh = service.regenerateLookupSecrets(login.identity().id());
    IdentityException ex = assertThrows(IdentityException.class,
        () -> service.loginSecondFactor(login.sessionToken(), "lookup_secret", old.get(0)));
    assertEquals(4000016, ex.messages().get(0).id());
    assertEquals("aal2", service.loginSecondFactor(login.sessionToken(), "lookup_secret", fresh.get(0))
        .authenticatorAssuranceLevel());
  }

  @Test
  void loginSecondFactorWhenNoLookupSecretsThen4000014() {
    IdentityService.Login login = signup("ada@example.com");
    IdentityException ex = assertThrows(IdentityException.class,
        () -> service.loginSecondFactor(login.sessionToken(), "lookup_secret", "abcdefgh"));
    assertEquals(4000014, ex.messages().get(0).id());
  }

  @Test
  void loginSecondFactorWhenKratosClearTextCodesImportedThenAcceptedOnce() {
    IdentityService.Login login = signup("ada@example.com");
    Identity i = store.find(login.identity().id()).orElseThrow();
    var creds = new java.util.LinkedHashMap<>(i.credentials());
    creds.put("lookup_secret", new Identity.Credentials("lookup_secret", List.of(i.id().toString()),
        JSON.readTree("{\"recovery_codes\":[{\"code\":\"abcd1234\",\"used_at\":null}]}"), 0, clock.instant(), clock.instant()));
    store.update(i.withCredentials(creds));
    service.loginSecondFactor(login.sessionToken(), "lookup_secret", "abcd1234");
    assertEquals(0, service.remainingLookupSecrets(i.id()));
  }

  @Test
  void whoamiWhenSecondFactorAvailableAndSessionAal1ThenSessionAal2Required() {
    IdentityService.Login login = signup("ada@example.com");
    assertTrue(service.whoami(login.sessionToken(), "highest_available").isPresent(), "no second factor yet");
    OryException noFactor = assertThrows(OryException.class, () -> service.whoami(login.sessionToken(), "aal2"));
    assertEquals("session_aal2_required", noFactor.error().id());
    enrol(login.identity().id());
    OryException ex = assertThrows(OryException.class,
        () -> service.whoami(login.sessionToken(), "highest_available"));
    assertEquals(403, ex.status());
    assertEquals("session_aal2_required", ex.error().id());
    assertTrue(service.whoami(login.sessionToken(), "aal1").isPresent());
    assertTrue(service.whoami(login.sessionToken()).isPresent(), "the one-argument whoami asks for aal1");
    assertTrue(service.whoami("ory_st_unknown", "highest_available").isEmpty());
    assertThrows(OryException.class, () -> service.whoami(login.sessionToken(), "aal3"));
  }

  @Test
  void loginSecondFactorWhenSessionExpiredThen401() {
    IdentityService.Login login = signup("ada@example.com");
    List<String> codes = service.regenerateLookupSecrets(login.identity().id());
    clock.advance(Duration.ofDays(2));
    assertEquals(401, assertThrows(OryException.class,
        () -> service.loginSecondFactor(login.sessionToken(), "lookup_secret", codes.get(0))).status());
  }

  @Test
  void loginSecondFactorWhenOneLookupSecretRacedByManySessionsThenExactlyOneWins() throws Exception {
    IdentityService.Login first = signup("ada@example.com");
    List<String> codes = service.regenerateLookupSecrets(first.identity().id());
    int n = 6;
    List<String> tokens = new java.util.ArrayList<>();
    for (int k = 0; k < n; k++) {
      tokens.add(service.loginWithPassword("ada@example.com", "correct horse staple").sessionToken());
    }
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (String t : tokens) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            service.loginSecondFactor(t, "lookup_secret", codes.get(5));
            return true;
          } catch (IdentityException e) {
            return false;
          }
        }));
      }
      int wins = 0;
      for (var f : results) {
        wins += f.get() ? 1 : 0;
      }
      assertEquals(1, wins);
      assertEquals(11, service.remainingLookupSecrets(first.identity().id()));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void startTotpEnrolmentWhenTraitMarkedAccountNameThenUriShowsIt() {
    IdentitySchemas schemas = IdentitySchemas.of("default", java.util.Map.of("default", JSON.readTree(
        "{\"type\":\"object\",\"properties\":{\"traits\":{\"type\":\"object\",\"properties\":{"
            + "\"email\":{\"type\":\"string\",\"ory.sh/kratos\":{\"credentials\":{\"password\":"
            + "{\"identifier\":true}}}},"
            + "\"nick\":{\"type\":\"string\",\"ory.sh/kratos\":{\"credentials\":{\"totp\":"
            + "{\"account_name\":true}}}}}}}}")));
    IdentityService s = IdentityService.builder()
        .hooks(SelfServiceHooks.sessionAfterRegistration()).schemas(schemas).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).build();
    UUID id = s.registerWithPassword(null, JSON.readTree("{\"email\":\"ada@example.com\",\"nick\":\"Ada L\"}"),
        "correct horse staple").identity().id();
    assertTrue(s.startTotpEnrolment(id, "ory4j").url().startsWith("otpauth://totp/ory4j:Ada%20L?"));
    UUID bare = s.createIdentity(null, JSON.readTree("{\"nick\":\"\"}"), null, null, null, null, null).id();
    assertTrue(s.startTotpEnrolment(bare, "ory4j").url().startsWith("otpauth://totp/ory4j:" + bare + "?"),
        "no marked trait and no password identifier: the identity id");
  }
}
