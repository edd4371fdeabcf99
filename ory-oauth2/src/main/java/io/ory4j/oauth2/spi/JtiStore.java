package io.ory4j.oauth2.spi;

import java.time.Instant;

/**
 * Remembers the {@code jti} of single-use JWTs (client assertions of {@code private_key_jwt} and
 * {@code client_secret_jwt}; Hydra's {@code hydra_oauth2_jti_blacklist}) until they expire, so a JWT is accepted once
 * even when several processes share the store.
 *
 * <p>Callers pass a signature of the {@code jti} (a digest that also names what the JWT was for), never a token.
 */
public interface JtiStore {

  /**
   * Marks {@code signature} as used until {@code expiresAt}. Atomic: of concurrent calls for one signature exactly one
   * returns true. A signature whose mark expired at or before {@code now} counts as unused (its mark is renewed).
   *
   * @return true for the first use, false when the signature is already marked and its mark has not expired
   */
  boolean markUsed(String signature, Instant expiresAt, Instant now);

  /** Deletes the marks that expired before {@code before} (the janitor); returns how many. */
  int deleteExpired(Instant before);
}
