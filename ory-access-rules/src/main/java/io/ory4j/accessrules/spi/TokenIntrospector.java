package io.ory4j.accessrules.spi;

import java.util.List;

/**
 * Answers RFC 7662 token introspection: the remote implementation posts to {@code introspection_url}; an embedded
 * OAuth2Provider answers in-process. Used by {@code oauth2_introspection}.
 */
@FunctionalInterface
public interface TokenIntrospector {
  /**
   * Introspects a token.
   *
   * @param token the access token
   * @param scopes the scopes to send along (only when no scope strategy runs locally), may be empty
   */
  IntrospectionResult introspect(String token, List<String> scopes);
}
