package io.ory4j.accessrules.spi;

import io.ory4j.core.http.HttpRequest;
import java.net.URI;
import java.util.Objects;

/**
 * The request a handler sees.
 *
 * @param request the request (for the decision API: rebuilt from the {@code X-Forwarded-*} headers)
 * @param ruleId the id of the matched rule
 * @param url the full request URL, with the query
 */
public record RequestContext(HttpRequest request, String ruleId, URI url) {
  public RequestContext {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(url, "url");
  }
}
