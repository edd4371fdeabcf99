package io.ory4j.identity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.identity.AddressThrottling;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AddressThrottleTest {

  @Test
  void failedWhenManyAddressesExpiredThenPrunedSoMemoryStaysBounded() {
    Instant t0 = Instant.parse("2026-05-01T00:00:00Z");
    AddressThrottling config = AddressThrottling.of(5, Duration.ofMinutes(1), Duration.ofMinutes(1));
    AddressThrottle early = new AddressThrottle(config, Clock.fixed(t0, ZoneOffset.UTC));
    for (int i = 0; i <= AddressThrottle.PRUNE_ABOVE; i++) {
      early.failed("a" + i);
    }
    assertEquals(AddressThrottle.PRUNE_ABOVE + 1, early.tracked());
    // the same map seen a window later: every earlier entry expired
    AddressThrottle later = early.withClock(Clock.fixed(t0.plus(Duration.ofMinutes(2)), ZoneOffset.UTC));
    later.failed("b");
    assertEquals(1, later.tracked());
  }
}
