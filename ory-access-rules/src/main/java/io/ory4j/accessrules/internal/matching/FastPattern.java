package io.ory4j.accessrules.internal.matching;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The two most common rule shapes, matched without a regexp engine: a fully literal URL, and a literal prefix
 * followed by {@code <.*>} (regexp; the rest is the one capture group, and like Go's {@code .} it never spans a
 * newline) or {@code <**>} (glob; anything).
 */
final class FastPattern extends UrlPattern {
  private final String literal;
  private final boolean prefix;
  private final boolean capture;

  FastPattern(String source, String literal, boolean prefix, boolean capture) {
    super(source, List.of(literal));
    this.literal = literal;
    this.prefix = prefix;
    this.capture = capture;
  }

  @Override
  public boolean matches(String url) {
    if (!prefix) {
      return url.equals(literal);
    }
    return url.startsWith(literal) && (!capture || url.indexOf('\n', literal.length()) < 0);
  }

  @Override
  public @Nullable List<String> match(String url) {
    if (!matches(url)) {
      return null;
    }
    return prefix && capture ? List.of(url.substring(literal.length())) : List.of();
  }

  @Override
  public String engine() {
    return prefix ? "prefix" : "literal";
  }
}
