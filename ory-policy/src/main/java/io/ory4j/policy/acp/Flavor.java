package io.ory4j.policy.acp;

import java.util.Locale;
import java.util.Optional;

/**
 * How a policy's subjects, resources and actions are matched; each flavor has its own policies and roles, as in Keto.
 */
public enum Flavor {
  /** String equality. */
  EXACT,
  /**
   * Glob patterns as the gobwas/glob library reads them with {@code :} as the separator: {@code *} matches within one
   * segment, {@code **} across segments, {@code ?} one character of a segment, {@code [a-z]}, {@code [!abc]},
   * {@code {a,b}} and {@code \} escapes.
   */
  GLOB,
  /**
   * Literal text with regular expressions inside {@code <...>}, e.g. {@code resources:articles:<.*>}; the whole
   * value must match, with RE2 semantics (linear time).
   */
  REGEX;

  /** The name in Keto's paths: {@code exact}, {@code glob} or {@code regex}. */
  public String pathName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The flavor named {@code name} in a Keto path. */
  public static Optional<Flavor> fromPathName(String name) {
    for (Flavor f : values()) {
      if (f.pathName().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
