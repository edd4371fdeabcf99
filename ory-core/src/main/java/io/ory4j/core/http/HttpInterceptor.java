package io.ory4j.core.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a request goes on to the host's endpoint (with headers changed) or is answered here: the
 * framework-neutral shape of a servlet filter, used by the access-rule pipeline.
 */
@FunctionalInterface
public interface HttpInterceptor {

  Interception intercept(HttpRequest request);

  /** The outcome of {@link #intercept}. */
  sealed interface Interception permits Proceed, Respond {}

  /**
   * Let the request through, with these request headers set (replacing any the client sent) and these removed.
   *
   * @param setHeaders headers to set on the request
   * @param removeHeaders header names to remove from the request
   */
  record Proceed(Map<String, List<String>> setHeaders, List<String> removeHeaders) implements Interception {
    public Proceed {
      setHeaders = Map.copyOf(setHeaders);
      removeHeaders = List.copyOf(removeHeaders);
    }

    /** Proceed unchanged. */
    public static Proceed unchanged() {
      return new Proceed(Map.of(), List.of());
    }
  }

  /** Answer the request with this response instead. */
  record Respond(HttpResponse response) implements Interception {
    public Respond {
      Objects.requireNonNull(response, "response");
    }
  }
}
