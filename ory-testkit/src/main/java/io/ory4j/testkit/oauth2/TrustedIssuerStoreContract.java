package io.ory4j.testkit.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.storage.DuplicateException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.oauth2.TrustedJwtGrantIssuer;
import io.ory4j.oauth2.spi.TrustedIssuerStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of {@link TrustedIssuerStore}. Extend it and implement {@link #newStore()} (a fresh, empty store). */
public abstract class TrustedIssuerStoreContract {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Map<String, Object> JWK = Map.of("kty", "EC", "crv", "P-256", "kid", "k1",
      "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");

  protected abstract TrustedIssuerStore newStore();

  /** A relationship expiring an hour after {@code T0}. */
  protected static TrustedJwtGrantIssuer trust(String id, String issuer, String subject, String kid) {
    return new TrustedJwtGrantIssuer(id, issuer, subject, subject.isEmpty(), List.of("read", "write"), kid, JWK, T0,
        T0.plusSeconds(3600));
  }

  @Test
  void createWhenFoundThenEqualAndDeleteRemovesIt() {
    TrustedIssuerStore store = newStore();
    TrustedJwtGrantIssuer t = trust("id-1", "https://idp.example", "alice", "k1");
    store.create(t);
    assertEquals(t, store.find("id-1").orElseThrow());
    assertTrue(store.find("id-2").isEmpty());
    assertTrue(store.delete("id-1"));
    assertFalse(store.delete("id-1"));
    assertTrue(store.find("id-1").isEmpty());
  }

  @Test
  void createWhenSameIssuerSubjectAndKeyThenDuplicate() {
    TrustedIssuerStore store = newStore();
    store.create(trust("id-1", "https://idp.example", "alice", "k1"));
    assertThrows(DuplicateException.class, () -> store.create(trust("id-2", "https://idp.example", "alice", "k1")));
    store.create(trust("id-3", "https://idp.example", "bob", "k1"));
    store.create(trust("id-4", "https://idp.example", "alice", "k2"));
    assertEquals(3, store.list(PageRequest.first(), null).items().size());
  }

  @Test
  void findActiveWhenSubjectMatchesOrAnyThenOnlyLiveOnes() {
    TrustedIssuerStore store = newStore();
    store.create(trust("id-1", "https://idp.example", "alice", "k1"));
    store.create(trust("id-2", "https://idp.example", "", "k2"));
    store.create(trust("id-3", "https://other.example", "alice", "k1"));
    assertEquals(List.of("id-1", "id-2"), ids(store.findActive("https://idp.example", "alice", T0)));
    assertEquals(List.of("id-2"), ids(store.findActive("https://idp.example", "bob", T0)));
    assertEquals(List.of(), ids(store.findActive("https://idp.example", "alice", T0.plusSeconds(3600))),
        "a relationship is not trusted at its expiry");
  }

  @Test
  void listWhenPagedAndFilteredThenOrderedById() {
    TrustedIssuerStore store = newStore();
    for (int i = 0; i < 5; i++) {
      store.create(trust("id-" + i, i % 2 == 0 ? "https://a.example" : "https://b.example", "s" + i, "k1"));
    }
    Page<TrustedJwtGrantIssuer> first = store.list(PageRequest.first(2), null);
    assertEquals(List.of("id-0", "id-1"), ids(first.items()));
    Page<TrustedJwtGrantIssuer> second = store.list(new PageRequest(2, first.nextPageToken()), null);
    assertEquals(List.of("id-2", "id-3"), ids(second.items()));
    Page<TrustedJwtGrantIssuer> last = store.list(new PageRequest(2, second.nextPageToken()), null);
    assertEquals(List.of("id-4"), ids(last.items()));
    assertTrue(last.next().isEmpty());
    assertEquals(List.of("id-0", "id-2", "id-4"), ids(store.list(PageRequest.first(), "https://a.example").items()));
  }

  @Test
  void deleteExpiredWhenRunThenDeletesOnlyExpired() {
    TrustedIssuerStore store = newStore();
    store.create(trust("id-1", "https://idp.example", "alice", "k1"));
    store.create(new TrustedJwtGrantIssuer("id-2", "https://idp.example", "bob", false, List.of(), "k1", JWK, T0,
        T0.plusSeconds(60)));
    assertEquals(1, store.deleteExpired(T0.plusSeconds(61)));
    assertTrue(store.find("id-2").isEmpty());
    assertTrue(store.find("id-1").isPresent());
  }

  private static List<String> ids(List<TrustedJwtGrantIssuer> ts) {
    return ts.stream().map(TrustedJwtGrantIssuer::id).toList();
  }
}
