package io.ory4j.accessrules;

import java.util.Objects;

/**
 * Why a rule was refused at load.
 *
 * @param ruleId the rule id (or {@code #index} when the rule has none)
 * @param field the field, as a JSON path inside the rule, for example {@code authenticators[0].config.jwks_urls}
 * @param reason what is wrong
 */
public record RuleProblem(String ruleId, String field, String reason) {
  public RuleProblem {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return "rule \"" + ruleId + "\" field \"" + field + "\": " + reason;
  }
}
