package io.ory4j.identity.internal;

import io.ory4j.identity.AddressThrottling;
import io.ory4j.identity.IdentityException;
import io.ory4j.identity.UiMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts failed logins per client address and refuses a locked-out address. Not API. */
public final class AddressThrottle {

  private static final Logger log = LoggerFactory.getLogger(AddressThrottle.class);
  /** Beyond this many tracked addresses, expired entries are dropped on the next failure. */
  static final int PRUNE_ABOVE = 100_000;

  private final AddressThrottling config;
  private final Clock clock;
  private final Map<String, Entry> entries;

  private record Entry(int count, Instant since, @org.jspecify.annotations.Nullable Instant lockedUntil) {}

  public AddressThrottle(AddressThrottling config, Clock clock) {
    this(config, clock, new ConcurrentHashMap<>());
  }

  private AddressThrottle(AddressThrottling config, Clock clock, Map<String, Entry> entries) {
    this.config = config;
    this.clock = clock;
    this.entries = entries;
  }

  /** The same counts seen through another clock (tests). */
  AddressThrottle withClock(Clock c) {
    return new AddressThrottle(config, c, entries);
  }

  /** Throws 429 (4000901) when the address is locked out; an empty address is never throttled. */
  public void check(String address) {
    if (address.isEmpty()) {
      return;
    }
    Entry e = entries.get(address);
    Instant now = clock.instant();
    if (e != null && e.lockedUntil() != null && now.isBefore(e.lockedUntil())) {
      long retry = (Duration.between(now, e.lockedUntil()).toMillis() + 999) / 1000;
      throw new IdentityException(429, UiMessage.loginThrottledByAddress(retry));
    }
  }

  /** Counts a failed login from the address, locking it out when it reaches the limit. */
  public void failed(String address) {
    if (address.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Entry e = entries.compute(address, (k, old) -> {
      if (old == null || expired(old, now)) {
        return lockedOrNot(1, now, now);
      }
      return lockedOrNot(old.count() + 1, old.since(), now);
    });
    if (e.lockedUntil() != null && e.count() == config.limit()) {
      log.warn("login throttled for a client address after {} failures", e.count());
    }
    if (entries.size() > PRUNE_ABOVE) {
      entries.values().removeIf(x -> expired(x, now));
    }
  }

  private Entry lockedOrNot(int count, Instant since, Instant now) {
    return new Entry(count, since, count >= config.limit() ? now.plus(config.lockout()) : null);
  }

  /** A window that ended without a lockout, or a lockout that ended, starts over. */
  private boolean expired(Entry e, Instant now) {
    return e.lockedUntil() != null ? !now.isBefore(e.lockedUntil())
        : !now.isBefore(e.since().plus(config.window()));
  }

  /** How many addresses are tracked (for tests of the pruning). */
  int tracked() {
    return entries.size();
  }
}
