package io.ory4j.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One key of a JWK set as a {@link JwkSetStore} keeps it: the public JWK in the clear and the private JWK encrypted
 * under the system secret (see {@code SecretCipher}); a store never sees a private key in the clear.
 *
 * @param set the key set name, such as {@code hydra.openid.id-token}
 * @param kid the key id, unique within the set
 * @param algorithm the JWS algorithm, such as {@code RS256}
 * @param use {@code sig} or {@code enc}
 * @param publicJwk the public JWK as JSON
 * @param encryptedPrivateJwk the private JWK as JSON, encrypted
 * @param createdAt when the key was created; the newest key of a set is its current one
 */
public record StoredKey(String set, String kid, String algorithm, String use, String publicJwk,
    String encryptedPrivateJwk, Instant createdAt) {

  public StoredKey {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(use, "use");
    Objects.requireNonNull(publicJwk, "publicJwk");
    Objects.requireNonNull(encryptedPrivateJwk, "encryptedPrivateJwk");
    Objects.requireNonNull(createdAt, "createdAt");
    if (set.isBlank() || set.length() > 255) {
      throw new IllegalArgumentException("set must have 1 to 255 characters");
    }
    if (kid.isBlank() || kid.length() > 255) {
      throw new IllegalArgumentException("kid must have 1 to 255 characters");
    }
  }
}
