package io.ory4j.policy.acp;

import java.util.Optional;

/** A policy's effect. Keto accepts exactly {@code allow} and {@code deny}. */
public enum Effect {
  ALLOW("allow"),
  DENY("deny");

  private final String value;

  Effect(String value) {
    this.value = value;
  }

  /** The JSON value. */
  public String value() {
    return value;
  }

  /** The effect written {@code value} (case-sensitive, as Keto). */
  public static Optional<Effect> parse(String value) {
    for (Effect e : values()) {
      if (e.value.equals(value)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
