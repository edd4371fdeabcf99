package io.ory4j.oauth2;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the host's login, consent and logout UI lives (Hydra's {@code urls.*}) and how the flow's cookies are set.
 *
 * @param loginUrl {@code urls.login}: gets {@code login_challenge}
 * @param consentUrl {@code urls.consent}: gets {@code consent_challenge}
 * @param logoutUrl {@code urls.logout}: gets {@code logout_challenge}
 * @param postLogoutRedirectUrl {@code urls.post_logout_redirect}: where a logout ends without a client's URI
 * @param flowLifespan {@code ttl.login_consent_request}, 30m by default
 * @param secureCookies send the cookies with {@code Secure} (turn off only for plain-HTTP development)
 */
public record ConsentSettings(URI loginUrl, URI consentUrl, URI logoutUrl, URI postLogoutRedirectUrl,
    Duration flowLifespan, boolean secureCookies) {

  public ConsentSettings {
    Objects.requireNonNull(loginUrl, "urls.login");
    Objects.requireNonNull(consentUrl, "urls.consent");
    Objects.requireNonNull(logoutUrl, "urls.logout");
    Objects.requireNonNull(postLogoutRedirectUrl, "urls.post_logout_redirect");
    if (flowLifespan == null || flowLifespan.isNegative() || flowLifespan.isZero()) {
      throw new IllegalArgumentException("ttl.login_consent_request must be a positive duration");
    }
  }

  /** The login, consent and logout pages of one app at {@code base} ({@code /login}, {@code /consent}...). */
  public static ConsentSettings at(URI base) {
    String b = base.toString().replaceAll("/+$", "");
    return new ConsentSettings(URI.create(b + "/login"), URI.create(b + "/consent"), URI.create(b + "/logout"),
        URI.create(b + "/logged-out"), Duration.ofMinutes(30), true);
  }

  public ConsentSettings withSecureCookies(boolean v) {
    return new ConsentSettings(loginUrl, consentUrl, logoutUrl, postLogoutRedirectUrl, flowLifespan, v);
  }
}
