package io.ory4j.identity.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 TOTP (on RFC 4226 HOTP) as Kratos configures it through pquerna/otp: HMAC-SHA1, 6 digits, a 30 second
 * period, and one step of skew either way. Also RFC 4648 base32 without padding, and the {@code otpauth://} URI.
 */
public final class Totp {

  /** The period in seconds. */
  public static final long PERIOD = 30;
  /** The number of digits. */
  public static final int DIGITS = 6;
  /** Steps accepted before and after the current one. */
  public static final int SKEW = 1;

  private static final String B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private Totp() {}

  /** The time step of an epoch second. */
  public static long step(long epochSecond) {
    return Math.floorDiv(epochSecond, PERIOD);
  }

  /** The HOTP value of {@code counter} with {@code digits} digits, zero-padded (RFC 4226 section 5.3). */
  public static String code(byte[] secret, long counter, int digits, String hmacAlgorithm) {
    try {
      Mac mac = Mac.getInstance(hmacAlgorithm);
      mac.init(new SecretKeySpec(secret, "RAW"));
      byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
      int off = h[h.length - 1] & 0x0f;
      int bin = ((h[off] & 0x7f) << 24) | ((h[off + 1] & 0xff) << 16) | ((h[off + 2] & 0xff) << 8)
          | (h[off + 3] & 0xff);
      long mod = 1;
      for (int i = 0; i < digits; i++) {
        mod *= 10;
      }
      String s = Long.toString(bin % mod);
      return "0".repeat(digits - s.length()) + s;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Kratos' code: HMAC-SHA1, 6 digits. */
  public static String code(byte[] secret, long counter) {
    return code(secret, counter, DIGITS, "HmacSHA1");
  }

  /**
   * The step in {@code [current - SKEW, current + SKEW]} whose code is {@code code} (compared in constant time),
   * or -1.
   */
  public static long matchingStep(byte[] secret, String code, long currentStep) {
    if (code == null || code.length() != DIGITS || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    long found = -1;
    for (long s = currentStep - SKEW; s <= currentStep + SKEW; s++) {
      if (java.security.MessageDigest.isEqual(code(secret, s).getBytes(StandardCharsets.US_ASCII),
          code.getBytes(StandardCharsets.US_ASCII)) && found < 0) {
        found = s;
      }
    }
    return found;
  }

  /** RFC 4648 base32, upper case, without padding (as pquerna/otp shows secrets). */
  public static String base32(byte[] data) {
    StringBuilder sb = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(B32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(B32.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }

  /** Decodes base32 (case-insensitive, padding and spaces ignored); empty when it is not base32. */
  public static Optional<byte[]> fromBase32(String s) {
    String in = s.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
    ByteBuffer out = ByteBuffer.allocate(in.length() * 5 / 8);
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < in.length(); i++) {
      int v = B32.indexOf(in.charAt(i));
      if (v < 0) {
        return Optional.empty();
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out.put((byte) (buffer >> (bits - 8)));
        bits -= 8;
      }
    }
    return in.isEmpty() ? Optional.empty() : Optional.of(out.array());
  }

  /**
   * The key URI authenticator apps read, as pquerna/otp writes it for Kratos:
   * {@code otpauth://totp/<issuer>:<account>?algorithm=SHA1&digits=6&issuer=<issuer>&period=30&secret=<base32>}.
   */
  public static String uri(String issuer, String account, String base32Secret) {
    return "otpauth://totp/" + pathEscape(issuer) + ":" + pathEscape(account) + "?algorithm=SHA1&digits=" + DIGITS
        + "&issuer=" + queryEscape(issuer) + "&period=" + PERIOD + "&secret=" + base32Secret;
  }

  /** The base32 secret of an {@code otpauth://totp/} URI, or empty. */
  public static Optional<String> secretOf(String uri) {
    try {
      URI u = URI.create(uri);
      if (!"otpauth".equals(u.getScheme()) || !"totp".equals(u.getHost()) || u.getRawQuery() == null) {
        return Optional.empty();
      }
      for (String p : u.getRawQuery().split("&")) {
        if (p.startsWith("secret=")) {
          String v = URLDecoder.decode(p.substring(7), StandardCharsets.UTF_8);
          return fromBase32(v).isPresent() ? Optional.of(v) : Optional.empty();
        }
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String queryEscape(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String pathEscape(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
