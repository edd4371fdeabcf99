package io.ory4j.policy.acp.internal;

import com.google.re2j.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A pattern of one flavor, compiled: either a literal (matched by equality) or an RE2/J expression that must match
 * the whole value. {@link #prefix} is the literal text every match starts with, for the index.
 */
public final class CompiledPattern {

  private final String source;
  private final @Nullable String literal;
  private final String prefix;
  private final @Nullable Pattern regex;
  /** For prefix + wildcard + suffix shapes, matched without the regex engine; else null. */
  private final @Nullable String suffix;
  /** The character the wildcard may not match ({@code -1}: none). */
  private final int forbidden;

  private CompiledPattern(String source, @Nullable String literal, String prefix, @Nullable Pattern regex,
      @Nullable String suffix, int forbidden) {
    this.source = source;
    this.literal = literal;
    this.prefix = prefix;
    this.regex = regex;
    this.suffix = suffix;
    this.forbidden = forbidden;
  }

  private CompiledPattern(String source, @Nullable String literal, String prefix, @Nullable Pattern regex) {
    this(source, literal, prefix, regex, null, -1);
  }

  /**
   * A pattern of the shape literal prefix, a wildcard that matches any run of characters other than
   * {@code forbidden} ({@code -1} for any character), literal suffix; {@code regex} is its full equivalent.
   */
  static CompiledPattern prefixAnySuffix(String source, String prefix, String suffix, int forbidden, Pattern regex) {
    return new CompiledPattern(source, null, prefix, regex, suffix, forbidden);
  }

  static CompiledPattern literal(String source, String value) {
    return new CompiledPattern(source, value, value, null);
  }

  static CompiledPattern regex(String source, String prefix, Pattern regex) {
    return new CompiledPattern(source, null, prefix, regex);
  }

  /** A pattern that matches nothing (stored data that no longer compiles). */
  static CompiledPattern nothing(String source) {
    return new CompiledPattern(source, null, "\u0000never", Pattern.compile("[^\\x00-\\x{10FFFF}]"));
  }

  /** The pattern as written. */
  public String source() {
    return source;
  }

  /** The literal value when the pattern has no wildcard, else null. */
  public @Nullable String literal() {
    return literal;
  }

  /** The literal text every matching value starts with (the whole literal for a literal pattern). */
  public String prefix() {
    return prefix;
  }

  /** Whether {@code value} matches the whole pattern. */
  public boolean matches(String value) {
    if (literal != null) {
      return literal.equals(value);
    }
    if (suffix != null) {
      int end = value.length() - suffix.length();
      if (end < prefix.length() || !value.startsWith(prefix) || !value.endsWith(suffix)) {
        return false;
      }
      return forbidden < 0 || value.indexOf(forbidden, prefix.length()) < 0
          || value.indexOf(forbidden, prefix.length()) >= end;
    }
    return regex.matches(value);
  }

  /** Whether {@code value} matches, always through the regular expression (a literal by equality); for tests. */
  public boolean matchesByRegex(String value) {
    return regex == null ? literal.equals(value) : regex.matches(value);
  }

  @Override
  public String toString() {
    return source;
  }
}
