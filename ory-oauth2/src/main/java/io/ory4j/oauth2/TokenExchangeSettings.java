package io.ory4j.oauth2;

import io.ory4j.oauth2.spi.TokenExchangeDecision;
import io.ory4j.oauth2.spi.TokenExchangePolicy;
import java.util.Objects;

/**
 * OAuth 2.0 Token Exchange (RFC 8693), beyond Hydra: grant type {@code urn:ietf:params:oauth:grant-type:token-exchange}
 * for clients whose {@code grant_types} name it. Off unless given to {@link OAuth2Provider.Builder#tokenExchange}.
 *
 * @param refreshTokens whether {@code requested_token_type=urn:ietf:params:oauth:token-type:refresh_token} is
 *     honoured (the client must also be allowed the {@code refresh_token} grant); refused by default
 * @param trustedIssuerJwts whether a {@code subject_token} or {@code actor_token} of type
 *     {@code urn:ietf:params:oauth:token-type:jwt} may be a JWT signed by an issuer trusted on
 *     {@code /admin/trust/grants/jwt-bearer/issuers} (for its subject, within that relationship's scopes); by
 *     default only this provider's own access tokens are accepted
 * @param policy decides whether a client may make an exchange; permits every exchange the checks allow by default
 */
public record TokenExchangeSettings(boolean refreshTokens, boolean trustedIssuerJwts, TokenExchangePolicy policy) {

  public TokenExchangeSettings {
    Objects.requireNonNull(policy, "policy");
  }

  /** Access tokens only, this provider's tokens only, every allowed exchange permitted. */
  public static TokenExchangeSettings defaults() {
    return new TokenExchangeSettings(false, false, ctx -> TokenExchangeDecision.permit());
  }

  public TokenExchangeSettings withRefreshTokens(boolean v) {
    return new TokenExchangeSettings(v, trustedIssuerJwts, policy);
  }

  public TokenExchangeSettings withTrustedIssuerJwts(boolean v) {
    return new TokenExchangeSettings(refreshTokens, v, policy);
  }

  public TokenExchangeSettings withPolicy(TokenExchangePolicy v) {
    return new TokenExchangeSettings(refreshTokens, trustedIssuerJwts, v);
  }
}
