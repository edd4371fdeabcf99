package io.ory4j.accessrules.internal.matching;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One rule as the matcher sees it.
 *
 * @param position the rule's position in load order
 * @param methods the methods, upper-case
 * @param pattern the compiled URL pattern
 */
public record MatchTarget(int position, Set<String> methods, UrlPattern pattern) {
  public MatchTarget {
    methods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  /** Oathkeeper's check: the method is one of the rule's (case-insensitive) and the URL matches. */
  public boolean matchesMethod(String method) {
    return methods.contains(method.toUpperCase(Locale.ROOT));
  }
}
