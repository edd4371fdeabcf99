package io.ory4j.testkit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.Session;
import io.ory4j.identity.spi.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract of {@link SessionStore}. Extend it and implement {@link #newStore()} (fresh and empty per call). */
public abstract class SessionStoreContract {

  protected abstract SessionStore newStore();

  /** The identities sessions belong to must exist where the store requires it; the default needs nothing. */
  protected UUID newIdentity() {
    return UUID.randomUUID();
  }

  private static Session session(UUID identity, Instant issued) {
    return new Session(UUID.randomUUID(), true, issued.plusSeconds(86400), issued, issued, "aal1",
        List.of(new Session.AuthenticationMethod("password", "aal1", issued)), identity, null);
  }

  @Test
  void createWhenStoredThenFoundByTokenHashAndId() {
    SessionStore s = newStore();
    Session a = session(newIdentity(), Instant.parse("2026-01-01T00:00:00Z"));
    s.create(a, "h".repeat(64));
    assertEquals(a.id(), s.findByTokenHash("h".repeat(64)).orElseThrow().id());
    assertEquals(a.expiresAt(), s.find(a.id()).orElseThrow().expiresAt());
    assertTrue(s.findByTokenHash("x".repeat(64)).isEmpty());
  }

  @Test
  void revokeWhenOneOrAllOthersThenInactive() {
    SessionStore s = newStore();
    UUID identity = newIdentity();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Session a = session(identity, t);
    Session b = session(identity, t.plusSeconds(1));
    Session c = session(identity, t.plusSeconds(2));
    s.create(a, "a".repeat(64));
    s.create(b, "b".repeat(64));
    s.create(c, "c".repeat(64));
    assertTrue(s.revoke(a.id()));
    assertFalse(s.find(a.id()).orElseThrow().active());
    assertEquals(1, s.revokeAll(identity, c.id()));
    assertFalse(s.findByTokenHash("b".repeat(64)).orElseThrow().active());
    assertTrue(s.find(c.id()).orElseThrow().active());
    assertEquals(1, s.list(identity, true, PageRequest.first()).items().size());
    assertEquals(3, s.list(identity, null, PageRequest.first()).items().size());
    assertFalse(s.revoke(UUID.randomUUID()));
  }

  @Test
  void updateWhenRaisedToAal2ThenSameTokenFindsNewLevelAndMethods() {
    SessionStore s = newStore();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Session a = session(newIdentity(), t);
    s.create(a, "u".repeat(64));
    Session up = new Session(a.id(), true, a.expiresAt(), a.authenticatedAt(), a.issuedAt(), "aal2",
        List.of(a.authenticationMethods().get(0), new Session.AuthenticationMethod("totp", "aal2", t.plusSeconds(5))),
        a.identityId(), null);
    assertTrue(s.update(up));
    Session found = s.findByTokenHash("u".repeat(64)).orElseThrow();
    assertEquals("aal2", found.authenticatorAssuranceLevel());
    assertEquals(List.of("password", "totp"), found.authenticationMethods().stream()
        .map(Session.AuthenticationMethod::method).toList());
    assertEquals(t.plusSeconds(5), s.find(a.id()).orElseThrow().authenticationMethods().get(1).completedAt());
    assertTrue(s.update(up.revoked()));
    assertFalse(s.find(a.id()).orElseThrow().active());
    assertEquals(0, s.list(a.identityId(), true, PageRequest.first()).items().size());
    assertFalse(s.update(session(a.identityId(), t)), "an unknown session is not created");
    assertEquals(1, s.list(a.identityId(), null, PageRequest.first()).items().size());
  }

  @Test
  void updateWhenRefreshedThenSameTokenFindsNewAuthenticatedAtAndExpiry() {
    SessionStore s = newStore();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Session a = session(newIdentity(), t);
    s.create(a, "r".repeat(64));
    Instant later = t.plusSeconds(7200);
    Session up = new Session(a.id(), true, later.plusSeconds(86400), later, a.issuedAt(),
        a.authenticatorAssuranceLevel(), List.of(a.authenticationMethods().get(0),
        new Session.AuthenticationMethod("password", "aal1", later)), a.identityId(), null);
    assertTrue(s.update(up));
    Session found = s.findByTokenHash("r".repeat(64)).orElseThrow();
    assertEquals(a.id(), found.id());
    assertEquals(later, found.authenticatedAt());
    assertEquals(later.plusSeconds(86400), found.expiresAt());
    assertEquals(a.issuedAt(), found.issuedAt());
    assertEquals(2, found.authenticationMethods().size());
  }

  @Test
  void deleteAllWhenIdentityDeletedThenItsSessionsGone() {
    SessionStore s = newStore();
    UUID one = newIdentity();
    UUID other = newIdentity();
    s.create(session(one, Instant.parse("2026-01-01T00:00:00Z")), "1".repeat(64));
    s.create(session(other, Instant.parse("2026-01-01T00:00:00Z")), "2".repeat(64));
    assertEquals(1, s.deleteAll(one));
    assertTrue(s.findByTokenHash("1".repeat(64)).isEmpty());
    assertTrue(s.findByTokenHash("2".repeat(64)).isPresent());
  }
}
