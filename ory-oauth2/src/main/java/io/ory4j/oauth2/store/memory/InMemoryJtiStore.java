package io.ory4j.oauth2.store.memory;

import io.ory4j.oauth2.spi.JtiStore;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link JtiStore} in memory (one process): a concurrent map from signature to expiry. Thread-safe. */
public final class InMemoryJtiStore implements JtiStore {

  private final ConcurrentHashMap<String, Instant> used = new ConcurrentHashMap<>();

  @Override
  public boolean markUsed(String signature, Instant expiresAt, Instant now) {
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(expiresAt, "expiresAt");
    AtomicBoolean first = new AtomicBoolean();
    used.compute(signature, (k, old) -> {
      if (old != null && old.isAfter(now)) {
        return old;
      }
      first.set(true);
      return expiresAt;
    });
    return first.get();
  }

  @Override
  public int deleteExpired(Instant before) {
    int[] n = {0};
    used.entrySet().removeIf(e -> {
      boolean expired = e.getValue().isBefore(before);
      if (expired) {
        n[0]++;
      }
      return expired;
    });
    return n[0];
  }
}
