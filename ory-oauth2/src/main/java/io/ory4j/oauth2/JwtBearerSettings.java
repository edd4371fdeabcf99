package io.ory4j.oauth2;

import java.time.Duration;

/**
 * The JWT bearer authorization grant (RFC 7523 section 2.1) with Hydra's trust relationships: assertions signed by an
 * issuer trusted on {@code /admin/trust/grants/jwt-bearer/issuers} are exchanged for access tokens.
 *
 * @param maxTtl Hydra's {@code oauth2.grant.jwt.max_ttl}: the longest an assertion may live from its {@code iat} (or
 *     from now without one) to its {@code exp}; 720 hours by default
 * @param iatOptional Hydra's {@code oauth2.grant.jwt.iat_optional}: accept assertions without {@code iat}
 * @param jtiOptional Hydra's {@code oauth2.grant.jwt.jti_optional}: accept assertions without {@code jti}
 */
public record JwtBearerSettings(Duration maxTtl, boolean iatOptional, boolean jtiOptional) {

  public JwtBearerSettings {
    if (maxTtl == null || maxTtl.isNegative() || maxTtl.isZero()) {
      throw new IllegalArgumentException("oauth2.grant.jwt.max_ttl must be a positive duration");
    }
  }

  /** Hydra's defaults: 720 hours, {@code iat} and {@code jti} required. */
  public static JwtBearerSettings defaults() {
    return new JwtBearerSettings(Duration.ofHours(720), false, false);
  }

  public JwtBearerSettings withMaxTtl(Duration v) {
    return new JwtBearerSettings(v, iatOptional, jtiOptional);
  }

  public JwtBearerSettings withIatOptional(boolean v) {
    return new JwtBearerSettings(maxTtl, v, jtiOptional);
  }

  public JwtBearerSettings withJtiOptional(boolean v) {
    return new JwtBearerSettings(maxTtl, iatOptional, v);
  }
}
