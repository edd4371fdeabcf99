package io.ory4j.identity.hash;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Argon2id in the PHC string form Kratos writes: {@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}. */
public final class Argon2Hasher implements PasswordHasher {

  /**
   * Argon2 parameters.
   *
   * @param memoryKiB memory in KiB
   * @param iterations passes
   * @param parallelism lanes
   * @param saltLength salt bytes
   * @param keyLength key bytes
   */
  public record Params(int memoryKiB, int iterations, int parallelism, int saltLength, int keyLength) {
    public Params {
      Bounds.requireArgon2(memoryKiB, iterations, parallelism, keyLength);
      if (saltLength < 8) {
        throw new IllegalArgumentException("hashers.argon2.salt_length must be at least 8");
      }
    }

    /** Kratos' defaults: 128 MiB, 1 iteration, 2 x CPUs lanes, 16-byte salt, 32-byte key. */
    public static Params kratosDefaults() {
      return new Params(128 * 1024, 1, Math.min(64, Runtime.getRuntime().availableProcessors() * 2), 16, 32);
    }
  }

  private final Params params;
  private final SecureRandom random;

  public Argon2Hasher(Params params, SecureRandom random) {
    this.params = Objects.requireNonNull(params, "params");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public String hash(byte[] password) {
    byte[] salt = new byte[params.saltLength()];
    random.nextBytes(salt);
    byte[] key = derive(Argon2Parameters.ARGON2_id, password, salt, params.memoryKiB(), params.iterations(),
        params.parallelism(), params.keyLength());
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p=" + params.parallelism() + "$"
        + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
  }

  @Override
  public long memoryPerHash() {
    return params.memoryKiB() * 1024L;
  }

  @Override
  public boolean needsRehash(String storedHash) {
    String expected = "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p="
        + params.parallelism() + "$";
    if (!storedHash.startsWith(expected)) {
      return true;
    }
    String[] parts = storedHash.split("\\$");
    try {
      return parts.length != 6 || Base64.getDecoder().decode(parts[4]).length != params.saltLength()
          || Base64.getDecoder().decode(parts[5]).length != params.keyLength();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  static byte[] derive(int type, byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism,
      int keyLength) {
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(new Argon2Parameters.Builder(type).withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt)
        .withMemoryAsKB(memoryKiB).withIterations(iterations).withParallelism(parallelism).build());
    byte[] out = new byte[keyLength];
    gen.generateBytes(password, out);
    return out;
  }
}
