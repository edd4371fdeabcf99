package io.ory4j.identity.spi;

import io.ory4j.identity.Identity;
import io.ory4j.identity.SelfServiceRequest;
import io.ory4j.identity.Session;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an in-process hook sees after a self-service flow checked the credentials.
 *
 * @param flowType {@code registration}, {@code login}, {@code recovery}, {@code settings} or {@code verification}
 * @param identity the identity, without credentials (after registration: not yet stored)
 * @param session after login or recovery the new session (not yet stored; after a second-factor or refresh login
 *     the raised or refreshed session, not yet stored), after settings the current one; null after registration and
 *     verification
 * @param request the flow and the HTTP request that completes it
 */
public record HookContext(String flowType, Identity identity, @Nullable Session session,
    SelfServiceRequest request) {

  public HookContext {
    Objects.requireNonNull(flowType, "flowType");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(request, "request");
  }
}
