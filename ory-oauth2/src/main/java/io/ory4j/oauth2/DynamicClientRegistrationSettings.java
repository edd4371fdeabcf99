package io.ory4j.oauth2;

import java.util.List;

/**
 * OpenID Connect Dynamic Client Registration and RFC 7591/7592 on {@code /oauth2/register}, as Hydra's
 * {@code oidc.dynamic_client_registration}: off unless given to
 * {@link OAuth2Provider.Builder#dynamicClientRegistration}.
 *
 * @param defaultScope Hydra's {@code oidc.dynamic_client_registration.default_scope}: the scope a registered client
 *     gets when its registration names none
 */
public record DynamicClientRegistrationSettings(List<String> defaultScope) {

  public DynamicClientRegistrationSettings {
    defaultScope = List.copyOf(defaultScope);
    for (String s : defaultScope) {
      if (s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("oidc.dynamic_client_registration.default_scope: '" + s
            + "' is not a scope token");
      }
    }
  }

  /** Hydra's default: {@code offline_access offline openid}. */
  public static DynamicClientRegistrationSettings defaults() {
    return new DynamicClientRegistrationSettings(List.of("offline_access", "offline", "openid"));
  }

  public DynamicClientRegistrationSettings withDefaultScope(List<String> v) {
    return new DynamicClientRegistrationSettings(v);
  }
}
