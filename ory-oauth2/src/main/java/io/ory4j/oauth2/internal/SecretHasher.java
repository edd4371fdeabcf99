package io.ory4j.oauth2.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.ory4j.core.id.SecretGenerator;
import io.ory4j.core.secrets.ConstantTime;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes client secrets with PBKDF2-HMAC-SHA256 (the JDK's; Hydra's {@code hashers.algorithm: pbkdf2}) in the form
 * {@code $pbkdf2-sha256$i=<iterations>,l=32$<salt>$<hash>}, and remembers successful verifications briefly so a busy
 * client does not pay a full hash on every request. The cache key is an HMAC (under a per-process random key) of the
 * client id, the stored hash and the presented secret: no secret is kept in memory in the clear, and a changed secret
 * (another stored hash) never hits an old entry. Failures are never cached.
 */
public final class SecretHasher {

  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final int iterations;
  private final SecretGenerator random;
  private final byte[] cacheKey;
  private final Cache<String, Boolean> verified;

  public SecretHasher(int iterations, Duration cacheTtl, SecretGenerator random, Clock clock) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be positive");
    }
    this.iterations = iterations;
    this.random = random;
    this.cacheKey = random.nextBytes(32);
    Ticker ticker = () -> clock.millis() * 1_000_000L;
    this.verified = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(cacheTtl).ticker(ticker).build();
  }

  /** Hashes a secret. */
  public String hash(String secret) {
    byte[] salt = random.nextBytes(16);
    return "$pbkdf2-sha256$i=" + iterations + ",l=32$" + B64.encodeToString(salt) + "$"
        + B64.encodeToString(pbkdf2(secret, salt, iterations, 32));
  }

  /** True when {@code presented} matches one of {@code hashes}. */
  public boolean verify(String clientId, List<String> hashes, String presented) {
    for (String h : hashes) {
      String key = cacheKey(clientId, h, presented);
      if (verified.getIfPresent(key) != null) {
        return true;
      }
      if (verifyOne(h, presented)) {
        verified.put(key, Boolean.TRUE);
        return true;
      }
    }
    return false;
  }

  private static boolean verifyOne(String hash, String presented) {
    String[] p = hash.split("\\$");
    // ["", "pbkdf2-sha256", "i=N,l=32", salt, hash]
    if (p.length != 5 || !"pbkdf2-sha256".equals(p[1])) {
      return false;
    }
    try {
      int i = Integer.parseInt(p[2].substring(2, p[2].indexOf(',')));
      int l = Integer.parseInt(p[2].substring(p[2].indexOf("l=") + 2));
      byte[] expected = B64D.decode(p[4]);
      return l == expected.length && ConstantTime.equals(expected, pbkdf2(presented, B64D.decode(p[3]), i, l));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String cacheKey(String clientId, String hash, String presented) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
      mac.update(clientId.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(hash.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return B64.encodeToString(mac.doFinal(presented.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required", e);
    }
  }

  private static byte[] pbkdf2(String secret, byte[] salt, int iterations, int length) {
    try {
      PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, length * 8);
      try {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      } finally {
        spec.clearPassword();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is required", e);
    }
  }
}
