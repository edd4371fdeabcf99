package io.ory4j.accessrules.internal.matching;

import io.ory4j.accessrules.MatchingStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A compiled rule URL pattern. {@code <...>} parts are regexps or globs; the text between them is literal. As in
 * Oathkeeper (ladon's compiler) the whole pattern is anchored and every {@code <...>} part is a capture group.
 */
public abstract class UrlPattern {

  private final String source;
  private final List<String> literalPrefixes;

  UrlPattern(String source, List<String> literalPrefixes) {
    this.source = source;
    this.literalPrefixes = List.copyOf(literalPrefixes);
  }

  /** The pattern as written in the rule. */
  public String source() {
    return source;
  }

  /** Every URL this pattern matches starts with one of these (an empty string when nothing is known). */
  public List<String> literalPrefixes() {
    return literalPrefixes;
  }

  /** The capture groups when {@code url} matches, else null. Glob patterns capture nothing. */
  public abstract @Nullable List<String> match(String url);

  /** Whether {@code url} matches. */
  public boolean matches(String url) {
    return match(url) != null;
  }

  /** Which engine runs the pattern: {@code re2j} or {@code jdk} (for lookaround, under a deadline). */
  public abstract String engine();

  /**
   * Compiles a rule URL pattern.
   *
   * @throws IllegalArgumentException with the reason when the pattern is invalid
   */
  public static UrlPattern compile(String pattern, MatchingStrategy strategy, Duration deadline) {
    List<int[]> parts = delimiters(pattern);
    List<String> prefixes = prefixes(pattern, parts, strategy);
    if (parts.isEmpty()) {
      return new FastPattern(pattern, pattern, false, false);
    }
    if (parts.size() == 1 && parts.get(0)[1] == pattern.length()) {
      String inner = pattern.substring(parts.get(0)[0] + 1, pattern.length() - 1);
      if (strategy == MatchingStrategy.REGEXP && inner.equals(".*")) {
        return new FastPattern(pattern, pattern.substring(0, parts.get(0)[0]), true, true);
      }
      if (strategy == MatchingStrategy.GLOB && inner.equals("**")) {
        return new FastPattern(pattern, pattern.substring(0, parts.get(0)[0]), true, false);
      }
    }
    if (strategy == MatchingStrategy.GLOB) {
      StringBuilder re = new StringBuilder("^");
      int end = 0;
      for (int[] p : parts) {
        re.append(quote(pattern.substring(end, p[0])));
        re.append(GlobTranslator.toRegex(pattern.substring(p[0] + 1, p[1] - 1)));
        end = p[1];
      }
      re.append(quote(pattern.substring(end))).append('$');
      try {
        return new Re2Pattern(pattern, prefixes, com.google.re2j.Pattern.compile(re.toString(),
            com.google.re2j.Pattern.DOTALL), false);
      } catch (com.google.re2j.PatternSyntaxException e) {
        // for example a reversed range [z-a] (found by HostilePatternProperties)
        throw new IllegalArgumentException("invalid glob: " + e.getDescription());
      }
    }
    StringBuilder re = new StringBuilder("^");
    int end = 0;
    for (int[] p : parts) {
      re.append(quote(pattern.substring(end, p[0])));
      re.append('(').append(pattern, p[0] + 1, p[1] - 1).append(')');
      end = p[1];
    }
    re.append(quote(pattern.substring(end))).append('$');
    String regex = re.toString();
    try {
      return new Re2Pattern(pattern, prefixes, com.google.re2j.Pattern.compile(regex), true);
    } catch (com.google.re2j.PatternSyntaxException re2Error) {
      try {
        return new JdkPattern(pattern, prefixes, java.util.regex.Pattern.compile(regex), deadline);
      } catch (java.util.regex.PatternSyntaxException jdkError) {
        throw new IllegalArgumentException("invalid regular expression: " + jdkError.getDescription()
            + " near index " + jdkError.getIndex() + " of " + regex);
      }
    }
  }

  /** First-level {@code <...>} spans as [start, end) pairs; unbalanced delimiters are an error. */
  static List<int[]> delimiters(String s) {
    List<int[]> out = new ArrayList<>();
    int level = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '<') {
        if (++level == 1) {
          start = i;
        }
      } else if (c == '>') {
        if (--level == 0) {
          out.add(new int[] {start, i + 1});
        } else if (level < 0) {
          throw new IllegalArgumentException("unbalanced < and > in the pattern (a > at index " + i
              + " closes nothing)");
        }
      }
    }
    if (level != 0) {
      throw new IllegalArgumentException("unbalanced < and > in the pattern (a < is never closed)");
    }
    return out;
  }

  private static final java.util.regex.Pattern SIMPLE_ALTERNATION =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]+(\\|[A-Za-z0-9_-]+)*");
  private static final java.util.regex.Pattern SIMPLE_BRACES =
      java.util.regex.Pattern.compile("\\{[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*}|[A-Za-z0-9_-]+");

  /**
   * The literal prefixes: the text before the first {@code <...>}, expanded when that first part is a plain
   * alternation such as {@code <http|https>} or {@code <{http,https}>}.
   */
  static List<String> prefixes(String pattern, List<int[]> parts, MatchingStrategy strategy) {
    if (parts.isEmpty()) {
      return List.of(pattern);
    }
    String head = pattern.substring(0, parts.get(0)[0]);
    String inner = pattern.substring(parts.get(0)[0] + 1, parts.get(0)[1] - 1);
    String tail = pattern.substring(parts.get(0)[1], parts.size() > 1 ? parts.get(1)[0] : pattern.length());
    List<String> alternatives = null;
    if (strategy == MatchingStrategy.REGEXP && SIMPLE_ALTERNATION.matcher(inner).matches()) {
      alternatives = List.of(inner.split("\\|"));
    } else if (strategy == MatchingStrategy.GLOB && SIMPLE_BRACES.matcher(inner).matches()) {
      String body = inner.startsWith("{") ? inner.substring(1, inner.length() - 1) : inner;
      alternatives = List.of(body.split(","));
    }
    if (alternatives == null) {
      return List.of(head);
    }
    List<String> out = new ArrayList<>();
    for (String a : alternatives) {
      String p = head + a + tail;
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Escapes every regexp metacharacter, for both RE2/J and java.util.regex. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return source;
  }
}
