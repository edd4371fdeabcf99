package io.ory4j.oauth2.spi;

/**
 * Decides whether a client may exchange a subject token (RFC 8693) for a token with these targets, scopes and actor.
 * It is asked after the tokens were validated and the request checked against the client (grant type, scopes,
 * audience), just before the token is issued; it can only refuse.
 */
@FunctionalInterface
public interface TokenExchangePolicy {

  TokenExchangeDecision decide(TokenExchangeContext context);
}
