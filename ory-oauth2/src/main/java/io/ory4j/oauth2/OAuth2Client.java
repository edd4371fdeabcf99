package io.ory4j.oauth2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An OAuth 2.0 client in Hydra's client JSON (the fields of {@code /admin/clients}). The secret is never part of
 * this value: it is hashed at rest, and shown once, when it is created or replaced.
 *
 * <p>Lists are never null; a missing grant type, response type, scope or authentication method takes Hydra's default
 * when the client is created (see {@link #withDefaults()}). The mutual-TLS fields of RFC 8705
 * ({@code tls_client_auth_subject_dn}, the {@code tls_client_auth_san_*} fields and
 * {@code tls_client_certificate_bound_access_tokens}) are left out of the JSON when unset, so the JSON stays Hydra's.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record OAuth2Client(
    @JsonProperty("client_id") @Nullable ClientId clientId,
    @JsonProperty("client_name") String clientName,
    @JsonProperty("redirect_uris") List<String> redirectUris,
    @JsonProperty("grant_types") List<String> grantTypes,
    @JsonProperty("response_types") List<String> responseTypes,
    @JsonProperty("scope") String scope,
    @JsonProperty("audience") List<String> audience,
    @JsonProperty("owner") String owner,
    @JsonProperty("policy_uri") String policyUri,
    @JsonProperty("tos_uri") String tosUri,
    @JsonProperty("client_uri") String clientUri,
    @JsonProperty("logo_uri") String logoUri,
    @JsonProperty("contacts") List<String> contacts,
    @JsonProperty("token_endpoint_auth_method") String tokenEndpointAuthMethod,
    @JsonProperty("token_endpoint_auth_signing_alg") String tokenEndpointAuthSigningAlg,
    @JsonProperty("jwks_uri") String jwksUri,
    @JsonProperty("jwks") @Nullable Map<String, Object> jwks,
    @JsonProperty("subject_type") String subjectType,
    @JsonProperty("post_logout_redirect_uris") List<String> postLogoutRedirectUris,
    @JsonProperty("frontchannel_logout_uri") String frontchannelLogoutUri,
    @JsonProperty("backchannel_logout_uri") String backchannelLogoutUri,
    @JsonProperty("skip_consent") boolean skipConsent,
    @JsonProperty("access_token_strategy") String accessTokenStrategy,
    @JsonProperty("sector_identifier_uri") String sectorIdentifierUri,
    @JsonProperty("request_uris") List<String> requestUris,
    @JsonProperty("request_object_signing_alg") String requestObjectSigningAlg,
    @JsonProperty("require_pushed_authorization_requests") boolean requirePushedAuthorizationRequests,
    @JsonProperty("dpop_bound_access_tokens") boolean dpopBoundAccessTokens,
    @JsonProperty("tls_client_auth_subject_dn") @JsonInclude(JsonInclude.Include.NON_EMPTY)
    String tlsClientAuthSubjectDn,
    @JsonProperty("tls_client_auth_san_dns") @JsonInclude(JsonInclude.Include.NON_EMPTY) String tlsClientAuthSanDns,
    @JsonProperty("tls_client_auth_san_uri") @JsonInclude(JsonInclude.Include.NON_EMPTY) String tlsClientAuthSanUri,
    @JsonProperty("tls_client_auth_san_ip") @JsonInclude(JsonInclude.Include.NON_EMPTY) String tlsClientAuthSanIp,
    @JsonProperty("tls_client_auth_san_email") @JsonInclude(JsonInclude.Include.NON_EMPTY)
    String tlsClientAuthSanEmail,
    @JsonProperty("tls_client_certificate_bound_access_tokens") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    boolean tlsClientCertificateBoundAccessTokens,
    @JsonProperty("metadata") Map<String, Object> metadata,
    @JsonProperty("created_at") @Nullable Instant createdAt,
    @JsonProperty("updated_at") @Nullable Instant updatedAt) {

  /** The mutual-TLS client authentication methods (RFC 8705 section 2), supported when mutual TLS is on. */
  public static final List<String> TLS_AUTH_METHODS = List.of("tls_client_auth", "self_signed_tls_client_auth");
  /** The client authentication methods this provider supports (and {@link #TLS_AUTH_METHODS} with mutual TLS). */
  public static final List<String> AUTH_METHODS =
      List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt", "none");
  /** The grant types this provider supports. */
  public static final List<String> GRANT_TYPES =
      List.of("authorization_code", "refresh_token", "client_credentials", "implicit");

  public OAuth2Client {
    clientName = orEmpty(clientName);
    redirectUris = copy(redirectUris);
    grantTypes = copy(grantTypes);
    responseTypes = copy(responseTypes);
    scope = orEmpty(scope);
    audience = copy(audience);
    owner = orEmpty(owner);
    policyUri = orEmpty(policyUri);
    tosUri = orEmpty(tosUri);
    clientUri = orEmpty(clientUri);
    logoUri = orEmpty(logoUri);
    contacts = copy(contacts);
    tokenEndpointAuthMethod = orEmpty(tokenEndpointAuthMethod);
    tokenEndpointAuthSigningAlg = orEmpty(tokenEndpointAuthSigningAlg);
    jwksUri = orEmpty(jwksUri);
    jwks = jwks == null || jwks.isEmpty() ? null : Map.copyOf(jwks);
    subjectType = orEmpty(subjectType);
    postLogoutRedirectUris = copy(postLogoutRedirectUris);
    frontchannelLogoutUri = orEmpty(frontchannelLogoutUri);
    backchannelLogoutUri = orEmpty(backchannelLogoutUri);
    accessTokenStrategy = orEmpty(accessTokenStrategy);
    sectorIdentifierUri = orEmpty(sectorIdentifierUri);
    requestUris = copy(requestUris);
    requestObjectSigningAlg = orEmpty(requestObjectSigningAlg);
    tlsClientAuthSubjectDn = orEmpty(tlsClientAuthSubjectDn);
    tlsClientAuthSanDns = orEmpty(tlsClientAuthSanDns);
    tlsClientAuthSanUri = orEmpty(tlsClientAuthSanUri);
    tlsClientAuthSanIp = orEmpty(tlsClientAuthSanIp);
    tlsClientAuthSanEmail = orEmpty(tlsClientAuthSanEmail);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static List<String> copy(@Nullable List<String> l) {
    return l == null ? List.of() : List.copyOf(l);
  }

  /** A builder for a new client. */
  public static Builder builder() {
    return new Builder();
  }

  /** The requested scopes this client may ask for. */
  public List<String> scopes() {
    return scope.isBlank() ? List.of() : Arrays.stream(scope.trim().split("\\s+")).toList();
  }

  /** True when this client authenticates without a secret or key ({@code none}). */
  public boolean isPublic() {
    return "none".equals(tokenEndpointAuthMethod);
  }

  /** The client id; only null before creation. */
  public ClientId id() {
    return Objects.requireNonNull(clientId, "client_id is not set");
  }

  /** A copy with Hydra's defaults filled in where a field is empty. */
  public OAuth2Client withDefaults() {
    return new OAuth2Client(clientId, clientName, redirectUris,
        grantTypes.isEmpty() ? List.of("authorization_code") : grantTypes,
        responseTypes.isEmpty() ? List.of("code") : responseTypes,
        scope.isBlank() ? "offline_access offline openid" : scope, audience, owner, policyUri, tosUri, clientUri,
        logoUri, contacts, tokenEndpointAuthMethod.isEmpty() ? "client_secret_basic" : tokenEndpointAuthMethod,
        tokenEndpointAuthSigningAlg, jwksUri, jwks, subjectType.isEmpty() ? "public" : subjectType,
        postLogoutRedirectUris, frontchannelLogoutUri, backchannelLogoutUri, skipConsent, accessTokenStrategy,
        sectorIdentifierUri, requestUris, requestObjectSigningAlg, requirePushedAuthorizationRequests,
        dpopBoundAccessTokens, tlsClientAuthSubjectDn, tlsClientAuthSanDns, tlsClientAuthSanUri, tlsClientAuthSanIp,
        tlsClientAuthSanEmail, tlsClientCertificateBoundAccessTokens, metadata, createdAt, updatedAt);
  }

  public OAuth2Client withClientId(ClientId id) {
    return toBuilder().clientId(id).build();
  }

  public OAuth2Client withTimestamps(@Nullable Instant created, @Nullable Instant updated) {
    return toBuilder().createdAt(created).updatedAt(updated).build();
  }

  /** A builder with this client's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.clientId = clientId;
    b.clientName = clientName;
    b.redirectUris = redirectUris;
    b.grantTypes = grantTypes;
    b.responseTypes = responseTypes;
    b.scope = scope;
    b.audience = audience;
    b.owner = owner;
    b.policyUri = policyUri;
    b.tosUri = tosUri;
    b.clientUri = clientUri;
    b.logoUri = logoUri;
    b.contacts = contacts;
    b.tokenEndpointAuthMethod = tokenEndpointAuthMethod;
    b.tokenEndpointAuthSigningAlg = tokenEndpointAuthSigningAlg;
    b.jwksUri = jwksUri;
    b.jwks = jwks;
    b.subjectType = subjectType;
    b.postLogoutRedirectUris = postLogoutRedirectUris;
    b.frontchannelLogoutUri = frontchannelLogoutUri;
    b.backchannelLogoutUri = backchannelLogoutUri;
    b.skipConsent = skipConsent;
    b.accessTokenStrategy = accessTokenStrategy;
    b.sectorIdentifierUri = sectorIdentifierUri;
    b.requestUris = requestUris;
    b.requestObjectSigningAlg = requestObjectSigningAlg;
    b.requirePushedAuthorizationRequests = requirePushedAuthorizationRequests;
    b.dpopBoundAccessTokens = dpopBoundAccessTokens;
    b.tlsClientAuthSubjectDn = tlsClientAuthSubjectDn;
    b.tlsClientAuthSanDns = tlsClientAuthSanDns;
    b.tlsClientAuthSanUri = tlsClientAuthSanUri;
    b.tlsClientAuthSanIp = tlsClientAuthSanIp;
    b.tlsClientAuthSanEmail = tlsClientAuthSanEmail;
    b.tlsClientCertificateBoundAccessTokens = tlsClientCertificateBoundAccessTokens;
    b.metadata = metadata;
    b.createdAt = createdAt;
    b.updatedAt = updatedAt;
    return b;
  }

  /** Builds an {@link OAuth2Client}. */
  public static final class Builder {
    private @Nullable ClientId clientId;
    private String clientName = "";
    private List<String> redirectUris = List.of();
    private List<String> grantTypes = List.of();
    private List<String> responseTypes = List.of();
    private String scope = "";
    private List<String> audience = List.of();
    private String owner = "";
    private String policyUri = "";
    private String tosUri = "";
    private String clientUri = "";
    private String logoUri = "";
    private List<String> contacts = List.of();
    private String tokenEndpointAuthMethod = "";
    private String tokenEndpointAuthSigningAlg = "";
    private String jwksUri = "";
    private @Nullable Map<String, Object> jwks;
    private String subjectType = "";
    private List<String> postLogoutRedirectUris = List.of();
    private String frontchannelLogoutUri = "";
    private String backchannelLogoutUri = "";
    private boolean skipConsent;
    private String accessTokenStrategy = "";
    private String sectorIdentifierUri = "";
    private List<String> requestUris = List.of();
    private String requestObjectSigningAlg = "";
    private boolean requirePushedAuthorizationRequests;
    private boolean dpopBoundAccessTokens;
    private String tlsClientAuthSubjectDn = "";
    private String tlsClientAuthSanDns = "";
    private String tlsClientAuthSanUri = "";
    private String tlsClientAuthSanIp = "";
    private String tlsClientAuthSanEmail = "";
    private boolean tlsClientCertificateBoundAccessTokens;
    private Map<String, Object> metadata = Map.of();
    private @Nullable Instant createdAt;
    private @Nullable Instant updatedAt;

    private Builder() {}

    public Builder clientId(@Nullable ClientId v) { clientId = v; return this; }
    public Builder clientId(String v) { clientId = new ClientId(v); return this; }
    public Builder clientName(String v) { clientName = v; return this; }
    public Builder redirectUris(String... v) { redirectUris = List.of(v); return this; }
    public Builder redirectUris(List<String> v) { redirectUris = v; return this; }
    public Builder grantTypes(String... v) { grantTypes = List.of(v); return this; }
    public Builder responseTypes(String... v) { responseTypes = List.of(v); return this; }
    public Builder scope(String v) { scope = v; return this; }
    public Builder audience(String... v) { audience = List.of(v); return this; }
    public Builder owner(String v) { owner = v; return this; }
    public Builder policyUri(String v) { policyUri = v; return this; }
    public Builder tosUri(String v) { tosUri = v; return this; }
    public Builder clientUri(String v) { clientUri = v; return this; }
    public Builder logoUri(String v) { logoUri = v; return this; }
    public Builder contacts(String... v) { contacts = List.of(v); return this; }
    public Builder tokenEndpointAuthMethod(String v) { tokenEndpointAuthMethod = v; return this; }
    public Builder tokenEndpointAuthSigningAlg(String v) { tokenEndpointAuthSigningAlg = v; return this; }
    public Builder jwksUri(String v) { jwksUri = v; return this; }
    public Builder jwks(@Nullable Map<String, Object> v) { jwks = v; return this; }
    public Builder subjectType(String v) { subjectType = v; return this; }
    public Builder postLogoutRedirectUris(String... v) { postLogoutRedirectUris = List.of(v); return this; }
    public Builder frontchannelLogoutUri(String v) { frontchannelLogoutUri = v; return this; }
    public Builder backchannelLogoutUri(String v) { backchannelLogoutUri = v; return this; }
    public Builder skipConsent(boolean v) { skipConsent = v; return this; }
    public Builder accessTokenStrategy(String v) { accessTokenStrategy = v; return this; }
    public Builder sectorIdentifierUri(String v) { sectorIdentifierUri = v; return this; }
    public Builder requestUris(String... v) { requestUris = List.of(v); return this; }
    public Builder requestObjectSigningAlg(String v) { requestObjectSigningAlg = v; return this; }
    public Builder requirePushedAuthorizationRequests(boolean v) { requirePushedAuthorizationRequests = v; return this; }
    public Builder dpopBoundAccessTokens(boolean v) { dpopBoundAccessTokens = v; return this; }
    public Builder tlsClientAuthSubjectDn(String v) { tlsClientAuthSubjectDn = v; return this; }
    public Builder tlsClientAuthSanDns(String v) { tlsClientAuthSanDns = v; return this; }
    public Builder tlsClientAuthSanUri(String v) { tlsClientAuthSanUri = v; return this; }
    public Builder tlsClientAuthSanIp(String v) { tlsClientAuthSanIp = v; return this; }
    public Builder tlsClientAuthSanEmail(String v) { tlsClientAuthSanEmail = v; return this; }
    public Builder tlsClientCertificateBoundAccessTokens(boolean v) {
      tlsClientCertificateBoundAccessTokens = v;
      return this;
    }
    public Builder metadata(Map<String, Object> v) { metadata = v; return this; }
    public Builder createdAt(@Nullable Instant v) { createdAt = v; return this; }
    public Builder updatedAt(@Nullable Instant v) { updatedAt = v; return this; }

    public OAuth2Client build() {
      return new OAuth2Client(clientId, clientName, redirectUris, grantTypes, responseTypes, scope, audience, owner,
          policyUri, tosUri, clientUri, logoUri, contacts, tokenEndpointAuthMethod, tokenEndpointAuthSigningAlg,
          jwksUri, jwks, subjectType, postLogoutRedirectUris, frontchannelLogoutUri, backchannelLogoutUri,
          skipConsent, accessTokenStrategy, sectorIdentifierUri, requestUris, requestObjectSigningAlg,
          requirePushedAuthorizationRequests, dpopBoundAccessTokens, tlsClientAuthSubjectDn, tlsClientAuthSanDns,
          tlsClientAuthSanUri, tlsClientAuthSanIp, tlsClientAuthSanEmail, tlsClientCertificateBoundAccessTokens,
          metadata, createdAt, updatedAt);
    }
  }
}
