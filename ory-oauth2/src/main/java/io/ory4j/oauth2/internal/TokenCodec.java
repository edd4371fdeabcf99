package io.ory4j.oauth2.internal;

import io.ory4j.core.id.SecretGenerator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque tokens in Hydra's (fosite's) HMAC form: {@code prefix + key + "." + signature}, where the key is 32 random
 * bytes and the signature is HMAC-SHA512/256 of the key under a key derived from the system secret, both unpadded
 * base64url. Only the signature is stored; a presented token is checked by recomputing it under each secret.
 */
public final class TokenCodec {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String ALG = "HmacSHA512/256";

  private final List<byte[]> keys;
  private final SecretGenerator secrets;
  private final ThreadLocal<Mac[]> macs;

  /** An opaque token and its stored signature. */
  public record Minted(String token, String signature) {}

  public TokenCodec(List<byte[]> keys, SecretGenerator secrets) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one key");
    }
    this.keys = List.copyOf(keys);
    this.secrets = secrets;
    this.macs = ThreadLocal.withInitial(this::newMacs);
  }

  private Mac[] newMacs() {
    Mac[] out = new Mac[keys.size()];
    for (int i = 0; i < out.length; i++) {
      try {
        out[i] = Mac.getInstance(ALG);
        out[i].init(new SecretKeySpec(keys.get(i), ALG));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(ALG + " is required", e);
      }
    }
    return out;
  }

  /** A new token with {@code prefix} ({@code ory_at_}, {@code ory_rt_}, {@code ory_ac_}). */
  public Minted mint(String prefix) {
    String key = B64.encodeToString(secrets.nextBytes(32));
    String sig = sign(0, key);
    return new Minted(prefix + key + "." + sig, sig);
  }

  private String sign(int keyIndex, String key) {
    Mac mac = macs.get()[keyIndex];
    return B64.encodeToString(mac.doFinal(key.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * The candidate signatures of a presented token (one per system secret, current first), or empty when the token is
   * not in this form or has another prefix.
   */
  public Optional<List<String>> signatures(String prefix, String token) {
    if (!token.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = token.substring(prefix.length());
    int dot = rest.indexOf('.');
    if (dot <= 0 || dot == rest.length() - 1 || rest.indexOf('.', dot + 1) >= 0) {
      return Optional.empty();
    }
    String key = rest.substring(0, dot);
    String presented = rest.substring(dot + 1);
    List<String> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      String expected = sign(i, key);
      if (io.ory4j.core.secrets.ConstantTime.equals(expected, presented)) {
        out.add(expected);
      }
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }

  /** An HMAC of {@code value} under the current key, for signed cookies. */
  public String mac(String value) {
    return sign(0, value);
  }

  /** True when {@code mac} is the HMAC of {@code value} under any key. */
  public boolean verifyMac(String value, String mac) {
    for (int i = 0; i < keys.size(); i++) {
      if (io.ory4j.core.secrets.ConstantTime.equals(sign(i, value), mac)) {
        return true;
      }
    }
    return false;
  }
}
