package io.ory4j.oauth2;

import io.ory4j.core.keys.KeyAlgorithm;
import java.time.Duration;
import java.util.Objects;

/**
 * Token lifespans and strategies (Hydra's {@code ttl.*}, {@code strategies.*} and {@code oauth2.pkce.*}).
 *
 * @param accessTokenLifespan {@code ttl.access_token}, 1h by default
 * @param refreshTokenLifespan {@code ttl.refresh_token}, 720h by default
 * @param authorizationCodeLifespan {@code ttl.auth_code}, 10m by default
 * @param idTokenLifespan {@code ttl.id_token}, 1h by default
 * @param jwtAccessTokens {@code strategies.access_token: jwt} (RFC 9068) instead of opaque tokens
 * @param signingAlgorithm the algorithm of the ID token and JWT access token keys
 * @param enforcePkce {@code oauth2.pkce.enforced}: PKCE for every client (always for public clients)
 * @param allowPlainPkce accept {@code code_challenge_method=plain} (refused by default)
 * @param wildcardScopes {@code strategies.scope: wildcard} (Hydra's default) rather than {@code exact}
 * @param minStateLength the least number of characters of {@code state} (Hydra requires 8)
 * @param refreshTokenGracePeriod {@code oauth2.grant.refresh_token.rotation_grace_period}: how long a rotated refresh
 *     token may still be used (say, by a client that lost the response) before a use counts as reuse; zero by default
 */
public record TokenSettings(Duration accessTokenLifespan, Duration refreshTokenLifespan,
    Duration authorizationCodeLifespan, Duration idTokenLifespan, boolean jwtAccessTokens,
    KeyAlgorithm signingAlgorithm, boolean enforcePkce, boolean allowPlainPkce, boolean wildcardScopes,
    int minStateLength, Duration refreshTokenGracePeriod) {

  public TokenSettings {
    positive(accessTokenLifespan, "ttl.access_token");
    positive(refreshTokenLifespan, "ttl.refresh_token");
    positive(authorizationCodeLifespan, "ttl.auth_code");
    positive(idTokenLifespan, "ttl.id_token");
    Objects.requireNonNull(signingAlgorithm, "signingAlgorithm");
    if (refreshTokenGracePeriod == null || refreshTokenGracePeriod.isNegative()
        || refreshTokenGracePeriod.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("oauth2.grant.refresh_token.rotation_grace_period must be between 0 and 5m");
    }
    if (minStateLength < 0) {
      throw new IllegalArgumentException("minStateLength must not be negative");
    }
  }

  private static void positive(Duration d, String key) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(key + " must be a positive duration");
    }
  }

  /** Hydra's defaults. */
  public static TokenSettings defaults() {
    return new TokenSettings(Duration.ofHours(1), Duration.ofHours(720), Duration.ofMinutes(10), Duration.ofHours(1),
        false, KeyAlgorithm.RS256, false, false, true, 8, Duration.ZERO);
  }

  public TokenSettings withJwtAccessTokens(boolean v) {
    return new TokenSettings(accessTokenLifespan, refreshTokenLifespan, authorizationCodeLifespan, idTokenLifespan, v,
        signingAlgorithm, enforcePkce, allowPlainPkce, wildcardScopes, minStateLength,
        refreshTokenGracePeriod);
  }

  public TokenSettings withSigningAlgorithm(KeyAlgorithm v) {
    return new TokenSettings(accessTokenLifespan, refreshTokenLifespan, authorizationCodeLifespan, idTokenLifespan,
        jwtAccessTokens, v, enforcePkce, allowPlainPkce, wildcardScopes, minStateLength,
        refreshTokenGracePeriod);
  }

  public TokenSettings withAccessTokenLifespan(Duration v) {
    return new TokenSettings(v, refreshTokenLifespan, authorizationCodeLifespan, idTokenLifespan, jwtAccessTokens,
        signingAlgorithm, enforcePkce, allowPlainPkce, wildcardScopes, minStateLength,
        refreshTokenGracePeriod);
  }

  public TokenSettings withRefreshTokenGracePeriod(Duration v) {
    return new TokenSettings(accessTokenLifespan, refreshTokenLifespan, authorizationCodeLifespan, idTokenLifespan,
        jwtAccessTokens, signingAlgorithm, enforcePkce, allowPlainPkce, wildcardScopes, minStateLength, v);
  }

  public TokenSettings withEnforcePkce(boolean v) {
    return new TokenSettings(accessTokenLifespan, refreshTokenLifespan, authorizationCodeLifespan, idTokenLifespan,
        jwtAccessTokens, signingAlgorithm, v, allowPlainPkce, wildcardScopes, minStateLength,
        refreshTokenGracePeriod);
  }
}
