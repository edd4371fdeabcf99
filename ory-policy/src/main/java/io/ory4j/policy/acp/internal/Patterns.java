package io.ory4j.policy.acp.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.ory4j.policy.acp.Flavor;

/**
 * Compiles subject, resource and action patterns of each flavor, each distinct pattern once (a Caffeine cache held by
 * the engine, so recompiling an index after a write reuses the work).
 *
 * <ul>
 *   <li>exact: the pattern is a literal.</li>
 *   <li>glob: gobwas/glob's syntax with {@code :} as the separator, translated to RE2.</li>
 *   <li>regex: Keto's (OPA's {@code regex.template_match}, from ladon) template: literal text with RE2 expressions
 *       between first-level {@code <} and {@code >}; each expression becomes a group, the literal text is quoted,
 *       and the whole value must match.</li>
 * </ul>
 */
public final class Patterns {

  private record Key(Flavor flavor, String pattern) {}

  private final Cache<Key, CompiledPattern> cache;

  public Patterns(long maximumSize) {
    this.cache = Caffeine.newBuilder().maximumSize(maximumSize).build();
  }

  /** The compiled pattern; throws {@link InvalidPatternException} when it does not compile. */
  public CompiledPattern compile(Flavor flavor, String pattern) {
    Key k = new Key(flavor, pattern);
    CompiledPattern c = cache.getIfPresent(k);
    if (c == null) {
      c = compileUncached(flavor, pattern);
      cache.put(k, c);
    }
    return c;
  }

  /** Compiles without the cache. */
  public static CompiledPattern compileUncached(Flavor flavor, String pattern) {
    return switch (flavor) {
      case EXACT -> CompiledPattern.literal(pattern, pattern);
      case GLOB -> new GlobTranslator(pattern).translate();
      case REGEX -> regexTemplate(pattern);
    };
  }

  static CompiledPattern regexTemplate(String tpl) {
    int level = 0;
    int start = 0;
    int end = 0;
    StringBuilder re = new StringBuilder();
    String prefix = null;
    for (int i = 0; i < tpl.length(); i++) {
      char ch = tpl.charAt(i);
      if (ch == '<') {
        if (++level == 1) {
          start = i;
        }
      } else if (ch == '>') {
        if (--level == 0) {
          String raw = tpl.substring(end, start);
          String inner = tpl.substring(start + 1, i);
          if (prefix == null) {
            prefix = raw;
          }
          try {
            Pattern.compile(inner);
          } catch (PatternSyntaxException e) {
            throw new InvalidPatternException("invalid regular expression <" + inner + ">: " + e.getDescription());
          }
          quote(raw, re);
          re.append('(').append(inner).append(')');
          end = i + 1;
        } else if (level < 0) {
          throw new InvalidPatternException("unbalanced delimiters < and >");
        }
      }
    }
    if (level != 0) {
      throw new InvalidPatternException("unbalanced delimiters < and >");
    }
    if (prefix == null) {
      return CompiledPattern.literal(tpl, tpl);
    }
    String rest = tpl.substring(end);
    quote(rest, re);
    try {
      Pattern compiled = Pattern.compile(re.toString());
      // the common shape "literal<.*>literal": "." is any character but a newline
      if (re.toString().equals(quoted(prefix) + "(.*)" + quoted(rest))) {
        return CompiledPattern.prefixAnySuffix(tpl, prefix, rest, '\n', compiled);
      }
      return CompiledPattern.regex(tpl, prefix, compiled);
    } catch (PatternSyntaxException e) {
      throw new InvalidPatternException("invalid regular expression: " + e.getDescription());
    }
  }

  private static String quoted(String s) {
    StringBuilder b = new StringBuilder();
    quote(s, b);
    return b.toString();
  }

  /** Appends {@code s} as literal RE2 text (Go's QuoteMeta set, plus every other ASCII punctuation). */
  static void quote(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80 && !Character.isLetterOrDigit(c) && c != '_' && c > ' ') {
        out.append('\\');
      }
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else {
        out.append(c);
      }
    }
  }
}
