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
 * @param fapi2 the FAPI 2.0 Security Profile (final, 2025), which Hydra cannot pass. At {@code build()} it switches
 *     on everything the profile requires: the three protections above, pushed authorization requests for every
 *     request (request URIs living under 10 minutes), PKCE with S256 for every client, authorization codes living
 *     at most 60 seconds, DPoP (sender-constrained access tokens; a token request without a proof is refused), and
 *     signing with PS256, ES256 or EdDSA (PS256 where an RS algorithm was set, ES256 for ES384/ES512), and a
 *     60-second refresh-token grace period where none was set (FAPI 2.0 allows rotation only where a client that lost
 *     the answer can retry with the previous token). It refuses
 *     what the profile forbids: public clients and every client authentication but {@code private_key_jwt}
 *     (registration and use), response types other than {@code code}, client assertions, request objects and DPoP
 *     proofs signed with other algorithms, client assertions whose {@code aud} is not the issuer identifier as a
 *     single string, and pushed requests without {@code redirect_uri}. Discovery advertises exactly that.
 */
public record SecuritySettings(boolean authorizationResponseIss, boolean refuseAccessTokensInAuthorizationResponse,
    boolean secureRedirectUris, boolean fapi2) {

  /** The JWS algorithms the FAPI 2.0 Security Profile allows (section 5.4.1). */
  public static final java.util.List<String> FAPI2_ALGORITHMS = java.util.List.of("PS256", "ES256", "EdDSA");

  /** The three RFC 9700 / RFC 9207 protections, without the FAPI 2.0 profile. */
  public SecuritySettings(boolean authorizationResponseIss, boolean refuseAccessTokensInAuthorizationResponse,
      boolean secureRedirectUris) {
    this(authorizationResponseIss, refuseAccessTokensInAuthorizationResponse, secureRedirectUris, false);
  }

  /** Hydra's behaviour: none of the extra protections. */
  public static SecuritySettings defaults() {
    return new SecuritySettings(false, false, false, false);
  }

  /** Every RFC 9700 / RFC 9207 protection of this record on (not the FAPI 2.0 profile). */
  public static SecuritySettings bestCurrentPractice() {
    return new SecuritySettings(true, true, true, false);
  }

  /** The FAPI 2.0 Security Profile, with every protection of this record on. */
  public static SecuritySettings fapi2SecurityProfile() {
    return new SecuritySettings(true, true, true, true);
  }

  public SecuritySettings withAuthorizationResponseIss(boolean v) {
    return new SecuritySettings(v, refuseAccessTokensInAuthorizationResponse, secureRedirectUris, fapi2);
  }

  public SecuritySettings withRefuseAccessTokensInAuthorizationResponse(boolean v) {
    return new SecuritySettings(authorizationResponseIss, v, secureRedirectUris, fapi2);
  }

  public SecuritySettings withSecureRedirectUris(boolean v) {
    return new SecuritySettings(authorizationResponseIss, refuseAccessTokensInAuthorizationResponse, v, fapi2);
  }

  /** This record with the FAPI 2.0 profile on or off; on, it also turns the three protections on. */
  public SecuritySettings withFapi2(boolean v) {
    return v ? fapi2SecurityProfile()
        : new SecuritySettings(authorizationResponseIss, refuseAccessTokensInAuthorizationResponse, secureRedirectUris,
            false);
  }
}
