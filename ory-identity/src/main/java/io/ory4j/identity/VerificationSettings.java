package io.ory4j.identity;

import java.time.Duration;
import java.util.Objects;

/**
 * Kratos' verification settings.
 *
 * @param enabled {@code selfservice.flows.verification.enabled}
 * @param use {@code selfservice.flows.verification.use}: {@code code} (Kratos' default) or {@code link}
 * @param codeLifespan {@code selfservice.methods.code.config.lifespan} (15 minutes)
 * @param linkLifespan {@code selfservice.methods.link.config.lifespan} (1 hour)
 * @param notifyUnknownRecipients {@code selfservice.flows.verification.notify_unknown_recipients}: send the
 *     {@code invalid} template to an address no identity has (off by default: nothing is sent, and the flow answers
 *     the same either way)
 */
public record VerificationSettings(boolean enabled, String use, Duration codeLifespan, Duration linkLifespan,
    boolean notifyUnknownRecipients) {

  public VerificationSettings {
    if (!"code".equals(use) && !"link".equals(use)) {
      throw new IllegalArgumentException("selfservice.flows.verification.use must be code or link");
    }
    Objects.requireNonNull(codeLifespan, "codeLifespan");
    Objects.requireNonNull(linkLifespan, "linkLifespan");
  }

  /** Kratos' defaults with verification on: by code, codes last 15 minutes, links an hour. */
  public static VerificationSettings enabledByCode() {
    return new VerificationSettings(true, "code", Duration.ofMinutes(15), Duration.ofHours(1), false);
  }

  /** Verification off (the default of {@link IdentityService}). */
  public static VerificationSettings disabled() {
    return new VerificationSettings(false, "code", Duration.ofMinutes(15), Duration.ofHours(1), false);
  }

  public VerificationSettings withUse(String u) {
    return new VerificationSettings(enabled, u, codeLifespan, linkLifespan, notifyUnknownRecipients);
  }

  public VerificationSettings withNotifyUnknownRecipients(boolean b) {
    return new VerificationSettings(enabled, use, codeLifespan, linkLifespan, b);
  }
}
