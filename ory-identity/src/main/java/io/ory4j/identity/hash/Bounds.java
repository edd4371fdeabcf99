package io.ory4j.identity.hash;

/**
 * Parameter bounds that keep one password check cheap enough that an imported or forged hash cannot be used to
 * exhaust the server: they hold when a hash is imported and again when it is compared.
 */
final class Bounds {
  private Bounds() {}

  static final int BCRYPT_MAX_COST = 18;
  static final int BCRYPT_MAX_PASSWORD_BYTES = 72;
  static final int ARGON2_MAX_MEMORY_KIB = 1024 * 1024;
  static final int ARGON2_MAX_ITERATIONS = 32;
  static final int ARGON2_MAX_PARALLELISM = 64;
  static final int MAX_KEY_BYTES = 512;
  static final int PBKDF2_MAX_ITERATIONS = 10_000_000;
  static final int SCRYPT_MAX_LOG_N = 20;
  static final int SCRYPT_MAX_R = 32;
  static final int SCRYPT_MAX_P = 16;

  static void requireBcryptLength(byte[] password) {
    if (password.length > BCRYPT_MAX_PASSWORD_BYTES) {
      throw new PasswordHashException("passwords are limited to a maximum length of 72 characters");
    }
  }

  static void requireArgon2(long memoryKiB, long iterations, long parallelism, long keyLength) {
    if (memoryKiB < 8 || memoryKiB > ARGON2_MAX_MEMORY_KIB) {
      throw new PasswordHashException("argon2 memory must be 8.." + ARGON2_MAX_MEMORY_KIB + " KiB, was " + memoryKiB);
    }
    if (iterations < 1 || iterations > ARGON2_MAX_ITERATIONS) {
      throw new PasswordHashException("argon2 iterations must be 1.." + ARGON2_MAX_ITERATIONS + ", was " + iterations);
    }
    if (parallelism < 1 || parallelism > ARGON2_MAX_PARALLELISM) {
      throw new PasswordHashException("argon2 parallelism must be 1.." + ARGON2_MAX_PARALLELISM + ", was "
          + parallelism);
    }
    if (keyLength < 4 || keyLength > MAX_KEY_BYTES) {
      throw new PasswordHashException("argon2 key length must be 4.." + MAX_KEY_BYTES + ", was " + keyLength);
    }
  }
}
