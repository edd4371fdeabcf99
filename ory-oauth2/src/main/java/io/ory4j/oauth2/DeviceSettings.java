package io.ory4j.oauth2;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The device authorization grant (RFC 8628), as Hydra: {@code /oauth2/device/auth} issues a device code and a user
 * code; the user opens {@code /oauth2/device/verify}, is sent to the host's verification page with
 * {@code device_challenge}, which submits the user code on the admin API; login and consent follow; the device polls
 * the token endpoint.
 *
 * @param verificationUrl Hydra's {@code urls.device.verification}: the page that asks for the user code
 * @param successUrl Hydra's {@code urls.device.success}: where the browser ends after consent
 * @param lifespan Hydra's {@code ttl.device_user_code}: how long the codes are valid, 10 minutes by default
 * @param interval the least number of seconds between two polls ({@code slow_down} otherwise), 5 by default
 */
public record DeviceSettings(URI verificationUrl, URI successUrl, Duration lifespan, Duration interval) {

  public DeviceSettings {
    Objects.requireNonNull(verificationUrl, "urls.device.verification");
    Objects.requireNonNull(successUrl, "urls.device.success");
    if (lifespan == null || lifespan.isNegative() || lifespan.isZero()) {
      throw new IllegalArgumentException("ttl.device_user_code must be a positive duration");
    }
    if (interval == null || interval.toSeconds() < 1 || interval.compareTo(lifespan) >= 0) {
      throw new IllegalArgumentException("the device polling interval must be at least 1s and below the lifespan");
    }
  }

  /** The verification and success pages, 10-minute codes, 5-second polling. */
  public static DeviceSettings of(URI verificationUrl, URI successUrl) {
    return new DeviceSettings(verificationUrl, successUrl, Duration.ofMinutes(10), Duration.ofSeconds(5));
  }
}
