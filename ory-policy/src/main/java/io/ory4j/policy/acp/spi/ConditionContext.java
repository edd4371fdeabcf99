package io.ory4j.policy.acp.spi;

import io.ory4j.policy.acp.AccessRequest;
import org.jspecify.annotations.Nullable;

/**
 * What a condition sees: the key it was stored under (the context key it reads) and the request.
 *
 * @param key the condition's key in the policy
 * @param request the access request
 */
public record ConditionContext(String key, AccessRequest request) {

  /** Whether the request's context has the key. */
  public boolean present() {
    return request.context().containsKey(key);
  }

  /** The context value under the key (null when absent or JSON null). */
  public @Nullable Object value() {
    return request.context().get(key);
  }
}
