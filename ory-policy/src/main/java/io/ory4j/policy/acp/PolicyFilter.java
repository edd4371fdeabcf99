package io.ory4j.policy.acp;

import org.jspecify.annotations.Nullable;

/**
 * Keto's list filters: a policy is listed when it names the subject, the resource and the action given (string
 * equality with one of its entries, not pattern matching); absent filters match everything.
 *
 * @param subject a subject the policy must list, or null
 * @param resource a resource the policy must list, or null
 * @param action an action the policy must list, or null
 */
public record PolicyFilter(@Nullable String subject, @Nullable String resource, @Nullable String action) {

  /** No filter. */
  public static PolicyFilter none() {
    return new PolicyFilter(null, null, null);
  }

  /** Whether {@code p} passes this filter. */
  public boolean test(Policy p) {
    return (subject == null || p.subjects().contains(subject))
        && (resource == null || p.resources().contains(resource))
        && (action == null || p.actions().contains(action));
  }
}
