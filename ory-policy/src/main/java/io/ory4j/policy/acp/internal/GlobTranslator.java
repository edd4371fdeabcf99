package io.ory4j.policy.acp.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Translates a gobwas/glob pattern with the separator {@code :} (Keto's {@code glob.match(pattern, [":"], value)})
 * into an RE2 expression, following gobwas/glob's lexer: {@code *} is any run of non-separators, {@code **} any run,
 * {@code ?} one non-separator, {@code [..]} / {@code [!..]} a character list or a single {@code lo-hi} range (any
 * character, separators included), {@code {a,b}} alternatives (nesting allowed), {@code \} escapes the next
 * character. Outside braces, {@code ,} and {@code }} are literal; {@code ]} is literal outside a class.
 */
final class GlobTranslator {

  private static final String NOT_SEP = "[^:]";

  private final String p;
  private int pos;
  private final StringBuilder prefix = new StringBuilder();
  private boolean inPrefix = true;
  private boolean literal = true;
  /** Set while the pattern is still "literal, one star or double star, literal". */
  private boolean simple = true;
  private int stars = 0;
  private boolean superStar;
  private final StringBuilder suffix = new StringBuilder();

  GlobTranslator(String pattern) {
    this.p = pattern;
  }

  CompiledPattern translate() {
    StringBuilder re = new StringBuilder("(?s)");
    sequence(re, 0);
    if (pos < p.length()) {
      throw new InvalidPatternException("unexpected \"" + p.charAt(pos) + "\" at " + pos);
    }
    if (literal) {
      return CompiledPattern.literal(p, prefix.toString());
    }
    try {
      Pattern compiled = Pattern.compile(re.toString());
      if (simple && stars == 1) {
        return CompiledPattern.prefixAnySuffix(p, prefix.toString(), suffix.toString(), superStar ? -1 : ':',
            compiled);
      }
      return CompiledPattern.regex(p, prefix.toString(), compiled);
    } catch (PatternSyntaxException e) {
      throw new InvalidPatternException("invalid glob: " + e.getDescription());
    }
  }

  private void wildcard() {
    inPrefix = false;
    literal = false;
  }

  /** Reads until the end, or (inside braces) until an unescaped {@code ,} or {@code }}. */
  private void sequence(StringBuilder re, int termsLevel) {
    while (pos < p.length()) {
      int c = p.codePointAt(pos);
      if (termsLevel > 0 && (c == ',' || c == '}')) {
        return;
      }
      pos += Character.charCount(c);
      switch (c) {
        case '*' -> {
          wildcard();
          stars++;
          simple &= termsLevel == 0;
          if (pos < p.length() && p.charAt(pos) == '*') {
            pos++;
            superStar = true;
            re.append(".*");
          } else {
            re.append(NOT_SEP).append('*');
          }
        }
        case '?' -> {
          simple = false;
          wildcard();
          re.append(NOT_SEP);
        }
        case '[' -> {
          simple = false;
          wildcard();
          charClass(re);
        }
        case '{' -> {
          simple = false;
          wildcard();
          re.append("(?:");
          while (true) {
            sequence(re, termsLevel + 1);
            if (pos >= p.length()) {
              throw new InvalidPatternException("unclosed \"{\"");
            }
            char d = p.charAt(pos++);
            if (d == '}') {
              break;
            }
            re.append('|');
          }
          re.append(')');
        }
        case '\\' -> {
          if (pos < p.length()) {
            int e = p.codePointAt(pos);
            pos += Character.charCount(e);
            literal(re, e);
          }
          // a trailing backslash is dropped, as gobwas/glob's lexer does
        }
        default -> literal(re, c);
      }
    }
  }

  private void literal(StringBuilder re, int c) {
    if (inPrefix) {
      prefix.appendCodePoint(c);
    } else {
      suffix.appendCodePoint(c);
    }
    appendQuoted(re, c);
  }

  private static void appendQuoted(StringBuilder re, int c) {
    if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '_')) {
      re.append((char) c);
    } else {
      re.append("\\x{").append(Integer.toHexString(c)).append('}');
    }
  }

  private int next(String what) {
    if (pos >= p.length()) {
      throw new InvalidPatternException("unclosed \"[\": expected " + what);
    }
    int c = p.codePointAt(pos);
    pos += Character.charCount(c);
    return c;
  }

  private void charClass(StringBuilder re) {
    boolean not = false;
    int c = next("a character");
    if (c == '!') {
      not = true;
      c = next("a character");
    }
    re.append('[').append(not ? "^" : "");
    if (c == ']' ) {
      throw new InvalidPatternException("empty character class at " + (pos - 1));
    }
    if (pos < p.length() && p.charAt(pos) == '-') {
      pos++;
      int hi = next("the end of the range");
      if (hi < c) {
        throw new InvalidPatternException("invalid range " + new String(Character.toChars(c)) + "-"
            + new String(Character.toChars(hi)));
      }
      if (next("\"]\"") != ']') {
        throw new InvalidPatternException("expected \"]\" after a range");
      }
      appendQuoted(re, c);
      re.append('-');
      appendQuoted(re, hi);
      re.append(']');
      return;
    }
    // a list: text up to "]", with escapes
    pos -= Character.charCount(c);
    boolean any = false;
    while (true) {
      int d = next("\"]\"");
      if (d == ']') {
        break;
      }
      if (d == '\\') {
        if (pos >= p.length()) {
          throw new InvalidPatternException("unclosed \"[\"");
        }
        d = next("a character");
      }
      appendQuoted(re, d);
      any = true;
    }
    if (!any) {
      throw new InvalidPatternException("empty character class");
    }
    re.append(']');
  }
}
