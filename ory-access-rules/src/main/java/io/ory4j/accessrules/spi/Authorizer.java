package io.ory4j.accessrules.spi;

/** An authorizer, configured for one rule. */
@FunctionalInterface
public interface Authorizer {
  /**
   * Authorizes the authenticated request.
   *
   * @throws io.ory4j.core.error.OryException to refuse (usually 403)
   */
  void authorize(RequestContext request, AuthenticationSession session);
}
