package io.ory4j.accessrules.internal;

import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Oathkeeper's answer to a remote authorizer that answered 429: "Too many requests", with the remote's rate-limit
 * headers ({@code Retry-After}, {@code X-Ratelimit-Limit}, {@code -Remaining}, {@code -Reset}, {@code -Type}), which
 * the pipeline adds to the error handler's response.
 */
public final class RateLimitedException extends OryException {
  private static final long serialVersionUID = 1L;

  /** The headers Oathkeeper propagates from a 429. */
  public static final List<String> HEADERS = List.of("Retry-After", "X-Ratelimit-Limit", "X-Ratelimit-Remaining",
      "X-Ratelimit-Reset", "X-Ratelimit-Type");

  private final transient Map<String, String> headers;

  private RateLimitedException(OryError error, @Nullable Throwable cause, Map<String, String> headers) {
    super(error, cause);
    this.headers = Map.copyOf(headers);
  }

  /** From the remote's answer: {@code header} looks a response header up by name. */
  public static RateLimitedException of(Function<String, Optional<String>> header) {
    Map<String, String> h = new LinkedHashMap<>();
    for (String name : HEADERS) {
      header.apply(name).filter(v -> !v.isEmpty()).ifPresent(v -> h.put(name, v));
    }
    return new RateLimitedException(OryException.of(429, "Too many requests").error(), null, h);
  }

  /** The rate-limit headers to add to the response. */
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  protected OryException copy(OryError newError, @Nullable Throwable cause) {
    return new RateLimitedException(newError, cause, headers);
  }
}
