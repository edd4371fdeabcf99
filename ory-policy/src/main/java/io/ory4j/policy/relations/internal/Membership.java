package io.ory4j.policy.relations.internal;

/** The three outcomes of a check step, as Keto's checkgroup has them. */
enum Membership {
  MEMBER,
  NOT_MEMBER,
  /** The depth limit was reached before an answer; negation leaves it unknown. */
  UNKNOWN;

  Membership invert() {
    return switch (this) {
      case MEMBER -> NOT_MEMBER;
      case NOT_MEMBER -> MEMBER;
      case UNKNOWN -> UNKNOWN;
    };
  }
}
