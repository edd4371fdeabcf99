package io.ory4j.accessrules;

import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The outcome of running a request through the access rules. */
public sealed interface AccessDecision {

  /**
   * The request may proceed.
   *
   * @param rule the matched rule
   * @param subject the authenticated subject
   * @param headers the headers the mutators set for the upstream
   * @param request the request as judged: the one passed in, or, when the rule's authorizer read a streamed body,
   *     a copy whose {@link HttpRequest#body()} and {@link HttpRequest#bodyStream()} give the buffered bytes (what
   *     must go downstream, since the original stream has been read)
   */
  record Allowed(Rule rule, String subject, Map<String, List<String>> headers, HttpRequest request)
      implements AccessDecision {
    public Allowed {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(request, "request");
      headers = Map.copyOf(headers);
    }
  }

  /**
   * The request is refused; the error handler's response answers it.
   *
   * @param rule the matched rule, or null when no rule (or more than one) matched
   * @param error the error
   * @param response the error handler's response
   */
  record Denied(@Nullable Rule rule, OryException error, HttpResponse response) implements AccessDecision {
    public Denied {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(response, "response");
    }
  }
}
