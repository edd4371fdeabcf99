package io.ory4j.accessrules;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the rule sources (files, folders, polled URLs) every interval and puts a changed set in force with
 * {@link AccessRules#reloadIfChanged()}; an invalid change is logged and the previous set stays. Close it to stop.
 *
 * <pre>{@code
 * try (RuleWatcher watcher = RuleWatcher.start(rules, Duration.ofSeconds(5))) { ... }
 * }</pre>
 */
public final class RuleWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RuleWatcher.class);

  private final ScheduledExecutorService executor;

  private RuleWatcher(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Starts polling on one daemon thread. */
  public static RuleWatcher start(AccessRules rules, Duration interval) {
    Objects.requireNonNull(rules, "rules");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the polling interval must be positive");
    }
    ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ory4j-access-rules-watcher");
      t.setDaemon(true);
      return t;
    });
    ex.scheduleWithFixedDelay(() -> poll(rules), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return new RuleWatcher(ex);
  }

  /** One poll: what the scheduled task runs. */
  static void poll(AccessRules rules) {
    try {
      rules.reloadIfChanged();
    } catch (InvalidRulesException e) {
      log.debug("rule reload refused (already logged)");
    } catch (RuntimeException e) {
      log.warn("rule reload failed, the previous set stays in force: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
