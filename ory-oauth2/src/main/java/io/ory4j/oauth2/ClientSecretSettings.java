package io.ory4j.oauth2;

import java.time.Duration;

/**
 * How client secrets are hashed at rest and how long a successful verification is remembered.
 *
 * @param pbkdf2Iterations PBKDF2-HMAC-SHA256 iterations (Hydra's {@code hashers.pbkdf2.iterations}, 25,000 by default)
 * @param verificationCacheTtl how long a verified secret skips the hash, 5 minutes by default; zero disables
 */
public record ClientSecretSettings(int pbkdf2Iterations, Duration verificationCacheTtl) {
  public ClientSecretSettings {
    if (pbkdf2Iterations < 1) {
      throw new IllegalArgumentException("hashers.pbkdf2.iterations must be positive");
    }
    if (verificationCacheTtl == null || verificationCacheTtl.isNegative()) {
      throw new IllegalArgumentException("the verification cache TTL must not be negative");
    }
  }

  public static ClientSecretSettings defaults() {
    return new ClientSecretSettings(25_000, Duration.ofMinutes(5));
  }
}
