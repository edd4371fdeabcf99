package io.ory4j.identity;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The relying party of Kratos' {@code webauthn} and {@code passkey} methods ({@code selfservice.methods.webauthn.*},
 * {@code selfservice.methods.passkey.*}).
 *
 * @param enabled {@code selfservice.methods.<method>.enabled}
 * @param rpId {@code config.rp.id}: the domain credentials are scoped to, such as {@code example.com}
 * @param rpDisplayName {@code config.rp.display_name}: the name an authenticator shows
 * @param origins {@code config.rp.origins} (or the single {@code config.rp.origin}): the exact origins a browser may
 *     sign from, such as {@code https://auth.example.com}
 * @param passwordless {@code selfservice.methods.webauthn.config.passwordless}: webauthn keys enrolled from now on are
 *     a first factor (sign in without a password) instead of a second factor; ignored for {@code passkey}, which is
 *     always a first factor
 */
public record WebAuthnSettings(boolean enabled, String rpId, String rpDisplayName, List<String> origins,
    boolean passwordless) {

  public WebAuthnSettings {
    Objects.requireNonNull(rpId, "rpId");
    Objects.requireNonNull(rpDisplayName, "rpDisplayName");
    origins = List.copyOf(origins);
    if (enabled) {
      if (rpId.isBlank() || rpId.contains("/") || rpId.contains(":")) {
        throw new IllegalArgumentException("config.rp.id must be a domain such as example.com, not \"" + rpId + "\"");
      }
      if (rpDisplayName.isBlank()) {
        throw new IllegalArgumentException("config.rp.display_name must not be empty");
      }
      if (origins.isEmpty()) {
        throw new IllegalArgumentException("config.rp.origins must name at least one origin");
      }
      for (String o : origins) {
        URI u;
        try {
          u = URI.create(o);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("config.rp.origins: \"" + o + "\" is not a URL", e);
        }
        if (u.getScheme() == null || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty())) {
          throw new IllegalArgumentException("config.rp.origins: \"" + o + "\" must be an origin such as "
              + "https://auth.example.com (scheme, host and optional port, no path)");
        }
      }
    }
  }

  /** The method on, for {@code rpId}, with one or more origins; second factor ({@code passwordless: false}). */
  public static WebAuthnSettings of(String rpId, String rpDisplayName, String... origins) {
    return new WebAuthnSettings(true, rpId, rpDisplayName, List.of(origins), false);
  }

  /** The method off (the default of {@link IdentityService}). */
  public static WebAuthnSettings disabled() {
    return new WebAuthnSettings(false, "", "", List.of(), false);
  }

  /** {@code selfservice.methods.webauthn.config.passwordless}. */
  public WebAuthnSettings withPasswordless(boolean p) {
    return new WebAuthnSettings(enabled, rpId, rpDisplayName, origins, p);
  }
}
