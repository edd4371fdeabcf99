package io.ory4j.policy.acp.internal;

import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.spi.ConditionContext;
import io.ory4j.policy.acp.spi.ConditionType;
import java.util.List;

/** A policy with its patterns and conditions compiled; {@link #matches} is Keto's per-policy test. */
public final class CompiledPolicy {

  final Policy policy;
  final boolean allow;
  final CompiledPattern[] subjects;
  final CompiledPattern[] resources;
  final CompiledPattern[] actions;
  private final String[] conditionKeys;
  private final ConditionType.Predicate[] conditions;

  CompiledPolicy(Policy policy, CompiledPattern[] subjects, CompiledPattern[] resources, CompiledPattern[] actions,
      String[] conditionKeys, ConditionType.Predicate[] conditions) {
    this.policy = policy;
    this.allow = policy.allows();
    this.subjects = subjects;
    this.resources = resources;
    this.actions = actions;
    this.conditionKeys = conditionKeys;
    this.conditions = conditions;
  }

  /** The policy. */
  public Policy policy() {
    return policy;
  }

  /**
   * Keto's rule: a resource pattern matches, a subject pattern matches the subject or one of its roles, an action
   * pattern matches, and every condition holds.
   */
  boolean matches(AccessRequest r, List<String> roles) {
    if (!any(resources, r.resource()) || !any(actions, r.action())) {
      return false;
    }
    boolean subject = any(subjects, r.subject());
    for (int i = 0; !subject && i < roles.size(); i++) {
      subject = any(subjects, roles.get(i));
    }
    if (!subject) {
      return false;
    }
    for (int i = 0; i < conditions.length; i++) {
      if (!test(conditions[i], conditionKeys[i], r)) {
        return false;
      }
    }
    return true;
  }

  private static boolean test(ConditionType.Predicate p, String key, AccessRequest r) {
    try {
      return p.test(new ConditionContext(key, r));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean any(CompiledPattern[] patterns, String value) {
    for (CompiledPattern p : patterns) {
      if (p.matches(value)) {
        return true;
      }
    }
    return false;
  }
}
