package io.ory4j.accessrules;

/** What happens when more than one rule matches a request. */
public enum OverlapPolicy {
  /** Oathkeeper's behaviour: more than one matching rule is a 500 error. */
  REJECT,
  /** ory4j's opt-in: the highest {@link Rule#priority()} wins, then the first rule in load order. */
  PRECEDENCE
}
