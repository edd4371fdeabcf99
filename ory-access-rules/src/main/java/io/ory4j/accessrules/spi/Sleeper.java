package io.ory4j.accessrules.spi;

import java.time.Duration;

/**
 * Waits between the attempts of a retried remote call ({@code retry.max_delay}). Injected with the clock, so tests
 * replace both and run retries without waiting: a test sleeper advances its clock instead.
 */
@FunctionalInterface
public interface Sleeper {
  /** Waits for {@code d}. */
  void sleep(Duration d) throws InterruptedException;

  /** {@link Thread#sleep}. */
  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
  }
}
