package io.ory4j.testkit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ory4j.core.storage.DuplicateException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.Identity;
import io.ory4j.identity.Identity.Credentials;
import io.ory4j.identity.spi.IdentityStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract of {@link IdentityStore}. Extend it and implement {@link #newStore()} (fresh and empty per call). */
public abstract class IdentityStoreContract {

  protected abstract IdentityStore newStore();

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  protected static Identity identity(UUID id, String... identifiers) {
    Map<String, Credentials> creds = identifiers.length == 0 ? Map.of() : Map.of("password", new Credentials(
        "password", List.of(identifiers), JsonNodeFactory.instance.objectNode().put("hashed_password", "$2a$04$x"), 0,
        T0, T0));
    return new Identity(id, "default", "active", T0, JsonNodeFactory.instance.objectNode().put("email",
        identifiers.length == 0 ? "none" : identifiers[0]), List.of(), List.of(), null, null, creds, T0, T0);
  }

  /** An identity with no credentials and one verifiable email address. */
  protected static Identity withAddress(UUID id, String email) {
    return new Identity(id, "default", "active", T0, JsonNodeFactory.instance.objectNode().put("email", email),
        List.of(new Identity.VerifiableAddress(UUID.randomUUID(), email, false, "email", "pending", null, T0, T0)),
        List.of(new Identity.RecoveryAddress(UUID.randomUUID(), email, "email", T0, T0)), null, null, Map.of(), T0, T0);
  }

  @Test
  void createWhenVerifiableAddressThenFoundByItAndUniqueButNotACredentialsIdentifier() {
    IdentityStore s = newStore();
    UUID ada = UUID.randomUUID();
    s.create(withAddress(ada, "ada@example.com"));
    assertEquals(ada, s.findByIdentifier(IdentityStore.addressType("email"), "ada@example.com").orElseThrow().id());
    assertEquals(ada, s.findByIdentifier(IdentityStore.recoveryType("email"), "ada@example.com").orElseThrow().id());
    assertTrue(s.findByIdentifier("password", "ada@example.com").isEmpty());
    assertTrue(s.list(io.ory4j.core.storage.PageRequest.first(), "ada@example.com").items().isEmpty(),
        "credentials_identifier matches credentials only");
    assertThrows(io.ory4j.core.storage.DuplicateException.class,
        () -> s.create(withAddress(UUID.randomUUID(), "ada@example.com")));
    Identity twice = withAddress(ada, "ada@example.com");
    List<Identity.VerifiableAddress> both = List.of(twice.verifiableAddresses().get(0), new Identity.VerifiableAddress(
        UUID.randomUUID(), "ada@example.com", false, "email", "pending", null, T0, T0));
    org.junit.jupiter.api.Assertions.assertTrue(s.update(new Identity(ada, "default", "active", T0, twice.traits(),
        both, twice.recoveryAddresses(), null, null, Map.of(), T0, T0)), "one identity may list an address twice");
    s.update(withAddress(ada, "ada@new.example"));
    assertTrue(s.findByIdentifier(IdentityStore.addressType("email"), "ada@example.com").isEmpty());
    assertEquals(ada, s.findByIdentifier(IdentityStore.addressType("email"), "ada@new.example").orElseThrow().id());
  }

  @Test
  void createWhenStoredThenFoundByIdAndIdentifierWithCredentials() {
    IdentityStore s = newStore();
    UUID id = UUID.randomUUID();
    s.create(identity(id, "ada@example.com"));
    Identity got = s.find(id).orElseThrow();
    assertEquals("ada@example.com", got.traits().get("email").asText());
    assertEquals("$2a$04$x", got.credentials().get("password").config().get("hashed_password").asText());
    assertEquals(id, s.findByIdentifier("password", "ada@example.com").orElseThrow().id());
    assertTrue(s.findByIdentifier("password", "other@example.com").isEmpty());
    assertTrue(s.findByIdentifier("webauthn", "ada@example.com").isEmpty());
  }

  @Test
  void createWhenIdentifierTakenThenDuplicateAndNothingWritten() {
    IdentityStore s = newStore();
    s.create(identity(UUID.randomUUID(), "ada@example.com"));
    UUID second = UUID.randomUUID();
    assertThrows(DuplicateException.class, () -> s.create(identity(second, "ada@example.com")));
    assertTrue(s.find(second).isEmpty());
  }

  /**
   * The same identifier registered in parallel (issue 11's race): of eight creates started together, exactly one wins,
   * the others get {@link DuplicateException}, and no loser's identity is left behind.
   */
  @Test
  void createWhenSameIdentifierRacedThenExactlyOneWinsAndNoLoserIsStored() throws Exception {
    IdentityStore s = newStore();
    int n = 8;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
      List<UUID> ids = new ArrayList<>();
      List<java.util.concurrent.Future<Boolean>> outcomes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        UUID id = UUID.randomUUID();
        ids.add(id);
        outcomes.add(pool.submit(() -> {
          start.await(30, java.util.concurrent.TimeUnit.SECONDS);
          try {
            s.create(identity(id, "race@example.com"));
            return true;
          } catch (DuplicateException lost) {
            return false;
          }
        }));
      }
      int winners = 0;
      for (java.util.concurrent.Future<Boolean> f : outcomes) {
        winners += f.get(60, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
      }
      assertEquals(1, winners, "exactly one create of the identifier wins");
      UUID owner = s.findByIdentifier("password", "race@example.com").orElseThrow().id();
      for (UUID id : ids) {
        assertEquals(id.equals(owner), s.find(id).isPresent(), "only the winner is stored");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void updateWhenIdentifierChangesThenOldFreedAndNewClaimed() {
    IdentityStore s = newStore();
    UUID id = UUID.randomUUID();
    s.create(identity(id, "old@example.com"));
    assertTrue(s.update(identity(id, "new@example.com")));
    assertTrue(s.findByIdentifier("password", "old@example.com").isEmpty());
    assertEquals(id, s.findByIdentifier("password", "new@example.com").orElseThrow().id());
    s.create(identity(UUID.randomUUID(), "old@example.com"));
    assertFalse(s.update(identity(UUID.randomUUID(), "x@example.com")));
  }

  @Test
  void updateWhenIdentifierOfAnotherThenDuplicateAndUnchanged() {
    IdentityStore s = newStore();
    UUID a = UUID.randomUUID();
    s.create(identity(a, "a@example.com"));
    s.create(identity(UUID.randomUUID(), "b@example.com"));
    assertThrows(DuplicateException.class, () -> s.update(identity(a, "b@example.com")));
    assertEquals(a, s.findByIdentifier("password", "a@example.com").orElseThrow().id());
  }

  @Test
  void listWhenPagedThenEveryIdentityOnceAndFilterByIdentifier() {
    IdentityStore s = newStore();
    for (int i = 0; i < 7; i++) {
      s.create(identity(UUID.randomUUID(), "u" + i + "@example.com"));
    }
    List<Identity> all = new ArrayList<>();
    String token = null;
    do {
      Page<Identity> p = s.list(new PageRequest(3, token), null);
      all.addAll(p.items());
      token = p.nextPageToken();
    } while (token != null);
    assertEquals(7, new HashSet<>(all.stream().map(Identity::id).toList()).size());
    assertEquals(1, s.list(PageRequest.first(), "u3@example.com").items().size());
    assertTrue(s.list(PageRequest.first(), "nobody@example.com").items().isEmpty());
  }

  @Test
  void deleteWhenDeletedThenGoneAndIdentifierFree() {
    IdentityStore s = newStore();
    UUID id = UUID.randomUUID();
    s.create(identity(id, "ada@example.com"));
    assertTrue(s.delete(id));
    assertFalse(s.delete(id));
    assertTrue(s.find(id).isEmpty());
    s.create(identity(UUID.randomUUID(), "ada@example.com"));
  }

  /** An identity signed up by social sign-in: an {@code oidc} credential per provider account, no password. */
  protected static Identity withOidc(UUID id, String email, String... providerSubjects) {
    com.fasterxml.jackson.databind.node.ObjectNode config = JsonNodeFactory.instance.objectNode();
    for (String ps : providerSubjects) {
      config.withArray("providers").addObject().put("provider", ps.substring(0, ps.indexOf(':')))
          .put("subject", ps.substring(ps.indexOf(':') + 1));
    }
    return new Identity(id, "default", "active", T0, JsonNodeFactory.instance.objectNode().put("email", email),
        List.of(), List.of(), null, null, Map.of("oidc", new Credentials("oidc", List.of(providerSubjects), config, 0,
            T0, T0)), T0, T0);
  }

  @Test
  void createWhenOidcCredentialThenFoundByProviderSubjectUniqueAndFreedByUnlink() {
    IdentityStore s = newStore();
    UUID sam = UUID.randomUUID();
    s.create(withOidc(sam, "sam@example.com", "hydra:user-1", "google:g-1"));
    assertEquals(sam, s.findByIdentifier("oidc", "hydra:user-1").orElseThrow().id());
    assertEquals(sam, s.findByIdentifier("oidc", "google:g-1").orElseThrow().id());
    assertTrue(s.findByIdentifier("password", "hydra:user-1").isEmpty(), "found by its own credentials type only");
    assertEquals(2, s.find(sam).orElseThrow().credentials().get("oidc").config().path("providers").size());
    assertThrows(DuplicateException.class, () -> s.create(withOidc(UUID.randomUUID(), "other@example.com",
        "hydra:user-1")));
    // unlink google: its subject is free for another identity
    assertTrue(s.update(withOidc(sam, "sam@example.com", "hydra:user-1")));
    assertTrue(s.findByIdentifier("oidc", "google:g-1").isEmpty());
    s.create(withOidc(UUID.randomUUID(), "other@example.com", "google:g-1"));
  }
}
