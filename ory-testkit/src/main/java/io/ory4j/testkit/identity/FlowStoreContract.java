package io.ory4j.testkit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.identity.spi.FlowStore;
import io.ory4j.identity.spi.FlowStore.StoredFlow;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract of {@link FlowStore}. Extend it and implement {@link #newStore()} (fresh and empty per call). */
public abstract class FlowStoreContract {

  protected abstract FlowStore newStore();

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void saveWhenNewThenFoundAndWhenSavedAgainThenReplaced() {
    FlowStore s = newStore();
    UUID id = UUID.randomUUID();
    StoredFlow f = new StoredFlow(id, "login", "browser", "{\"id\":\"" + id + "\"}", T0.plusSeconds(3600), "csrf-1",
        "https://app.example/welcome");
    s.save(f);
    assertEquals(f, s.find(id).orElseThrow());
    StoredFlow changed = new StoredFlow(id, "login", "browser", "{\"ui\":{\"messages\":[]}}", T0.plusSeconds(3600),
        "csrf-1", null);
    s.save(changed);
    assertEquals(changed, s.find(id).orElseThrow());
  }

  @Test
  void deleteAndDeleteExpiredWhenCalledThenGone() {
    FlowStore s = newStore();
    UUID old = UUID.randomUUID();
    UUID fresh = UUID.randomUUID();
    s.save(new StoredFlow(old, "registration", "api", "{}", T0, "", null));
    s.save(new StoredFlow(fresh, "registration", "api", "{}", T0.plusSeconds(7200), "", null));
    assertEquals(1, s.deleteExpired(T0.plusSeconds(1)));
    assertTrue(s.find(old).isEmpty());
    s.delete(fresh);
    assertTrue(s.find(fresh).isEmpty());
  }
}
