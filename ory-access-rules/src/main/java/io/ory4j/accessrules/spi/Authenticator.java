package io.ory4j.accessrules.spi;

/** An authenticator, configured for one rule. */
@FunctionalInterface
public interface Authenticator {
  /**
   * Authenticates the request.
   *
   * @return true when this authenticator handled the request (the session holds the subject); false when it is not
   *     responsible (for example no token in the request), so the next authenticator runs
   * @throws io.ory4j.core.error.OryException when the credentials are present but invalid (usually 401)
   */
  boolean authenticate(RequestContext request, AuthenticationSession session);
}
