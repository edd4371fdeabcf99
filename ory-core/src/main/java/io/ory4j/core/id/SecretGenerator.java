package io.ory4j.core.id;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Generates random secrets: token keys, CSRF tokens, challenges, codes. Injected so that tests can be deterministic;
 * production code uses {@link #secureRandom()}.
 */
@FunctionalInterface
public interface SecretGenerator {

  /** Fills and returns {@code n} random bytes. */
  byte[] nextBytes(int n);

  /** {@code n} random bytes as unpadded base64url, as Ory's token keys are written. */
  default String nextToken(int n) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(nextBytes(n));
  }

  /** A random string of {@code length} characters drawn uniformly from {@code alphabet} (no modulo bias). */
  default String nextString(int length, String alphabet) {
    Objects.requireNonNull(alphabet, "alphabet");
    if (alphabet.isEmpty() || alphabet.length() > 256) {
      throw new IllegalArgumentException("alphabet must have 1 to 256 characters");
    }
    int limit = 256 - (256 % alphabet.length());
    StringBuilder sb = new StringBuilder(length);
    while (sb.length() < length) {
      for (byte b : nextBytes(length)) {
        int v = b & 0xff;
        if (v < limit && sb.length() < length) {
          sb.append(alphabet.charAt(v % alphabet.length()));
        }
      }
    }
    return sb.toString();
  }

  /** Secrets from a shared {@link SecureRandom}. */
  static SecretGenerator secureRandom() {
    SecureRandom random = new SecureRandom();
    return n -> {
      byte[] b = new byte[n];
      random.nextBytes(b);
      return b;
    };
  }
}
