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

  private CompiledPattern(String source, @Nullable String literal, String prefix, @Nullable Pattern regex) {
    this.source = source;
    this.literal = literal;
    this.prefix = prefix;
    this.regex = regex;
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
    return regex.matches(value);
  }

  @Override
  public String toString() {
    return source;
  }
}
