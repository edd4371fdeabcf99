package io.ory4j.identity.hash;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Bcrypt ({@code $2a$}), as Kratos' default hasher. Passwords longer than 72 bytes are refused, as Kratos does. */
public final class BcryptHasher implements PasswordHasher {

  private final int cost;
  private final SecureRandom random;

  public BcryptHasher(int cost, SecureRandom random) {
    if (cost < 4 || cost > Bounds.BCRYPT_MAX_COST) {
      throw new IllegalArgumentException("hashers.bcrypt.cost must be 4.." + Bounds.BCRYPT_MAX_COST + ", was " + cost);
    }
    this.cost = cost;
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public String hash(byte[] password) {
    Bounds.requireBcryptLength(password);
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return OpenBSDBCrypt.generate("2a", password, salt, cost);
  }

  @Override
  public boolean needsRehash(String storedHash) {
    if (!storedHash.matches("^\\$2[abxy]\\$\\d{2}\\$.*")) {
      return true;
    }
    return Integer.parseInt(storedHash.substring(4, 6)) != cost;
  }
}
