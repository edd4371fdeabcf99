package io.ory4j.testkit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.identity.spi.CodeStore;
import io.ory4j.identity.spi.CodeStore.OneTimeCode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract of {@link CodeStore}. Extend it and implement {@link #newStore()} (fresh and empty per call). */
public abstract class CodeStoreContract {

  protected abstract CodeStore newStore();

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static OneTimeCode code(UUID flow, UUID identity, String hash, Instant expires) {
    return new OneTimeCode(UUID.randomUUID(), "verification_code", hash, flow, identity, "ada@example.com", expires,
        null, 0);
  }

  @Test
  void saveWhenStoredThenFoundUnusedNewestFirstAndByHash() {
    CodeStore s = newStore();
    UUID flow = UUID.randomUUID();
    UUID ada = UUID.randomUUID();
    OneTimeCode older = code(flow, ada, "a".repeat(64), T0.plusSeconds(60));
    OneTimeCode newer = code(flow, ada, "b".repeat(64), T0.plusSeconds(120));
    s.save(older);
    s.save(newer);
    s.save(code(UUID.randomUUID(), ada, "c".repeat(64), T0.plusSeconds(60)));
    assertEquals(List.of(newer, older), s.findUnused(flow, "verification_code"));
    assertTrue(s.findUnused(flow, "verification_link").isEmpty());
    assertEquals(older, s.findByHash("verification_code", "a".repeat(64)).orElseThrow());
    assertTrue(s.findByHash("verification_link", "a".repeat(64)).isEmpty());
  }

  @Test
  void markUsedWhenUsedThenNotUnusedAndSecondUseRefused() {
    CodeStore s = newStore();
    OneTimeCode c = code(UUID.randomUUID(), UUID.randomUUID(), "d".repeat(64), T0.plusSeconds(60));
    s.save(c);
    assertTrue(s.markUsed(c.id(), T0.plusSeconds(5)));
    assertFalse(s.markUsed(c.id(), T0.plusSeconds(6)));
    assertTrue(s.findUnused(c.flowId(), c.purpose()).isEmpty());
    assertEquals(T0.plusSeconds(5), s.findByHash(c.purpose(), c.codeHash()).orElseThrow().usedAt());
  }

  @Test
  void countFailureWhenWrongCodesThenCounted() {
    CodeStore s = newStore();
    OneTimeCode c = code(UUID.randomUUID(), UUID.randomUUID(), "e".repeat(64), T0.plusSeconds(60));
    s.save(c);
    assertEquals(1, s.countFailure(c.id()));
    assertEquals(2, s.countFailure(c.id()));
    assertEquals(2, s.findUnused(c.flowId(), c.purpose()).get(0).failedAttempts());
  }

  @Test
  void deleteForIdentityWhenCalledThenOnlyItsCodesGone() {
    CodeStore s = newStore();
    UUID ada = UUID.randomUUID();
    UUID flow = UUID.randomUUID();
    s.save(code(flow, ada, "f".repeat(64), T0.plusSeconds(60)));
    s.save(code(flow, UUID.randomUUID(), "0".repeat(64), T0.plusSeconds(60)));
    assertEquals(1, s.deleteForIdentity(ada));
    assertEquals(1, s.findUnused(flow, "verification_code").size());
  }

  @Test
  void markUsedWhenRacedThenExactlyOneWins() throws Exception {
    CodeStore s = newStore();
    OneTimeCode c = code(UUID.randomUUID(), UUID.randomUUID(), "1".repeat(64), T0.plusSeconds(60));
    s.save(c);
    assertEquals(1, Race.wins(6, () -> s.markUsed(c.id(), T0.plusSeconds(1))));
  }
}
