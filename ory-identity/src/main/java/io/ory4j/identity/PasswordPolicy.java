package io.ory4j.identity;

import io.ory4j.identity.spi.BreachedPasswords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Kratos' password policy: a minimum length (default 8), a maximum of 72 bytes (bcrypt's limit), no password too
 * similar to the identifier (Levenshtein distance under 5 or a common substring over half the password, as
 * Kratos), and no breached password.
 */
public final class PasswordPolicy {

  private final int minLength;
  private final boolean identifierSimilarityCheck;
  private final BreachedPasswords breached;

  public PasswordPolicy(int minLength, boolean identifierSimilarityCheck, BreachedPasswords breached) {
    if (minLength < 6) {
      throw new IllegalArgumentException("selfservice.methods.password.config.min_password_length must be >= 6");
    }
    this.minLength = minLength;
    this.identifierSimilarityCheck = identifierSimilarityCheck;
    this.breached = Objects.requireNonNull(breached, "breached");
  }

  /** Kratos' defaults with the offline breached-password list. */
  public static PasswordPolicy kratosDefaults() {
    return new PasswordPolicy(8, true, offlineList());
  }

  /** The offline list shipped with ory4j (the most common breached passwords). */
  public static BreachedPasswords offlineList() {
    Set<String> words = new HashSet<>();
    try (InputStream in = PasswordPolicy.class.getResourceAsStream("/identity/breached-passwords.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(in),
            StandardCharsets.UTF_8))) {
      r.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(words::add);
    } catch (IOException e) {
      throw new IllegalStateException("the breached-password list is missing from the classpath", e);
    }
    Set<String> frozen = Set.copyOf(words);
    return password -> frozen.contains(password) || frozen.contains(password.toLowerCase(Locale.ROOT));
  }

  /**
   * Checks a password for an identifier.
   *
   * @throws IdentityException 400 with Kratos' message (4000005, 4000031 or 4000034)
   */
  public void check(String identifier, String password) {
    int length = password.codePointCount(0, password.length());
    if (length < minLength) {
      throw new IdentityException(400, UiMessage.passwordPolicy("password length must be at least " + minLength
          + " characters but only got " + length));
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
      throw new IdentityException(400, UiMessage.passwordPolicy("passwords are limited to a maximum length of 72 "
          + "characters"));
    }
    if (identifierSimilarityCheck && !identifier.isEmpty()) {
      String id = identifier.toLowerCase(Locale.ROOT);
      String pw = password.toLowerCase(Locale.ROOT);
      if (levenshtein(id, pw) < 5 || (double) longestCommonSubstring(id, pw) / pw.length() > 0.5) {
        throw new IdentityException(400, UiMessage.passwordTooSimilar());
      }
    }
    if (breached.isBreached(password)) {
      throw new IdentityException(400, UiMessage.passwordBreached());
    }
  }

  static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static int longestCommonSubstring(String a, String b) {
    int best = 0;
    int[] prev = new int[b.length() + 1];
    for (int i = 1; i <= a.length(); i++) {
      int[] cur = new int[b.length() + 1];
      for (int j = 1; j <= b.length(); j++) {
        if (a.charAt(i - 1) == b.charAt(j - 1)) {
          cur[j] = prev[j - 1] + 1;
          best = Math.max(best, cur[j]);
        }
      }
      prev = cur;
    }
    return best;
  }
}
