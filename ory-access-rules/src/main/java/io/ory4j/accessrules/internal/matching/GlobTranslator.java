package io.ory4j.accessrules.internal.matching;

/**
 * Translates a glob (gobwas/glob's syntax, as Oathkeeper uses it, with {@code .} and {@code /} as separators) into
 * an RE2/J regexp: {@code *} is any run of non-separators, {@code **} any run, {@code ?} one non-separator,
 * {@code [abc]}, {@code [a-z]}, {@code [!abc]} character classes, {@code {a,b}} alternatives, {@code \} escapes.
 */
final class GlobTranslator {

  private GlobTranslator() {}

  static String toRegex(String glob) {
    StringBuilder out = new StringBuilder();
    int end = translate(glob, 0, out, false);
    if (end != glob.length()) {
      throw new IllegalArgumentException("invalid glob \"" + glob + "\": unexpected '" + glob.charAt(end)
          + "' at index " + end);
    }
    return out.toString();
  }

  /** Translates from {@code i} until the end, or (inside braces) until an unnested ',' or '}'. */
  private static int translate(String g, int i, StringBuilder out, boolean inBraces) {
    while (i < g.length()) {
      char c = g.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
            out.append("(?:.*)");
            i += 2;
          } else {
            out.append("[^./]*");
            i++;
          }
        }
        case '?' -> {
          out.append("[^./]");
          i++;
        }
        case '[' -> i = charClass(g, i, out);
        case '{' -> {
          out.append("(?:");
          i++;
          while (true) {
            i = translate(g, i, out, true);
            if (i >= g.length()) {
              throw new IllegalArgumentException("invalid glob \"" + g + "\": a { is never closed");
            }
            if (g.charAt(i) == '}') {
              out.append(')');
              i++;
              break;
            }
            out.append('|');
            i++;
          }
        }
        case ',', '}' -> {
          if (inBraces) {
            return i;
          }
          if (c == '}') {
            throw new IllegalArgumentException("invalid glob \"" + g + "\": a } at index " + i + " closes nothing");
          }
          out.append(UrlPattern.quote(String.valueOf(c)));
          i++;
        }
        case '\\' -> {
          if (i + 1 >= g.length()) {
            throw new IllegalArgumentException("invalid glob \"" + g + "\": a trailing \\ escapes nothing");
          }
          out.append(UrlPattern.quote(String.valueOf(g.charAt(i + 1))));
          i += 2;
        }
        default -> {
          out.append(UrlPattern.quote(String.valueOf(c)));
          i++;
        }
      }
    }
    return i;
  }

  private static int charClass(String g, int i, StringBuilder out) {
    int j = i + 1;
    boolean negate = j < g.length() && g.charAt(j) == '!';
    if (negate) {
      j++;
    }
    StringBuilder cls = new StringBuilder(negate ? "[^" : "[");
    int start = j;
    while (j < g.length() && g.charAt(j) != ']') {
      char c = g.charAt(j);
      if (c == '-' && j > start && j + 1 < g.length() && g.charAt(j + 1) != ']') {
        cls.append('-');
      } else if (c == '\\' && j + 1 < g.length()) {
        j++;
        cls.append('\\').append(g.charAt(j));
      } else if ("\\^[]-".indexOf(c) >= 0) {
        cls.append('\\').append(c);
      } else {
        cls.append(c);
      }
      j++;
    }
    if (j >= g.length()) {
      throw new IllegalArgumentException("invalid glob \"" + g + "\": a [ is never closed");
    }
    if (j == start) {
      throw new IllegalArgumentException("invalid glob \"" + g + "\": an empty character class []");
    }
    out.append(cls).append(']');
    return j + 1;
  }
}
