package io.ory4j.oauth2;

import java.time.Duration;

/**
 * DPoP (RFC 9449): sender-constrained access and refresh tokens. Off by default (Hydra has no DPoP); when on, a
 * token request with a valid {@code DPoP} proof gets tokens bound to the proof's key, and discovery advertises
 * {@code dpop_signing_alg_values_supported}.
 *
 * @param enabled accept DPoP proofs at the token endpoint and DPoP-bound tokens at userinfo
 * @param requireNonce every proof must carry a fresh server nonce (RFC 9449 section 8): a proof without one, or with
 *     a stale one, gets {@code use_dpop_nonce} and a {@code DPoP-Nonce} header
 * @param proofLifetime how far a proof's {@code iat} may be from the provider's clock (60 seconds by default); its
 *     {@code jti} is remembered that long, so a proof is accepted once
 */
public record DpopSettings(boolean enabled, boolean requireNonce, Duration proofLifetime) {

  public DpopSettings {
    if (proofLifetime == null || proofLifetime.isNegative() || proofLifetime.isZero()
        || proofLifetime.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("dpop proof lifetime must be between 1s and 10m");
    }
  }

  /** Off. */
  public static DpopSettings disabled() {
    return new DpopSettings(false, false, Duration.ofSeconds(60));
  }

  /** On, without nonces, with 60-second proofs. */
  public static DpopSettings enabled60s() {
    return new DpopSettings(true, false, Duration.ofSeconds(60));
  }

  public DpopSettings withRequireNonce(boolean v) {
    return new DpopSettings(enabled, v, proofLifetime);
  }
}
