package io.ory4j.testkit.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.oauth2.spi.JtiStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The contract of {@link JtiStore}. Extend it and implement {@link #newStore()} (a fresh, empty store). */
public abstract class JtiStoreContract {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String SIG = "0f".repeat(32);

  protected abstract JtiStore newStore();

  @Test
  void markUsedWhenFirstUseThenTrueAndSecondUseFalse() {
    JtiStore store = newStore();
    assertTrue(store.markUsed(SIG, T0.plusSeconds(60), T0));
    assertFalse(store.markUsed(SIG, T0.plusSeconds(60), T0));
    assertFalse(store.markUsed(SIG, T0.plusSeconds(600), T0.plusSeconds(59)), "still marked until it expires");
    assertTrue(store.markUsed("1a".repeat(32), T0.plusSeconds(60), T0), "another signature is independent");
  }

  @Test
  void markUsedWhenMarkExpiredThenUsableAgainOnceAndRenewed() {
    JtiStore store = newStore();
    assertTrue(store.markUsed(SIG, T0.plusSeconds(60), T0));
    assertTrue(store.markUsed(SIG, T0.plusSeconds(180), T0.plusSeconds(60)), "the mark expired at 'now'");
    assertFalse(store.markUsed(SIG, T0.plusSeconds(180), T0.plusSeconds(120)), "the renewed mark holds");
  }

  @Test
  void deleteExpiredWhenRunThenDeletesOnlyExpiredMarks() {
    JtiStore store = newStore();
    store.markUsed(SIG, T0.plusSeconds(10), T0);
    store.markUsed("1a".repeat(32), T0.plusSeconds(100), T0);
    assertEquals(1, store.deleteExpired(T0.plusSeconds(50)));
    assertFalse(store.markUsed("1a".repeat(32), T0.plusSeconds(100), T0.plusSeconds(50)));
    assertEquals(0, store.deleteExpired(T0.plusSeconds(50)));
  }

  @Test
  void markUsedWhenRacedThenExactlyOneWins() throws Exception {
    JtiStore store = newStore();
    assertEquals(1, Race.wins(8, () -> store.markUsed(SIG, T0.plusSeconds(60), T0)));
  }

  @Test
  void markUsedWhenRacedOnAnExpiredMarkThenExactlyOneRenews() throws Exception {
    JtiStore store = newStore();
    assertTrue(store.markUsed(SIG, T0.plusSeconds(60), T0));
    assertEquals(1, Race.wins(8, () -> store.markUsed(SIG, T0.plusSeconds(600), T0.plusSeconds(120))));
  }
}
