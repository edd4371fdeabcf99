package io.ory4j.accessrules.internal.handlers;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.ory4j.accessrules.spi.HandlerServices;

/**
 * Caffeine caches whose expiry follows the injected clock (so tests advance time by hand); maintenance (size
 * eviction) runs on the calling thread, so a size bound holds as soon as a write returns.
 */
final class Caches {
  private Caches() {}

  static Caffeine<Object, Object> builder(HandlerServices s, long maximumSize) {
    return Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).ticker(() -> s.clock().millis() * 1_000_000L);
  }
}
