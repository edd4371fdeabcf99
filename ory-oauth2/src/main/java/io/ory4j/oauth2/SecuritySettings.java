package io.ory4j.oauth2;

/**
 * Opt-in protections beyond Hydra's defaults, from the OAuth 2.0 Security Best Current Practice (RFC 9700) and RFC
 * 9207. All are off by default (Hydra's behaviour); {@link #bestCurrentPractice()} turns every one on. PKCE for every
 * client is {@link TokenSettings#withEnforcePkce(boolean)}.
 *
 * @param authorizationResponseIss RFC 9207: every authorization response, success or error, carries {@code iss}, and
 *     discovery says {@code authorization_response_iss_parameter_supported}, so a client talking to several
 *     providers detects a mix-up
 * @param refuseAccessTokensInAuthorizationResponse RFC 9700 section 2.1.2: response types that return an access
 *     token from the authorization endpoint ({@code token}, {@code code token}, {@code id_token token}...) are
 *     refused ({@code unsupported_response_type}), not registered, and not advertised
 * @param secureRedirectUris RFC 9700 section 4.1 and RFC 8252 section 8.3: a client may only register redirect URIs
 *     that are {@code https}, {@code http} on a loopback IP literal (native apps), or a private-use scheme with a
 *     period (say {@code com.example.app:/cb}); others are refused with {@code invalid_redirect_uri}
 */
public record SecuritySettings(boolean authorizationResponseIss, boolean refuseAccessTokensInAuthorizationResponse,
    boolean secureRedirectUris) {

  /** Hydra's behaviour: none of the extra protections. */
  public static SecuritySettings defaults() {
    return new SecuritySettings(false, false, false);
  }

  /** Every protection of this record on. */
  public static SecuritySettings bestCurrentPractice() {
    return new SecuritySettings(true, true, true);
  }

  public SecuritySettings withAuthorizationResponseIss(boolean v) {
    return new SecuritySettings(v, refuseAccessTokensInAuthorizationResponse, secureRedirectUris);
  }

  public SecuritySettings withRefuseAccessTokensInAuthorizationResponse(boolean v) {
    return new SecuritySettings(authorizationResponseIss, v, secureRedirectUris);
  }

  public SecuritySettings withSecureRedirectUris(boolean v) {
    return new SecuritySettings(authorizationResponseIss, refuseAccessTokensInAuthorizationResponse, v);
  }
}
