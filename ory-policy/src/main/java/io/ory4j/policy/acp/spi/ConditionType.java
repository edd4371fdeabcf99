package io.ory4j.policy.acp.spi;

import java.util.Map;

/**
 * A kind of condition ({@code {"type": name, "options": {...}}}), registered with the engine under its type name.
 * {@link #compile} runs once per policy when the engine indexes it, and again to validate a policy before it is
 * stored; it rejects bad options with {@link InvalidConditionException}.
 */
@FunctionalInterface
public interface ConditionType {

  /** Checks {@code options} and returns the predicate that decides the condition for a request. */
  Predicate compile(Map<String, Object> options);

  /** A compiled condition. */
  @FunctionalInterface
  interface Predicate {
    /** Whether the condition holds for {@code context}. Must not throw: an unusable value is false. */
    boolean test(ConditionContext context);
  }
}
