package io.ory4j.accessrules.spi;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Oathkeeper's {@code MatchContext}: what matched, for templates.
 *
 * @param regexpCaptureGroups the {@code <...>} capture groups of the matched rule (empty for glob)
 * @param url the request URL, with the query
 * @param method the method
 * @param header the request headers
 */
public record MatchContext(List<String> regexpCaptureGroups, URI url, String method,
    Map<String, List<String>> header) {
  public MatchContext {
    regexpCaptureGroups = List.copyOf(regexpCaptureGroups);
    header = Map.copyOf(header);
  }
}
