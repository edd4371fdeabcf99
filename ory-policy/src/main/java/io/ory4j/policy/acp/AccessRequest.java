package io.ory4j.policy.acp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A question to the engine: may {@code subject} do {@code action} on {@code resource}, in {@code context}, under the
 * policies of {@code flavor}? The context holds JSON values (String, Boolean, Number, List, Map, or null).
 *
 * @param flavor the policy set to ask
 * @param subject the subject, e.g. a user id
 * @param resource the resource
 * @param action the action
 * @param context values that conditions read, by key
 */
public record AccessRequest(Flavor flavor, String subject, String resource, String action,
    Map<String, Object> context) {

  public AccessRequest {
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(action, "action");
    context = context == null || context.isEmpty() ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(context));
  }

  /** A request without context. */
  public static AccessRequest of(Flavor flavor, String subject, String resource, String action) {
    return new AccessRequest(flavor, subject, resource, action, Map.of());
  }

  /** A copy with one more context value. */
  public AccessRequest withContext(String key, Object value) {
    Map<String, Object> c = new LinkedHashMap<>(context);
    c.put(key, value);
    return new AccessRequest(flavor, subject, resource, action, c);
  }
}
