package io.ory4j.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that tests move by hand, so nothing in a test sleeps. Thread-safe. Instants are truncated to microseconds
 * when set, since that is what the databases keep.
 */
public final class TestClock extends Clock {

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  public TestClock(Instant start) {
    this(new AtomicReference<>(truncate(start)), ZoneOffset.UTC);
  }

  private TestClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock at 2026-01-01T00:00:00Z. */
  public static TestClock fixed() {
    return new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves the clock forward (or back, for a negative duration). */
  public TestClock advance(Duration d) {
    now.updateAndGet(i -> truncate(i.plus(d)));
    return this;
  }

  /** Sets the clock. */
  public TestClock set(Instant instant) {
    now.set(truncate(Objects.requireNonNull(instant, "instant")));
    return this;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId z) {
    return new TestClock(now, z);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  private static Instant truncate(Instant i) {
    return i.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }
}
