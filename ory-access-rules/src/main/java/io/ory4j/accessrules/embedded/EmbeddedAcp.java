package io.ory4j.accessrules.embedded;

import io.ory4j.accessrules.spi.AcpDecider;
import io.ory4j.core.error.OryException;
import io.ory4j.policy.PolicyEngine;
import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Flavor;
import java.util.Locale;
import java.util.Objects;

/** {@code keto_engine_acp_ory} answered by an embedded {@link PolicyEngine}, with no HTTP round trip. */
public final class EmbeddedAcp {
  private EmbeddedAcp() {}

  /** A decider over {@code engine}; the rule's {@code flavor} picks the policy set, as Keto's path does. */
  public static AcpDecider of(PolicyEngine engine) {
    Objects.requireNonNull(engine, "engine");
    return (flavor, req) -> {
      Flavor f;
      try {
        f = Flavor.valueOf(flavor.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw OryException.internal("keto_engine_acp_ory: unknown flavor \"" + flavor + "\"");
      }
      return engine.isAllowed(new AccessRequest(f, req.subject(), req.resource(), req.action(), req.context()));
    };
  }
}
