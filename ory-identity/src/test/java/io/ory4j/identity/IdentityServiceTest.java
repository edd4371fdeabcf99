package io.ory4j.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.error.OryException;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.hash.Argon2Hasher;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.store.memory.InMemoryIdentityStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class IdentityServiceTest {

  static final OryJson JSON = OryJson.create();

  public static IdentitySchemas schemas() {
    try (InputStream in = IdentityServiceTest.class.getResourceAsStream("/identity/person.schema.json")) {
      return IdentitySchemas.of("default", Map.of("default", JSON.readTree(in.readAllBytes())));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private final InMemoryIdentityStore store = new InMemoryIdentityStore();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  private IdentityService service(io.ory4j.identity.hash.PasswordHasher hasher) {
    return IdentityService.builder()
        .hooks(SelfServiceHooks.sessionAfterRegistration()).schemas(schemas()).identityStore(store).hasher(hasher)
        .clock(new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        }).loginThrottling(3, Duration.ofMinutes(15)).build();
  }

  private final IdentityService service = service(new BcryptHasher(4, new SecureRandom()));

  private static JsonNode traits(String email) {
    return JSON.readTree("{\"email\":\"" + email + "\",\"name\":{\"first\":\"Ada\"}}");
  }

  @Test
  void registerWhenValidThenIdentityAddressesSessionAndToken() {
    IdentityService.Login login = service.registerWithPassword(null, traits("Ada@Example.com"), "correct horse staple");
    Identity i = login.identity();
    assertEquals("default", i.schemaId());
    assertEquals("active", i.state());
    assertEquals("ada@example.com", i.verifiableAddresses().get(0).value());
    assertFalse(i.verifiableAddresses().get(0).verified());
    assertEquals("email", i.recoveryAddresses().get(0).via());
    assertNull(i.credentials(), "credentials are not shown by default");
    assertTrue(login.sessionToken().startsWith("ory_st_"));
    Session s = service.whoami(login.sessionToken()).orElseThrow();
    assertEquals(i.id(), s.identity().id());
    assertEquals("aal1", s.authenticatorAssuranceLevel());
    String stored = store.find(i.id()).orElseThrow().credentials().get("password").config().get("hashed_password")
        .asText();
    assertTrue(stored.startsWith("$2a$04$"), "only the hash is stored");
  }

  @Test
  void registerWhenTraitInvalidThen400NamingTheTrait() {
    OryException e = assertThrows(OryException.class, () -> service.registerWithPassword(null,
        JSON.readTree("{\"email\":\"no\"}"), "correct horse staple"));
    assertEquals(400, e.status());
    assertTrue(e.error().reason().startsWith("#/traits/email"), e.error().reason());
    assertThrows(OryException.class, () -> service.registerWithPassword(null, JSON.readTree("{\"name\":{}}"),
        "correct horse staple"));
    assertThrows(OryException.class, () -> service.registerWithPassword(null,
        JSON.readTree("{\"email\":\"a@b.co\",\"extra\":1}"), "correct horse staple"));
  }

  @Test
  void registerWhenIdentifierTakenThen4000007() {
    service.registerWithPassword(null, traits("ada@example.com"), "correct horse staple");
    IdentityException e = assertThrows(IdentityException.class,
        () -> service.registerWithPassword(null, traits("ADA@example.com"), "another long passphrase"));
    assertEquals(4000007, e.messages().get(0).id());
  }

  @Test
  void registerWhenPasswordWeakThenKratosMessages() {
    assertEquals(4000005, assertThrows(IdentityException.class, () -> service.registerWithPassword(null,
        traits("a@example.com"), "short")).messages().get(0).id());
    assertEquals(4000031, assertThrows(IdentityException.class, () -> service.registerWithPassword(null,
        traits("longname@example.com"), "longname@example.co")).messages().get(0).id());
    assertEquals(4000034, assertThrows(IdentityException.class, () -> service.registerWithPassword(null,
        traits("b@example.com"), "password123")).messages().get(0).id());
    assertTrue(service.listIdentities(PageRequest.first(), null).items().isEmpty(), "nothing was written");
  }

  @Test
  void loginWhenUnknownOrWrongPasswordThenSameMessage() {
    service.registerWithPassword(null, traits("ada@example.com"), "correct horse staple");
    IdentityException unknown = assertThrows(IdentityException.class,
        () -> service.loginWithPassword("nobody@example.com", "correct horse staple"));
    IdentityException wrong = assertThrows(IdentityException.class,
        () -> service.loginWithPassword("ada@example.com", "wrong horse staple"));
    assertEquals(unknown.messages(), wrong.messages());
    assertEquals(4000006, wrong.messages().get(0).id());
    assertEquals(unknown.status(), wrong.status());
    IdentityService.Login ok = service.loginWithPassword(" ADA@example.com ", "correct horse staple");
    assertTrue(service.whoami(ok.sessionToken()).isPresent());
  }

  @Test
  void loginWhenThrottlingOnThenRefusedAfterFailuresUntilWindowPasses() {
    service.registerWithPassword(null, traits("ada@example.com"), "correct horse staple");
    for (int i = 0; i < 3; i++) {
      assertThrows(IdentityException.class, () -> service.loginWithPassword("ada@example.com", "nope nope nope"));
    }
    IdentityException throttled = assertThrows(IdentityException.class,
        () -> service.loginWithPassword("ada@example.com", "correct horse staple"));
    assertEquals(4000900, throttled.messages().get(0).id());
    assertEquals(429, throttled.status());
    now = now.plus(Duration.ofMinutes(16));
    assertTrue(service.whoami(service.loginWithPassword("ada@example.com", "correct horse staple").sessionToken())
        .isPresent());
  }

  @Test
  void loginWhenHasherChangedThenStoredHashUpgraded() {
    service.registerWithPassword(null, traits("ada@example.com"), "correct horse staple");
    IdentityService argon = service(new Argon2Hasher(new Argon2Hasher.Params(64, 1, 1, 16, 32), new SecureRandom()));
    Identity i = argon.loginWithPassword("ada@example.com", "correct horse staple").identity();
    String hash = store.find(i.id()).orElseThrow().credentials().get("password").config().get("hashed_password")
        .asText();
    assertTrue(hash.startsWith("$argon2id$v=19$m=64,t=1,p=1$"), hash);
    assertTrue(argon.loginWithPassword("ada@example.com", "correct horse staple").sessionToken().startsWith("ory_st_"));
  }

  @Test
  void importWhenHashedPasswordThenLoginWorksAndMalformedRefused() {
    service.createIdentity(null, traits("old@example.com"), null, null,
        "$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI",
        null, null);
    assertTrue(service.loginWithPassword("old@example.com", "test").sessionToken().startsWith("ory_st_"));
    assertThrows(OryException.class, () -> service.createIdentity(null, traits("bad@example.com"), null, null,
        "$pbkdf2-sha256$garbage", null, null));
    assertTrue(service.listIdentities(PageRequest.first(), "bad@example.com").items().isEmpty());
  }

  @Test
  void sessionsWhenLogoutOrExpiryOrDeactivationThenWhoamiEmpty() {
    IdentityService.Login a = service.registerWithPassword(null, traits("ada@example.com"), "correct horse staple");
    IdentityService.Login b = service.loginWithPassword("ada@example.com", "correct horse staple");
    assertTrue(service.logout(a.sessionToken()));
    assertTrue(service.whoami(a.sessionToken()).isEmpty());
    assertTrue(service.whoami(b.sessionToken()).isPresent());
    now = now.plus(Duration.ofHours(25));
    assertTrue(service.whoami(b.sessionToken()).isEmpty(), "expired after the 24h lifespan");
    now = now.minus(Duration.ofHours(25));
    service.updateIdentity(a.identity().id(), null, traits("ada@example.com"), "inactive", null, null);
    assertTrue(service.whoami(b.sessionToken()).isEmpty(), "an inactive identity has no session");
  }

  @Test
  void updateWhenEmailChangesThenIdentifierAndAddressesFollow() {
    Identity i = service.registerWithPassword(null, traits("ada@example.com"), "correct horse staple").identity();
    service.updateIdentity(i.id(), null, traits("ada@new-example.com"), null, JSON.readTree("{\"plan\":\"pro\"}"), null);
    assertThrows(IdentityException.class, () -> service.loginWithPassword("ada@example.com", "correct horse staple"));
    assertTrue(service.loginWithPassword("ada@new-example.com", "correct horse staple").sessionToken().length() > 10);
    Identity got = service.getIdentity(i.id(), false).orElseThrow();
    assertEquals("ada@new-example.com", got.verifiableAddresses().get(0).value());
    assertEquals("pro", got.metadataPublic().get("plan").asText());
  }

  @Test
  void deleteWhenIdentityDeletedThenSessionsGone() {
    IdentityService.Login a = service.registerWithPassword(null, traits("ada@example.com"), "correct horse staple");
    service.deleteIdentity(a.identity().id());
    assertTrue(service.whoami(a.sessionToken()).isEmpty());
    assertEquals(404, assertThrows(OryException.class, () -> service.deleteIdentity(a.identity().id())).status());
  }

  @Test
  void listWhenCredentialsIdentifierFilterThenOnlyThatIdentity() {
    service.registerWithPassword(null, traits("a@example.com"), "correct horse staple");
    service.registerWithPassword(null, traits("b@example.com"), "correct horse staple");
    assertEquals(2, service.listIdentities(PageRequest.first(), null).items().size());
    assertEquals(List.of("b@example.com"), service.listIdentities(PageRequest.first(), "B@example.com").items()
        .stream().map(x -> x.traits().get("email").asText()).toList());
  }
}
