package io.ory4j.identity.hash;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The crypt(3) hashes Kratos imports: MD5-crypt ({@code $1$}, Poul-Henning Kamp's algorithm) and SHA-crypt
 * ({@code $5$}/{@code $6$}, Ulrich Drepper's specification), written from the published algorithms. Kratos stores
 * them as {@code $md5-crypt$salt$hash}, {@code $sha256-crypt$[rounds=N$]salt$hash} and
 * {@code $sha512-crypt$[rounds=N$]salt$hash}.
 */
final class Crypt3 {
  private Crypt3() {}

  /** At most this many SHA-crypt rounds, at import and at compare (Drepper allows 999,999,999). */
  static final int SHA_CRYPT_MAX_ROUNDS = 1_000_000;
  static final int SHA_CRYPT_MIN_ROUNDS = 1000;
  static final int SHA_CRYPT_DEFAULT_ROUNDS = 5000;
  /**
   * At most this many password bytes: SHA-crypt hashes the password once per round and its length squared once, so
   * an unbounded password would turn one comparison into a denial of service (passlib has the same 4096 limit).
   */
  static final int MAX_PASSWORD_BYTES = 4096;

  private static final String ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final Pattern KRATOS_MD5 = Pattern.compile("^\\$md5-crypt\\$([^$]*)\\$([./0-9A-Za-z]{22})$");
  private static final Pattern KRATOS_SHA =
      Pattern.compile("^\\$sha(256|512)-crypt\\$(?:rounds=([0-9]{1,10})\\$)?([^$]*)\\$([./0-9A-Za-z]+)$");
  private static final Pattern CRYPT =
      Pattern.compile("^\\$([156])\\$(?:rounds=([0-9]{1,10})\\$)?([^$]*)(?:\\$([./0-9A-Za-z]*))?$");

  /** A parsed crypt(3) hash: the variant (1, 5 or 6), rounds (0 for MD5-crypt), the salt and the encoded hash. */
  record Parsed(int variant, int rounds, boolean roundsGiven, String salt, String encoded) {}

  static boolean isKratosCrypt(String hash) {
    return hash.startsWith("$md5-crypt$") || hash.startsWith("$sha256-crypt$") || hash.startsWith("$sha512-crypt$");
  }

  /** Parses and bounds-checks Kratos' form of a crypt(3) hash. */
  static Parsed parseKratos(String hash) {
    if (hash.startsWith("$md5-crypt$")) {
      Matcher m = KRATOS_MD5.matcher(hash);
      if (!m.matches()) {
        throw new PasswordHashException("malformed md5-crypt hash: expected $md5-crypt$salt$hash (22 characters)");
      }
      return new Parsed(1, 0, false, truncate(m.group(1), 8), m.group(2));
    }
    Matcher m = KRATOS_SHA.matcher(hash);
    if (!m.matches()) {
      throw new PasswordHashException("malformed sha-crypt hash: expected $sha256-crypt$rounds=N$salt$hash or "
          + "$sha512-crypt$rounds=N$salt$hash");
    }
    int variant = m.group(1).equals("256") ? 5 : 6;
    int expected = variant == 5 ? 43 : 86;
    if (m.group(4).length() != expected) {
      throw new PasswordHashException("malformed sha-crypt hash: the hash must be " + expected + " characters");
    }
    int rounds = rounds(m.group(2));
    return new Parsed(variant, rounds, m.group(2) != null, truncate(m.group(3), 16), m.group(4));
  }

  private static int rounds(String given) {
    if (given == null) {
      return SHA_CRYPT_DEFAULT_ROUNDS;
    }
    long r = Long.parseLong(given);
    if (r > SHA_CRYPT_MAX_ROUNDS) {
      throw new PasswordHashException("sha-crypt rounds must be at most " + SHA_CRYPT_MAX_ROUNDS + ", was " + r);
    }
    return (int) Math.max(SHA_CRYPT_MIN_ROUNDS, r);
  }

  /** Constant-time check of a password against a parsed hash. */
  static boolean matches(byte[] password, Parsed p) {
    requirePasswordLength(password);
    String computed = p.variant == 1 ? md5Encoded(password, p.salt) : shaEncoded(p.variant, password, p.salt, p.rounds);
    return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
        p.encoded.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * crypt(3) with a native setting such as {@code $5$rounds=10000$salt} or {@code $1$salt$...}: returns the full
   * hash string as glibc does (used by the tests against the specification's vectors).
   */
  static String crypt(byte[] password, String setting) {
    requirePasswordLength(password);
    Matcher m = CRYPT.matcher(setting);
    if (!m.matches()) {
      throw new PasswordHashException("malformed crypt(3) setting");
    }
    int variant = m.group(1).charAt(0) - '0';
    if (variant == 1) {
      String salt = truncate(m.group(3), 8);
      return "$1$" + salt + "$" + md5Encoded(password, salt);
    }
    int rounds = rounds(m.group(2));
    String salt = truncate(m.group(3), 16);
    return "$" + variant + "$" + (m.group(2) != null ? "rounds=" + rounds + "$" : "") + salt + "$"
        + shaEncoded(variant, password, salt, rounds);
  }

  private static void requirePasswordLength(byte[] password) {
    if (password.length > MAX_PASSWORD_BYTES) {
      throw new PasswordHashException("passwords checked against a crypt(3) hash are limited to "
          + MAX_PASSWORD_BYTES + " bytes");
    }
  }

  private static String truncate(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }

  // ---- MD5-crypt ----

  static String md5Encoded(byte[] pw, String saltString) {
    byte[] salt = saltString.getBytes(StandardCharsets.UTF_8);
    MessageDigest ctx = digest("MD5");
    ctx.update(pw);
    ctx.update("$1$".getBytes(StandardCharsets.US_ASCII));
    ctx.update(salt);
    MessageDigest alt = digest("MD5");
    alt.update(pw);
    alt.update(salt);
    alt.update(pw);
    byte[] fin = alt.digest();
    for (int pl = pw.length; pl > 0; pl -= 16) {
      ctx.update(fin, 0, Math.min(pl, 16));
    }
    for (int i = pw.length; i != 0; i >>>= 1) {
      if ((i & 1) != 0) {
        ctx.update((byte) 0);
      } else {
        ctx.update(pw[0]);
      }
    }
    fin = ctx.digest();
    for (int i = 0; i < 1000; i++) {
      MessageDigest c = digest("MD5");
      if ((i & 1) != 0) {
        c.update(pw);
      } else {
        c.update(fin);
      }
      if (i % 3 != 0) {
        c.update(salt);
      }
      if (i % 7 != 0) {
        c.update(pw);
      }
      if ((i & 1) != 0) {
        c.update(fin);
      } else {
        c.update(pw);
      }
      fin = c.digest();
    }
    StringBuilder out = new StringBuilder(22);
    to64(out, fin[0], fin[6], fin[12], 4);
    to64(out, fin[1], fin[7], fin[13], 4);
    to64(out, fin[2], fin[8], fin[14], 4);
    to64(out, fin[3], fin[9], fin[15], 4);
    to64(out, fin[4], fin[10], fin[5], 4);
    to64(out, (byte) 0, (byte) 0, fin[11], 2);
    return out.toString();
  }

  // ---- SHA-crypt ----

  private static final int[][] SHA256_ORDER = {{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
      {15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29}};
  private static final int[][] SHA512_ORDER = {{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4},
      {47, 5, 26}, {6, 27, 48}, {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32}, {12, 33, 54},
      {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19},
      {62, 20, 41}};

  static String shaEncoded(int variant, byte[] pw, String saltString, int rounds) {
    if (rounds < SHA_CRYPT_MIN_ROUNDS || rounds > SHA_CRYPT_MAX_ROUNDS) {
      throw new PasswordHashException("sha-crypt rounds out of bounds");
    }
    String alg = variant == 5 ? "SHA-256" : "SHA-512";
    byte[] salt = saltString.getBytes(StandardCharsets.UTF_8);
    MessageDigest b = digest(alg);
    b.update(pw);
    b.update(salt);
    b.update(pw);
    byte[] bd = b.digest();
    int len = bd.length;
    MessageDigest a = digest(alg);
    a.update(pw);
    a.update(salt);
    int cnt;
    for (cnt = pw.length; cnt > len; cnt -= len) {
      a.update(bd);
    }
    a.update(bd, 0, cnt);
    for (cnt = pw.length; cnt > 0; cnt >>>= 1) {
      if ((cnt & 1) != 0) {
        a.update(bd);
      } else {
        a.update(pw);
      }
    }
    byte[] ad = a.digest();
    MessageDigest dp = digest(alg);
    for (int i = 0; i < pw.length; i++) {
      dp.update(pw);
    }
    byte[] pBytes = repeat(dp.digest(), pw.length);
    MessageDigest ds = digest(alg);
    for (int i = 0; i < 16 + (ad[0] & 0xff); i++) {
      ds.update(salt);
    }
    byte[] sBytes = repeat(ds.digest(), salt.length);
    byte[] c = ad;
    MessageDigest ctx = digest(alg);
    for (int i = 0; i < rounds; i++) {
      if ((i & 1) != 0) {
        ctx.update(pBytes);
      } else {
        ctx.update(c);
      }
      if (i % 3 != 0) {
        ctx.update(sBytes);
      }
      if (i % 7 != 0) {
        ctx.update(pBytes);
      }
      if ((i & 1) != 0) {
        ctx.update(c);
      } else {
        ctx.update(pBytes);
      }
      c = ctx.digest();
    }
    StringBuilder out = new StringBuilder(86);
    if (variant == 5) {
      for (int[] g : SHA256_ORDER) {
        to64(out, c[g[0]], c[g[1]], c[g[2]], 4);
      }
      to64(out, (byte) 0, c[31], c[30], 3);
    } else {
      for (int[] g : SHA512_ORDER) {
        to64(out, c[g[0]], c[g[1]], c[g[2]], 4);
      }
      to64(out, (byte) 0, (byte) 0, c[63], 2);
    }
    return out.toString();
  }

  private static byte[] repeat(byte[] d, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i += d.length) {
      System.arraycopy(d, 0, out, i, Math.min(d.length, length - i));
    }
    return out;
  }

  private static void to64(StringBuilder out, byte b2, byte b1, byte b0, int n) {
    int w = ((b2 & 0xff) << 16) | ((b1 & 0xff) << 8) | (b0 & 0xff);
    for (int i = 0; i < n; i++) {
      out.append(ITOA64.charAt(w & 0x3f));
      w >>>= 6;
    }
  }

  private static MessageDigest digest(String alg) {
    try {
      return MessageDigest.getInstance(alg);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(alg + " is required", e);
    }
  }
}
