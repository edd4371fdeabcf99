package io.ory4j.identity.oauth2;

import java.util.List;
import java.util.Objects;

/**
 * The HTML pages of a {@link LoginConsentProvider}: a host replaces them with its own templates. Every page gets the
 * values it must submit back ({@code action}, {@code challenge}, {@code csrfToken}); the provider adds the security
 * headers (no framing, no caching, no Referer, a strict content security policy).
 */
public interface LoginConsentPages {

  /** The consent page: a form that POSTs {@code challenge}, {@code csrf_token}, {@code decision} and {@code remember}. */
  String consent(Consent page);

  /** The logout confirmation: a form that POSTs {@code challenge}, {@code csrf_token} and {@code decision}. */
  String logout(Logout page);

  /** The page a logout ends on when no client names another. */
  String loggedOut();

  /**
   * What the consent page shows.
   *
   * @param action where the form POSTs
   * @param challenge the consent challenge, sent back as {@code challenge}
   * @param csrfToken sent back as {@code csrf_token}
   * @param clientId the client's id
   * @param clientName the client's name, or its id when it has none
   * @param logoUri the client's logo, or empty
   * @param scopes the requested scopes
   * @param audience the requested access token audience
   */
  record Consent(String action, String challenge, String csrfToken, String clientId, String clientName,
      String logoUri, List<String> scopes, List<String> audience) {
    public Consent {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(challenge, "challenge");
      Objects.requireNonNull(csrfToken, "csrfToken");
      scopes = List.copyOf(scopes);
      audience = List.copyOf(audience);
    }
  }

  /**
   * What the logout confirmation shows.
   *
   * @param action where the form POSTs
   * @param challenge the logout challenge, sent back as {@code challenge}
   * @param csrfToken sent back as {@code csrf_token}
   */
  record Logout(String action, String challenge, String csrfToken) {
    public Logout {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(challenge, "challenge");
      Objects.requireNonNull(csrfToken, "csrfToken");
    }
  }

  /** Plain pages in the look of Ory's account experience. */
  static LoginConsentPages ory() {
    return OryPages.INSTANCE;
  }
}
