package io.ory4j.accessrules.spi;

import java.util.Map;
import java.util.Objects;

/**
 * Answers Keto's ORY Access Control Policy check ({@code POST /engines/acp/ory/{flavor}/allowed}): the remote
 * implementation calls {@code base_url}; an embedded policy engine answers in-process. Used by
 * {@code keto_engine_acp_ory}.
 */
@FunctionalInterface
public interface AcpDecider {
  boolean allowed(String flavor, AcpRequest request);

  /**
   * The check.
   *
   * @param subject the subject
   * @param action the action
   * @param resource the resource
   * @param context the context ({@code remoteIpAddress}, {@code requestedAt})
   */
  record AcpRequest(String subject, String action, String resource, Map<String, Object> context) {
    public AcpRequest {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(resource, "resource");
      context = Map.copyOf(context);
    }
  }
}
