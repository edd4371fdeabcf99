package io.ory4j.identity;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of Kratos' verification and recovery flows ({@code selfservice.flows.verification.*},
 * {@code selfservice.flows.recovery.*}), which both send a code or a link to an address.
 *
 * @param enabled {@code selfservice.flows.<flow>.enabled}
 * @param use {@code selfservice.flows.<flow>.use}: {@code code} (Kratos' default) or {@code link}
 * @param codeLifespan {@code selfservice.methods.code.config.lifespan} (15 minutes)
 * @param linkLifespan {@code selfservice.methods.link.config.lifespan} (1 hour)
 * @param notifyUnknownRecipients {@code selfservice.flows.<flow>.notify_unknown_recipients}: send the
 *     {@code invalid} template to an address no identity has (off by default: nothing is sent, and the flow answers
 *     the same either way)
 */
public record CodeFlowSettings(boolean enabled, String use, Duration codeLifespan, Duration linkLifespan,
    boolean notifyUnknownRecipients) {

  public CodeFlowSettings {
    if (!"code".equals(use) && !"link".equals(use)) {
      throw new IllegalArgumentException("selfservice.flows.<flow>.use must be code or link");
    }
    Objects.requireNonNull(codeLifespan, "codeLifespan");
    Objects.requireNonNull(linkLifespan, "linkLifespan");
  }

  /** Kratos' defaults with the flow on: by code, codes last 15 minutes, links an hour. */
  public static CodeFlowSettings enabledByCode() {
    return new CodeFlowSettings(true, "code", Duration.ofMinutes(15), Duration.ofHours(1), false);
  }

  /** The flow off (the default of {@link IdentityService}). */
  public static CodeFlowSettings disabled() {
    return new CodeFlowSettings(false, "code", Duration.ofMinutes(15), Duration.ofHours(1), false);
  }

  public CodeFlowSettings withUse(String u) {
    return new CodeFlowSettings(enabled, u, codeLifespan, linkLifespan, notifyUnknownRecipients);
  }

  public CodeFlowSettings withNotifyUnknownRecipients(boolean b) {
    return new CodeFlowSettings(enabled, use, codeLifespan, linkLifespan, b);
  }

  /** The lifespan of a code ({@code byCode}) or of a link. */
  public java.time.Duration lifespan(boolean byCode) {
    return byCode ? codeLifespan : linkLifespan;
  }
}
