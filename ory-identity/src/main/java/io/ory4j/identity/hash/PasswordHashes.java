package io.ory4j.identity.hash;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.MD4Digest;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Verifies passwords against every hash format Kratos accepts, and validates hashes at import without computing
 * them. Formats (as Kratos' hash comparator reads them):
 * <ul>
 *   <li>{@code $argon2id$v=19$m=..,t=..,p=..$salt$key} and {@code $argon2i$...} (unpadded base64);
 *   <li>{@code $2a$}, {@code $2b$}, {@code $2y$} bcrypt;
 *   <li>{@code $pbkdf2-sha1|sha224|sha256|sha384|sha512$i=..,l=..$salt$key} (unpadded base64);
 *   <li>{@code $scrypt$ln=N,r=..,p=..$salt$key} (N itself, padded base64);
 *   <li>{@code $firescrypt$ln=..,r=..,p=..$salt$hash$saltSeparator$signerKey} (Firebase's modified scrypt);
 *   <li>{@code $sha1|sha256|sha512$pf=<format>$salt$hash} where the format places {@code {SALT}} and
 *       {@code {PASSWORD}};
 *   <li>{@code {SSHA}}, {@code {SSHA256}}, {@code {SSHA512}} (LDAP salted SHA);
 *   <li>{@code $md5$hash} and {@code $md5$pf=..$salt$hash};
 *   <li>{@code $hmac-md4|md5|sha1|sha224|sha256|sha384|sha512$hash$key}.
 *   <li>{@code $md5-crypt$salt$hash}, {@code $sha256-crypt$[rounds=N$]salt$hash} and
 *       {@code $sha512-crypt$[rounds=N$]salt$hash} (crypt(3) MD5-crypt and SHA-crypt; at most 1,000,000 rounds).
 * </ul>
 * Every comparison is constant-time; parameters beyond {@link Bounds} are refused at import and at compare.
 */
public final class PasswordHashes {
  private PasswordHashes() {}

  private static final Pattern ARGON2 =
      Pattern.compile("^\\$(argon2id|argon2i)\\$v=(\\d+)\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([^$]+)\\$([^$]+)$");
  private static final Pattern BCRYPT = Pattern.compile("^\\$2([abzy]?)\\$(\\d{2})\\$[./A-Za-z0-9]{53}$");
  private static final Pattern PBKDF2 =
      Pattern.compile("^\\$pbkdf2-(sha1|sha224|sha256|sha384|sha512)\\$i=(\\d+),l=(\\d+)\\$([^$]+)\\$([^$]+)$");
  private static final Pattern SCRYPT = Pattern.compile("^\\$scrypt\\$ln=(\\d+),r=(\\d+),p=(\\d+)\\$([^$]+)\\$([^$]+)$");
  private static final Pattern FIRESCRYPT = Pattern.compile(
      "^\\$firescrypt\\$ln=(\\d+),r=(\\d+),p=(\\d+)\\$([^$]+)\\$([^$]+)\\$([^$]+)\\$([^$]+)$");
  private static final Pattern SHA = Pattern.compile("^\\$(sha1|sha256|sha512)\\$pf=([^$]+)\\$([^$]*)\\$([^$]+)$");
  private static final Pattern SSHA = Pattern.compile("^\\{(SSHA|SSHA256|SSHA512)\\}(.+)$");
  private static final Pattern MD5 = Pattern.compile("^\\$md5\\$(?:pf=([^$]+)\\$([^$]*)\\$)?([^$]+)$");
  private static final Pattern HMAC =
      Pattern.compile("^\\$hmac-(md4|md5|sha1|sha224|sha256|sha384|sha512)\\$([^$]+)\\$([^$]+)$");

  /** The algorithm name of a hash, such as {@code argon2id} or {@code bcrypt}. */
  public static String algorithm(String hash) {
    if (hash.startsWith("$argon2id$")) {
      return "argon2id";
    }
    if (hash.startsWith("$argon2i$")) {
      return "argon2i";
    }
    if (hash.matches("^\\$2[abzy]?\\$.*")) {
      return "bcrypt";
    }
    if (hash.startsWith("$pbkdf2-")) {
      return "pbkdf2";
    }
    if (hash.startsWith("$scrypt$")) {
      return "scrypt";
    }
    if (hash.startsWith("$firescrypt$")) {
      return "firescrypt";
    }
    if (hash.matches("^\\$sha(1|256|512)\\$.*")) {
      return "sha";
    }
    if (hash.matches("^\\{SSHA(256|512)?\\}.*")) {
      return "ssha";
    }
    if (hash.startsWith("$md5$")) {
      return "md5";
    }
    if (hash.startsWith("$hmac-")) {
      return "hmac";
    }
    if (Crypt3.isKratosCrypt(hash)) {
      return "crypt";
    }
    throw new PasswordHashException("unknown hash algorithm");
  }

  /** Checks that a hash to import is well-formed and within bounds, without computing it. */
  public static void validate(String hash) {
    switch (algorithm(hash)) {
      case "argon2id", "argon2i" -> argon2(hash);
      case "bcrypt" -> bcryptCost(hash);
      case "pbkdf2" -> pbkdf2(hash);
      case "scrypt" -> scrypt(hash);
      case "firescrypt" -> firescrypt(hash);
      case "sha" -> sha(hash);
      case "ssha" -> ssha(hash);
      case "md5" -> md5(hash);
      case "hmac" -> hmac(hash);
      case "crypt" -> Crypt3.parseKratos(hash);
      default -> throw new PasswordHashException("unknown hash algorithm");
    }
  }

  /** True when {@code password} matches {@code hash}; a malformed or out-of-bounds hash is an exception. */
  public static boolean matches(byte[] password, String hash) {
    return switch (algorithm(hash)) {
      case "argon2id", "argon2i" -> {
        Argon2 a = argon2(hash);
        byte[] other = Argon2Hasher.derive(a.id ? Argon2Parameters.ARGON2_id : Argon2Parameters.ARGON2_i, password,
            a.salt, a.memory, a.iterations, a.parallelism, a.key.length);
        yield MessageDigest.isEqual(a.key, other);
      }
      case "bcrypt" -> {
        bcryptCost(hash);
        Bounds.requireBcryptLength(password);
        yield OpenBSDBCrypt.checkPassword(hash.replaceFirst("^\\$2z?\\$", "\\$2a\\$"), password);
      }
      case "pbkdf2" -> {
        Pbkdf2 p = pbkdf2(hash);
        yield MessageDigest.isEqual(p.key, pbkdf2Key(p, password));
      }
      case "scrypt" -> {
        Scrypt s = scrypt(hash);
        yield MessageDigest.isEqual(s.key, SCrypt.generate(password, s.salt, s.n, s.r, s.p, s.key.length));
      }
      case "firescrypt" -> firescryptMatches(firescrypt(hash), password);
      case "sha" -> {
        Sha s = sha(hash);
        byte[] raw = format(s.format, s.salt, password);
        yield MessageDigest.isEqual(s.hash, digest(s.algorithm, raw));
      }
      case "ssha" -> {
        Ssha s = ssha(hash);
        byte[] raw = concat(password, s.salt);
        yield MessageDigest.isEqual(s.hash, digest(s.algorithm, raw));
      }
      case "md5" -> {
        Md5 m = md5(hash);
        byte[] raw = m.format == null ? password : format(m.format, m.salt, password);
        yield MessageDigest.isEqual(m.hash, digest("MD5", raw));
      }
      case "hmac" -> {
        Hmac h = hmac(hash);
        byte[] mac = HexFormat.of().formatHex(hmacOf(h.algorithm, h.key, password)).getBytes(StandardCharsets.US_ASCII);
        yield MessageDigest.isEqual(h.hash, mac);
      }
      case "crypt" -> Crypt3.matches(password, Crypt3.parseKratos(hash));
      default -> throw new PasswordHashException("unknown hash algorithm");
    };
  }

  // ---- formats ----

  private record Argon2(boolean id, int memory, int iterations, int parallelism, byte[] salt, byte[] key) {}

  private static Argon2 argon2(String hash) {
    Matcher m = ARGON2.matcher(hash);
    if (!m.matches()) {
      throw new PasswordHashException("malformed argon2 hash: expected $argon2id$v=19$m=..,t=..,p=..$salt$hash");
    }
    if (!"19".equals(m.group(2))) {
      throw new PasswordHashException("incompatible argon2 version " + m.group(2) + ", expected 19");
    }
    long memory = number(m.group(3), "argon2 memory");
    long iterations = number(m.group(4), "argon2 iterations");
    long parallelism = number(m.group(5), "argon2 parallelism");
    byte[] salt = rawBase64(m.group(6), "argon2 salt");
    byte[] key = rawBase64(m.group(7), "argon2 hash");
    Bounds.requireArgon2(memory, iterations, parallelism, key.length);
    return new Argon2(m.group(1).equals("argon2id"), (int) memory, (int) iterations, (int) parallelism, salt, key);
  }

  private static int bcryptCost(String hash) {
    Matcher m = BCRYPT.matcher(hash);
    if (!m.matches()) {
      throw new PasswordHashException("malformed bcrypt hash");
    }
    int cost = Integer.parseInt(m.group(2));
    if (cost < 4 || cost > Bounds.BCRYPT_MAX_COST) {
      throw new PasswordHashException("bcrypt cost must be 4.." + Bounds.BCRYPT_MAX_COST + ", was " + cost);
    }
    return cost;
  }

  private record Pbkdf2(String digest, int iterations, byte[] salt, byte[] key) {}

  private static Pbkdf2 pbkdf2(String hash) {
    Matcher m = PBKDF2.matcher(hash);
    if (!m.matches()) {
      throw new PasswordHashException("malformed pbkdf2 hash: expected $pbkdf2-sha256$i=..,l=..$salt$hash");
    }
    long iterations = number(m.group(2), "pbkdf2 iterations");
    if (iterations < 1 || iterations > Bounds.PBKDF2_MAX_ITERATIONS) {
      throw new PasswordHashException("pbkdf2 iterations must be 1.." + Bounds.PBKDF2_MAX_ITERATIONS);
    }
    byte[] key = rawBase64(m.group(5), "pbkdf2 hash");
    if (key.length < 4 || key.length > Bounds.MAX_KEY_BYTES) {
      throw new PasswordHashException("pbkdf2 key length out of bounds");
    }
    return new Pbkdf2(m.group(1), (int) iterations, rawBase64(m.group(4), "pbkdf2 salt"), key);
  }

  private static byte[] pbkdf2Key(Pbkdf2 p, byte[] password) {
    try {
      String alg = "PBKDF2WithHmac" + p.digest.toUpperCase(Locale.ROOT).replace("SHA", "SHA");
      char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
      return SecretKeyFactory.getInstance(alg).generateSecret(new PBEKeySpec(chars, p.salt, p.iterations,
          p.key.length * 8)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2 is required", e);
    }
  }

  private record Scrypt(int n, int r, int p, byte[] salt, byte[] key) {}

  private static Scrypt scrypt(String hash) {
    Matcher m = SCRYPT.matcher(hash);
    if (!m.matches()) {
      throw new PasswordHashException("malformed scrypt hash: expected $scrypt$ln=..,r=..,p=..$salt$hash");
    }
    long n = number(m.group(1), "scrypt cost");
    long r = number(m.group(2), "scrypt block size");
    long p = number(m.group(3), "scrypt parallelization");
    checkScrypt(n, r, p);
    byte[] key = base64(m.group(5), "scrypt hash");
    if (key.length < 4 || key.length > Bounds.MAX_KEY_BYTES) {
      throw new PasswordHashException("scrypt key length out of bounds");
    }
    return new Scrypt((int) n, (int) r, (int) p, base64(m.group(4), "scrypt salt"), key);
  }

  private static void checkScrypt(long n, long r, long p) {
    if (n < 2 || n > (1L << Bounds.SCRYPT_MAX_LOG_N) || Long.bitCount(n) != 1) {
      throw new PasswordHashException("scrypt cost must be a power of two up to 2^" + Bounds.SCRYPT_MAX_LOG_N);
    }
    if (r < 1 || r > Bounds.SCRYPT_MAX_R || p < 1 || p > Bounds.SCRYPT_MAX_P) {
      throw new PasswordHashException("scrypt r must be 1.." + Bounds.SCRYPT_MAX_R + " and p 1.." + Bounds.SCRYPT_MAX_P);
    }
  }

  private record Firescrypt(int n, int r, int p, byte[] salt, byte[] hash, byte[] separator, byte[] signerKey) {}

  private static Firescrypt firescrypt(String hash) {
    Matcher m = FIRESCRYPT.matcher(hash);
    if (!m.matches()) {
      throw new PasswordHashException("malformed firescrypt hash: expected "
          + "$firescrypt$ln=..,r=..,p=..$salt$hash$salt_separator$signer_key");
    }
    long logN = number(m.group(1), "firescrypt memory cost");
    if (logN < 1 || logN > Bounds.SCRYPT_MAX_LOG_N) {
      throw new PasswordHashException("firescrypt memory cost must be 1.." + Bounds.SCRYPT_MAX_LOG_N);
    }
    long r = number(m.group(2), "firescrypt rounds");
    long p = number(m.group(3), "firescrypt parallelization");
    checkScrypt(1L << logN, r, p);
    return new Firescrypt(1 << logN, (int) r, (int) p, base64(m.group(4), "firescrypt salt"),
        base64(m.group(5), "firescrypt hash"), base64(m.group(6), "firescrypt salt separator"),
        base64(m.group(7), "firescrypt signer key"));
  }

  private static boolean firescryptMatches(Firescrypt f, byte[] password) {
    byte[] ck = SCrypt.generate(password, concat(f.salt, f.separator), f.n, f.r, f.p, 32);
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(ck, "AES"), new IvParameterSpec(new byte[16]));
      return MessageDigest.isEqual(f.hash, c.doFinal(f.signerKey));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR is required", e);
    }
  }

  private record Sha(String algorithm, byte[] format, byte[] salt, byte[] hash) {}

  private static Sha sha(String hash) {
    Matcher m = SHA.matcher(hash);
    if (!m.matches()) {
      throw new PasswordHashException("malformed sha hash: expected $sha256$pf=<base64 format>$salt$hash");
    }
    String alg = switch (m.group(1)) {
      case "sha1" -> "SHA-1";
      case "sha256" -> "SHA-256";
      default -> "SHA-512";
    };
    return new Sha(alg, base64(m.group(2), "sha salting format"), base64(m.group(3), "sha salt"),
        base64(m.group(4), "sha hash"));
  }

  private record Ssha(String algorithm, byte[] salt, byte[] hash) {}

  private static Ssha ssha(String hash) {
    Matcher m = SSHA.matcher(hash);
    if (!m.matches()) {
      throw new PasswordHashException("malformed SSHA hash");
    }
    int digestLength;
    String alg;
    switch (m.group(1)) {
      case "SSHA" -> {
        alg = "SHA-1";
        digestLength = 20;
      }
      case "SSHA256" -> {
        alg = "SHA-256";
        digestLength = 32;
      }
      default -> {
        alg = "SHA-512";
        digestLength = 64;
      }
    }
    byte[] decoded = base64(m.group(2), "SSHA value");
    if (decoded.length < digestLength + 1) {
      throw new PasswordHashException("SSHA value too short for a salt");
    }
    byte[] digest = java.util.Arrays.copyOfRange(decoded, 0, digestLength);
    byte[] salt = java.util.Arrays.copyOfRange(decoded, digestLength, decoded.length);
    return new Ssha(alg, salt, digest);
  }

  private record Md5(byte[] format, byte[] salt, byte[] hash) {}

  private static Md5 md5(String hash) {
    Matcher m = MD5.matcher(hash);
    if (!m.matches()) {
      throw new PasswordHashException("malformed md5 hash: expected $md5$hash or $md5$pf=..$salt$hash");
    }
    if (m.group(1) == null) {
      return new Md5(null, null, base64(m.group(3), "md5 hash"));
    }
    return new Md5(base64(m.group(1), "md5 salting format"), base64(m.group(2), "md5 salt"), base64(m.group(3),
        "md5 hash"));
  }

  private record Hmac(String algorithm, byte[] hash, byte[] key) {}

  private static Hmac hmac(String hash) {
    Matcher m = HMAC.matcher(hash);
    if (!m.matches()) {
      throw new PasswordHashException("malformed hmac hash: expected $hmac-sha256$hash$key");
    }
    return new Hmac(m.group(1), base64(m.group(2), "hmac hash"), base64(m.group(3), "hmac key"));
  }

  private static byte[] hmacOf(String alg, byte[] key, byte[] data) {
    if (alg.equals("md4")) {
      HMac mac = new HMac(new MD4Digest());
      mac.init(new KeyParameter(key));
      mac.update(data, 0, data.length);
      byte[] out = new byte[mac.getMacSize()];
      mac.doFinal(out, 0);
      return out;
    }
    String jca = switch (alg) {
      case "md5" -> "HmacMD5";
      case "sha1" -> "HmacSHA1";
      case "sha224" -> "HmacSHA224";
      case "sha256" -> "HmacSHA256";
      case "sha384" -> "HmacSHA384";
      default -> "HmacSHA512";
    };
    try {
      Mac mac = Mac.getInstance(jca);
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, jca));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(jca + " is required", e);
    }
  }

  // ---- helpers ----

  private static byte[] format(byte[] format, byte[] salt, byte[] password) {
    String f = new String(format, StandardCharsets.UTF_8);
    return f.replace("{SALT}", new String(salt, StandardCharsets.UTF_8))
        .replace("{PASSWORD}", new String(password, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] digest(String alg, byte[] data) {
    try {
      return MessageDigest.getInstance(alg).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(alg + " is required", e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static long number(String s, String what) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new PasswordHashException(what + " is not a number");
    }
  }

  private static byte[] rawBase64(String s, String what) {
    try {
      if (s.endsWith("=")) {
        throw new IllegalArgumentException("padded");
      }
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new PasswordHashException(what + " is not unpadded base64");
    }
  }

  private static byte[] base64(String s, String what) {
    try {
      if (s.length() % 4 != 0) {
        throw new IllegalArgumentException("unpadded");
      }
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new PasswordHashException(what + " is not base64");
    }
  }
}
