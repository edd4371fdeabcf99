package io.ory4j.core.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The system secrets, as Hydra's {@code secrets.system}: an ordered list where the first secret encrypts and signs,
 * and every secret decrypts and verifies, so a secret can be rotated by putting the new one first. Each secret must
 * be at least 16 characters long, as Hydra requires.
 *
 * <p>{@link #toString()} never shows a secret.
 */
public final class SystemSecrets {

  /** Hydra's minimum secret length. */
  public static final int MIN_LENGTH = 16;

  private final List<byte[]> secrets;

  private SystemSecrets(List<byte[]> secrets) {
    this.secrets = secrets;
  }

  /** Secrets in order: the first is current. */
  public static SystemSecrets of(List<String> secrets) {
    Objects.requireNonNull(secrets, "secrets");
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("secrets.system: at least one secret is required");
    }
    List<byte[]> bytes = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      String s = Objects.requireNonNull(secrets.get(i), "secret");
      if (s.length() < MIN_LENGTH) {
        throw new IllegalArgumentException(
            "secrets.system[" + i + "]: a system secret must be at least " + MIN_LENGTH + " characters long, was "
                + s.length());
      }
      bytes.add(s.getBytes(StandardCharsets.UTF_8));
    }
    return new SystemSecrets(List.copyOf(bytes));
  }

  /** Secrets in order: the first is current. */
  public static SystemSecrets of(String... secrets) {
    return of(Arrays.asList(secrets));
  }

  /** How many secrets there are. */
  public int size() {
    return secrets.size();
  }

  /** A copy of the current secret's bytes. */
  public byte[] current() {
    return secrets.get(0).clone();
  }

  /** Copies of all secrets' bytes, current first. */
  public List<byte[]> all() {
    return secrets.stream().map(byte[]::clone).toList();
  }

  /**
   * A 256-bit key derived from each secret for {@code purpose} (SHA-256 over a purpose label and the secret), so the
   * same secret yields independent keys for encryption and for HMAC. Current first.
   */
  public List<byte[]> derivedKeys(String purpose) {
    Objects.requireNonNull(purpose, "purpose");
    List<byte[]> keys = new ArrayList<>(secrets.size());
    for (byte[] s : secrets) {
      try {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(("ory4j:" + purpose + ":").getBytes(StandardCharsets.UTF_8));
        d.update(s);
        keys.add(d.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required", e);
      }
    }
    return List.copyOf(keys);
  }

  @Override
  public String toString() {
    return "SystemSecrets[" + secrets.size() + " secret(s), redacted]";
  }
}
