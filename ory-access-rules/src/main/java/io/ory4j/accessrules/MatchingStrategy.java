package io.ory4j.accessrules;

import java.util.Locale;

/** Oathkeeper's {@code access_rules.matching_strategy}. */
public enum MatchingStrategy {
  /** {@code <...>} parts are regular expressions (the default). */
  REGEXP,
  /** {@code <...>} parts are globs, with {@code .} and {@code /} as separators. */
  GLOB;

  /** Parses {@code regexp} or {@code glob} (empty means regexp, as in Oathkeeper). */
  public static MatchingStrategy parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "", "regexp" -> REGEXP;
      case "glob" -> GLOB;
      default -> throw new IllegalArgumentException("unknown matching strategy \"" + s + "\": use regexp or glob");
    };
  }
}
