package io.ory4j.policy.acp.spi;

import java.util.Objects;

/** Thrown by {@link ConditionType#compile} for options it cannot use; names the option. */
public final class InvalidConditionException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String option;

  public InvalidConditionException(String option, String reason) {
    super(Objects.requireNonNull(reason, "reason"));
    this.option = Objects.requireNonNull(option, "option");
  }

  /** The option that is wrong. */
  public String option() {
    return option;
  }
}
