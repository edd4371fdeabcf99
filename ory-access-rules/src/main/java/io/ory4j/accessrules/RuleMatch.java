package io.ory4j.accessrules;

import java.util.List;
import java.util.Objects;

/**
 * What a rule matches: the URL pattern (scheme, host and path, never the query; {@code <...>} delimits regexp or glob
 * parts) and the HTTP methods.
 *
 * @param url the URL pattern, for example {@code https://api.example.com/users/<[0-9]+>}
 * @param methods the HTTP methods, compared case-insensitively
 */
public record RuleMatch(String url, List<String> methods) {
  public RuleMatch {
    Objects.requireNonNull(url, "url");
    methods = List.copyOf(methods);
  }
}
