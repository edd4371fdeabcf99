package io.ory4j.accessrules;

import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A rule set refused at load, whole: every problem with its rule id, field and reason. At start-up the builder
 * throws it; on a reload the previous good set stays in force and the reload reports it.
 */
public final class InvalidRulesException extends OryException {

  private static final long serialVersionUID = 1L;

  private final transient List<RuleProblem> problems;

  public InvalidRulesException(List<RuleProblem> problems) {
    super(OryError.of(500, "The access rule set is invalid: " + problems.stream().map(RuleProblem::toString)
        .collect(Collectors.joining("; "))));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found. */
  public List<RuleProblem> problems() {
    return problems;
  }
}
