package io.ory4j.accessrules.internal.handlers;

import java.util.List;
import java.util.Locale;

/** Fosite's scope strategies, as Oathkeeper's {@code scope_strategy} names them. */
enum ScopeStrategy {
  NONE, EXACT, HIERARCHIC, WILDCARD;

  static ScopeStrategy parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "", "none" -> NONE;
      case "exact" -> EXACT;
      case "hierarchic" -> HIERARCHIC;
      case "wildcard" -> WILDCARD;
      default -> throw new IllegalArgumentException("must be one of hierarchic, exact, wildcard, none");
    };
  }

  /** Whether the granted scopes satisfy {@code needle}. */
  boolean matches(List<String> granted, String needle) {
    return switch (this) {
      case NONE -> false;
      case EXACT -> granted.contains(needle);
      case HIERARCHIC -> hierarchic(granted, needle);
      case WILDCARD -> wildcard(granted, needle);
    };
  }

  private static boolean hierarchic(List<String> haystack, String needle) {
    for (String h : haystack) {
      if (h.equals(needle)) {
        return true;
      }
      if (h.length() > needle.length()) {
        continue;
      }
      String[] n = needle.split("\\.", -1);
      String[] g = h.split("\\.", -1);
      for (int k = 0; k < n.length; k++) {
        if (g.length - 1 < k) {
          return true;
        }
        if (!g[k].equals(n[k])) {
          break;
        }
      }
    }
    return false;
  }

  private static boolean wildcard(List<String> matchers, String needle) {
    String[] needleParts = needle.split("\\.", -1);
    for (String matcher : matchers) {
      String[] parts = matcher.split("\\.", -1);
      if (parts.length > needleParts.length) {
        continue;
      }
      boolean noteq = false;
      for (int k = 0; k < parts.length; k++) {
        String c = parts[k];
        if (k == parts.length - 1 && parts.length != needleParts.length && !c.equals("*")) {
          noteq = true;
          break;
        }
        if (c.equals("*") && !needleParts[k].isEmpty()) {
          continue;
        }
        if (!c.equals(needleParts[k])) {
          noteq = true;
          break;
        }
      }
      if (!noteq) {
        return true;
      }
    }
    return false;
  }
}
