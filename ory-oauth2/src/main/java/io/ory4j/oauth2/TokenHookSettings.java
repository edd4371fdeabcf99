package io.ory4j.oauth2;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A token web hook as Hydra's {@code oauth2.token_hook} (called before every token endpoint answer) or
 * {@code oauth2.refresh_token_hook} (older Hydra's, called for the refresh token grant only): the hook receives the
 * session and request as JSON and answers 200 with new session claims, 204 to keep them, or 403 to deny the request.
 *
 * @param url where the hook is POSTed ({@code url})
 * @param auth the API key sent with each call ({@code auth.type: api_key}), or null
 * @param timeout how long a call may take before the token request fails with {@code server_error}
 */
public record TokenHookSettings(URI url, @Nullable ApiKey auth, Duration timeout) {

  public TokenHookSettings {
    Objects.requireNonNull(url, "oauth2.token_hook.url is required");
    if (!url.isAbsolute() || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
      throw new IllegalArgumentException("oauth2.token_hook.url must be an absolute http or https URL");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("oauth2.token_hook timeout must be a positive duration");
    }
  }

  /** A hook at {@code url} without authentication and a 10-second timeout. */
  public static TokenHookSettings at(URI url) {
    return new TokenHookSettings(url, null, Duration.ofSeconds(10));
  }

  public TokenHookSettings withAuth(ApiKey v) {
    return new TokenHookSettings(url, Objects.requireNonNull(v), timeout);
  }

  public TokenHookSettings withTimeout(Duration v) {
    return new TokenHookSettings(url, auth, v);
  }

  /** Where the API key goes ({@code auth.config.in}). */
  public enum In {
    HEADER, COOKIE;

    /** {@code header} or {@code cookie}. */
    public static In parse(String v) {
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "header" -> HEADER;
        case "cookie" -> COOKIE;
        default -> throw new IllegalArgumentException("oauth2.token_hook.auth.config.in must be 'header' or 'cookie'");
      };
    }
  }

  /**
   * Hydra's {@code auth: {type: api_key, config: {in, name, value}}}.
   *
   * @param in a header or a cookie
   * @param name the header or cookie name
   * @param value the key (never logged)
   */
  public record ApiKey(In in, String name, String value) {
    public ApiKey {
      Objects.requireNonNull(in, "oauth2.token_hook.auth.config.in");
      if (name == null || name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':' && c != '=')) {
        throw new IllegalArgumentException("oauth2.token_hook.auth.config.name must be a header or cookie name");
      }
      if (value == null || value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new IllegalArgumentException("oauth2.token_hook.auth.config.value must be set and printable");
      }
    }

    @Override
    public String toString() {
      return "ApiKey[" + in + " " + name + ", value redacted]";
    }
  }
}
