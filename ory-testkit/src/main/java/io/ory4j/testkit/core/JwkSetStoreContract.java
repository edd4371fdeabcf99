package io.ory4j.testkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.spi.JwkSetStore;
import io.ory4j.core.spi.StoredKey;
import io.ory4j.core.storage.DuplicateException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link JwkSetStore}. Extend it and implement {@link #newStore()} (a fresh, empty store per call)
 * to prove a store.
 */
public abstract class JwkSetStoreContract {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A fresh, empty store. */
  protected abstract JwkSetStore newStore();

  private static StoredKey key(String set, String kid, Instant created) {
    return new StoredKey(set, kid, "RS256", "sig", "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\"}", "v1.ciphertext-" + kid,
        created);
  }

  @Test
  void findSetWhenKeysAddedThenNewestFirst() {
    JwkSetStore store = newStore();
    store.add(key("a", "k1", T0));
    store.add(key("a", "k3", T0.plusSeconds(20)));
    store.add(key("a", "k2", T0.plusSeconds(10)));
    assertEquals(List.of("k3", "k2", "k1"), store.findSet("a").stream().map(StoredKey::kid).toList());
  }

  @Test
  void findSetWhenSameCreationTimeThenKidDescending() {
    JwkSetStore store = newStore();
    store.add(key("a", "k1", T0));
    store.add(key("a", "k2", T0));
    assertEquals(List.of("k2", "k1"), store.findSet("a").stream().map(StoredKey::kid).toList());
  }

  @Test
  void addWhenKidExistsInSetThenDuplicate() {
    JwkSetStore store = newStore();
    store.add(key("a", "k1", T0));
    assertThrows(DuplicateException.class, () -> store.add(key("a", "k1", T0.plusSeconds(1))));
    store.add(key("b", "k1", T0));
    assertEquals(1, store.findSet("a").size());
    assertEquals(1, store.findSet("b").size());
  }

  @Test
  void findWhenStoredThenEveryFieldRoundTrips() {
    JwkSetStore store = newStore();
    StoredKey k = new StoredKey("hydra.openid.id-token", "kid-1", "ES256", "sig", "{\"kty\":\"EC\"}",
        "v1.AAAA", T0.plusMillis(123));
    store.add(k);
    assertEquals(k, store.find("hydra.openid.id-token", "kid-1").orElseThrow());
    assertTrue(store.find("hydra.openid.id-token", "other").isEmpty());
    assertTrue(store.find("other", "kid-1").isEmpty());
  }

  @Test
  void findSetWhenUnknownThenEmpty() {
    assertTrue(newStore().findSet("nope").isEmpty());
  }

  @Test
  void deleteWhenKeyExistsThenGoneAndOthersStay() {
    JwkSetStore store = newStore();
    store.add(key("a", "k1", T0));
    store.add(key("a", "k2", T0));
    assertTrue(store.delete("a", "k1"));
    assertFalse(store.delete("a", "k1"));
    assertEquals(List.of("k2"), store.findSet("a").stream().map(StoredKey::kid).toList());
  }

  @Test
  void deleteSetWhenSetHasKeysThenCountAndOtherSetsStay() {
    JwkSetStore store = newStore();
    store.add(key("a", "k1", T0));
    store.add(key("a", "k2", T0));
    store.add(key("b", "k1", T0));
    assertEquals(2, store.deleteSet("a"));
    assertEquals(0, store.deleteSet("a"));
    assertTrue(store.findSet("a").isEmpty());
    assertEquals(1, store.findSet("b").size());
  }

  @Test
  void listSetsWhenKeysInSeveralSetsThenSortedNames() {
    JwkSetStore store = newStore();
    store.add(key("zeta", "k", T0));
    store.add(key("alpha", "k", T0));
    store.add(key("alpha", "k2", T0));
    assertEquals(List.of("alpha", "zeta"), store.listSets());
    store.delete("zeta", "k");
    assertEquals(List.of("alpha"), store.listSets());
  }
}
