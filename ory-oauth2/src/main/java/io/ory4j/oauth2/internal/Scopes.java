package io.ory4j.oauth2.internal;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Scope strings and Hydra's scope strategies ({@code exact} and {@code wildcard}). */
public final class Scopes {
  private Scopes() {}

  /** Splits a space-delimited scope string; null or blank gives an empty list. */
  public static List<String> split(@Nullable String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.stream(s.trim().split("\\s+")).distinct().toList();
  }

  /** True when {@code allowed} (a client's scopes) covers {@code needle} under the strategy. */
  public static boolean matches(boolean wildcard, List<String> allowed, String needle) {
    if (!wildcard) {
      return allowed.contains(needle);
    }
    String[] needleParts = needle.split("\\.", -1);
    for (String matcher : allowed) {
      String[] m = matcher.split("\\.", -1);
      if (m.length > needleParts.length) {
        continue;
      }
      boolean eq = true;
      for (int k = 0; k < m.length; k++) {
        String c = m[k];
        if (k == m.length - 1 && m.length != needleParts.length && !"*".equals(c)) {
          eq = false;
          break;
        }
        if ("*".equals(c) && !needleParts[k].isEmpty()) {
          continue;
        }
        if (!c.equals(needleParts[k])) {
          eq = false;
          break;
        }
      }
      if (eq) {
        return true;
      }
    }
    return false;
  }
}
