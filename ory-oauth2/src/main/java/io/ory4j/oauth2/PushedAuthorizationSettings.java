package io.ory4j.oauth2;

import java.time.Duration;

/**
 * Pushed authorization requests (RFC 9126, {@code /oauth2/par}).
 *
 * @param lifespan how long a {@code request_uri} may be used (once); 60 seconds by default
 * @param required every client must push its authorization requests (discovery's
 *     {@code require_pushed_authorization_requests}); a client can require it for itself with its
 *     {@code require_pushed_authorization_requests} metadata
 */
public record PushedAuthorizationSettings(Duration lifespan, boolean required) {

  public PushedAuthorizationSettings {
    if (lifespan == null || lifespan.isNegative() || lifespan.isZero() || lifespan.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("oauth2.pushed_authorization_requests lifespan must be between 1s and 1h");
    }
  }

  /** 60-second request URIs; pushing is optional unless a client requires it. */
  public static PushedAuthorizationSettings defaults() {
    return new PushedAuthorizationSettings(Duration.ofSeconds(60), false);
  }

  public PushedAuthorizationSettings withRequired(boolean v) {
    return new PushedAuthorizationSettings(lifespan, v);
  }

  public PushedAuthorizationSettings withLifespan(Duration v) {
    return new PushedAuthorizationSettings(v, required);
  }
}
