package io.ory4j.identity.hash;

/** Hashes new passwords with the configured algorithm and tells when a stored hash should be upgraded. */
public interface PasswordHasher {

  /** A new hash of {@code password} in its PHC/crypt string form. */
  String hash(byte[] password);

  /** True when {@code storedHash} was made with another algorithm or other parameters than this hasher uses. */
  boolean needsRehash(String storedHash);

  /** About how much memory one hash or check needs (argon2's memory cost; small for bcrypt). */
  default long memoryPerHash() {
    return 16 * 1024;
  }

  /** Bcrypt with Kratos' default cost of 12. */
  static PasswordHasher bcrypt() {
    return new BcryptHasher(12, new java.security.SecureRandom());
  }

  /** Argon2id with Kratos' defaults (128 MiB, 1 iteration, parallelism 2 x CPUs, 16-byte salt, 32-byte key). */
  static PasswordHasher argon2id() {
    return new Argon2Hasher(Argon2Hasher.Params.kratosDefaults(), new java.security.SecureRandom());
  }
}
