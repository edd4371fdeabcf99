package io.ory4j.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.ory4j.core.error.OAuth2Error;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.Cookie;
import io.ory4j.core.http.Html;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.Router;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.id.SecretGenerator;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.keys.JwkSetManager;
import io.ory4j.core.secrets.ConstantTime;
import io.ory4j.core.secrets.SecretCipher;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.core.storage.DuplicateException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.oauth2.http.OAuth2Handlers;
import io.ory4j.oauth2.internal.ClientAuthenticator;
import io.ory4j.oauth2.internal.ClientRegistry;
import io.ory4j.oauth2.internal.DpopProofs;
import io.ory4j.oauth2.internal.RequestObjects;
import io.ory4j.oauth2.internal.Scopes;
import io.ory4j.oauth2.internal.SecretHasher;
import io.ory4j.oauth2.internal.Signer;
import io.ory4j.oauth2.internal.TokenCodec;
import io.ory4j.oauth2.spi.ClientStore;
import io.ory4j.oauth2.spi.ConsentGrant;
import io.ory4j.oauth2.spi.ConsentSession;
import io.ory4j.oauth2.spi.Flow;
import io.ory4j.oauth2.spi.FlowError;
import io.ory4j.oauth2.spi.FlowState;
import io.ory4j.oauth2.spi.FlowStore;
import io.ory4j.oauth2.spi.FlowStore.FlowKey;
import io.ory4j.oauth2.spi.LoginGrant;
import io.ory4j.oauth2.spi.LoginSession;
import io.ory4j.oauth2.spi.LogoutRequest;
import io.ory4j.oauth2.spi.StoredClient;
import io.ory4j.oauth2.spi.TokenKind;
import io.ory4j.oauth2.spi.TokenSession;
import io.ory4j.oauth2.spi.TokenStore;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable OAuth 2.0 and OpenID Connect provider with Hydra's login and consent flow. Build one with
 * {@link #builder()}; every operation is a plain Java method, and {@link #publicApi()} and {@link #adminApi()} serve
 * them on Hydra's v2 paths and JSON.
 *
 * <p>Opaque tokens have Hydra's form ({@code ory_at_}, {@code ory_rt_}, {@code ory_ac_} + key + "." + signature); only
 * the signature is stored. Client secrets are hashed at rest (PBKDF2), and a successful verification is remembered
 * briefly. All state lives in the three stores, so providers sharing stores (one database) act as one.
 */
public final class OAuth2Provider {

  private static final Logger log = LoggerFactory.getLogger(OAuth2Provider.class);

  /** The JWK set of ID tokens, as Hydra's. */
  public static final String ID_TOKEN_SET = "hydra.openid.id-token";
  /** The JWK set of JWT access tokens, as Hydra's. */
  public static final String ACCESS_TOKEN_SET = "hydra.jwt.access-token";

  static final String AT = "ory_at_";
  static final String RT = "ory_rt_";
  static final String AC = "ory_ac_";
  private static final String SESSION_COOKIE = "ory_hydra_session";
  private static final String LOGIN_CSRF = "ory_hydra_login_csrf";
  private static final String CONSENT_CSRF = "ory_hydra_consent_csrf";
  private static final String DEVICE_CSRF = "ory_hydra_device_csrf";

  private final URI issuer;
  private final String issuerString;
  private final Clock clock;
  private final IdGenerator ids;
  private final SecretGenerator secrets;
  private final ClientStore clients;
  private final FlowStore flows;
  private final TokenStore tokens;
  private final io.ory4j.oauth2.spi.JtiStore jtis;
  private final JwkSetManager keys;
  private final TokenSettings tokenSettings;
  private final @Nullable ConsentSettings consentSettings;
  private final SecretCipher cipher;
  private final SecretHasher hasher;
  private final TokenCodec codec;
  private final ClientAuthenticator authenticator;
  private final Signer idTokenSigner;
  private final Signer accessTokenSigner;
  private final OryJson json;
  private final io.ory4j.oauth2.spi.BackChannelLogout backChannel;
  private final @Nullable String pairwiseSalt;
  private final ClientRegistry registry;
  private final io.ory4j.oauth2.spi.DocumentFetcher fetcher;
  private final io.ory4j.oauth2.internal.RequestObjects requestObjects;
  private final SecuritySettings security;
  private final PushedAuthorizationSettings par;
  private final DpopProofs dpop;
  private final @Nullable DeviceSettings deviceSettings;
  private final io.ory4j.oauth2.spi.TrustedIssuerStore trustStore;
  private final io.ory4j.oauth2.internal.TrustRelationships trust;
  private final io.ory4j.oauth2.internal.@Nullable JwtBearerGrant jwtBearer;
  private final io.ory4j.oauth2.internal.DynamicRegistrations registrations;
  private final io.ory4j.oauth2.internal.TokenHooks hooks;
  private final io.ory4j.oauth2.internal.@Nullable TokenExchange tokenExchange;
  private final io.ory4j.oauth2.internal.@Nullable ClientCertificates mtls;
  private final @Nullable String mtlsAliasBase;
  /** The host (and port) of {@link #mtlsAliasBase}, as requests to it carry it; null without aliases. */
  private final @Nullable String mtlsAliasAuthority;
  private final Router publicApi;
  private final Router adminApi;

  private OAuth2Provider(Builder b) {
    this.issuer = Objects.requireNonNull(b.issuer, "issuer (urls.self.issuer) is required");
    this.issuerString = b.issuer.toString().replaceAll("/+$", "");
    this.clock = b.clock;
    this.ids = b.ids;
    this.secrets = b.secrets;
    this.clients = Objects.requireNonNull(b.clientStore, "clientStore is required");
    this.flows = Objects.requireNonNull(b.flowStore, "flowStore is required");
    this.tokens = Objects.requireNonNull(b.tokenStore, "tokenStore is required");
    SystemSecrets system = Objects.requireNonNull(b.systemSecrets, "systemSecrets (secrets.system) is required");
    this.cipher = new SecretCipher(system);
    this.keys = b.keys != null ? b.keys : new JwkSetManager(Objects.requireNonNull(b.jwkSetStore,
        "a JwkSetManager or JwkSetStore is required"), cipher, clock, ids);
    this.tokenSettings = b.tokenSettings;
    this.consentSettings = b.consentSettings;
    this.hasher = new SecretHasher(b.clientSecretSettings.pbkdf2Iterations(),
        b.clientSecretSettings.verificationCacheTtl(), secrets, clock);
    this.codec = new TokenCodec(system.derivedKeys("oauth2-token-hmac"), secrets);
    this.jtis = b.jtiStore != null ? b.jtiStore : new io.ory4j.oauth2.store.memory.InMemoryJtiStore();
    this.mtls = b.mutualTls == null ? null : new io.ory4j.oauth2.internal.ClientCertificates(b.mutualTls);
    this.mtlsAliasBase = b.mutualTls == null || b.mutualTls.endpointAliasBase() == null ? null
        : b.mutualTls.endpointAliasBase().toString().replaceAll("/+$", "");
    this.mtlsAliasAuthority = mtlsAliasBase == null ? null : URI.create(mtlsAliasBase).getRawAuthority();
    this.authenticator = new ClientAuthenticator(clients, hasher, cipher, clock, jtis, mtls,
        b.security.fapi2() ? issuerString : null);
    List<String> signingAlgs = b.security.fapi2() ? SecuritySettings.FAPI2_ALGORITHMS : null;
    this.idTokenSigner = new Signer(keys, ID_TOKEN_SET, tokenSettings.signingAlgorithm(), clock, signingAlgs);
    this.accessTokenSigner = new Signer(keys, ACCESS_TOKEN_SET, tokenSettings.signingAlgorithm(), clock,
        signingAlgs);
    this.json = b.json;
    this.pairwiseSalt = b.pairwiseSalt;
    this.fetcher = b.fetcher != null ? b.fetcher : new io.ory4j.oauth2.internal.HttpDocumentFetcher();
    this.security = b.security;
    this.par = b.par;
    this.dpop = new DpopProofs(b.dpop, clock, jtis, codec, b.security.fapi2()
        ? DpopProofs.ALGORITHMS.stream().filter(SecuritySettings.FAPI2_ALGORITHMS::contains).toList()
        : DpopProofs.ALGORITHMS);
    this.deviceSettings = b.device;
    this.trustStore = b.trustStore != null ? b.trustStore
        : new io.ory4j.oauth2.store.memory.InMemoryTrustedIssuerStore();
    this.trust = new io.ory4j.oauth2.internal.TrustRelationships(trustStore, ids, clock, json);
    this.jwtBearer = b.jwtBearer == null ? null : new io.ory4j.oauth2.internal.JwtBearerGrant(b.jwtBearer, trustStore,
        jtis, clock, issuerString + "/oauth2/token", tokenSettings.wildcardScopes());
    this.registry = new ClientRegistry(clients, tokens, hasher, cipher, secrets, ids, clock, json, pairwiseSalt,
        fetcher, security, b.device != null, b.jwtBearer != null, b.tokenExchange != null, b.mutualTls != null);
    this.tokenExchange = b.tokenExchange == null ? null : new io.ory4j.oauth2.internal.TokenExchange(b.tokenExchange,
        trustStore, clock, issuerString, tokenSettings.wildcardScopes(), this::lookup);
    this.hooks = new io.ory4j.oauth2.internal.TokenHooks(
        b.refreshTokenHook == null ? null : new io.ory4j.oauth2.internal.HttpTokenHook(b.refreshTokenHook, true,
            issuerString, json),
        b.tokenHook == null ? null : new io.ory4j.oauth2.internal.HttpTokenHook(b.tokenHook, false, issuerString, json),
        b.inProcessHooks);
    this.registrations = new io.ory4j.oauth2.internal.DynamicRegistrations(registry, codec, ids, issuerString,
        b.dynamicRegistration);
    this.backChannel = b.backChannel != null ? b.backChannel : new io.ory4j.oauth2.internal.HttpBackChannelLogout();
    this.requestObjects = new io.ory4j.oauth2.internal.RequestObjects(issuerString, clock, authenticator, fetcher,
        json, b.requestObjects, b.security.fapi2());
    OAuth2Handlers handlers = new OAuth2Handlers(this, json);
    this.publicApi = handlers.publicRouter();
    this.adminApi = handlers.adminRouter();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The public endpoints: {@code /oauth2/auth}, {@code /oauth2/token}, discovery, JWKS, userinfo, logout. */
  public Router publicApi() {
    return publicApi;
  }

  /** The admin endpoints: clients, introspection, keys, login/consent/logout requests, sessions. */
  public Router adminApi() {
    return adminApi;
  }

  /** The issuer URL, without a trailing slash. */
  public String issuer() {
    return issuerString;
  }

  public TokenSettings tokenSettings() {
    return tokenSettings;
  }

  /** The DPoP nonce to send in a {@code DPoP-Nonce} header, or null when nonces are not required. */
  public @Nullable String dpopNonce() {
    return dpop.currentNonce();
  }

  /** The key manager (for {@code /admin/keys}). */
  public JwkSetManager keys() {
    return keys;
  }

  private URI endpoint(String path) {
    return URI.create(issuerString + path);
  }

  /**
   * The endpoint as the request reached it: under the mutual-TLS alias base when one is configured and the request
   * came to its host (RFC 8705 section 5), else under the issuer. Client assertions and DPoP proofs name this URL.
   */
  private URI endpoint(HttpRequest request, String path) {
    if (mtlsAliasAuthority != null && request.host().equalsIgnoreCase(mtlsAliasAuthority)) {
      return URI.create(mtlsAliasBase + path);
    }
    return endpoint(path);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Clients

  /** Creates a client; a confidential client without a secret gets a generated one, shown once in the result. */
  public CreatedClient createClient(OAuth2Client client, @Nullable String secret) {
    return registry.createClient(client, secret);
  }

  /** Creates a client with a generated secret (for a confidential client). */
  public CreatedClient createClient(OAuth2Client client) {
    return registry.createClient(client, null);
  }

  public Optional<OAuth2Client> getClient(ClientId id) {
    return registry.getClient(id);
  }

  public Page<OAuth2Client> listClients(PageRequest page) {
    return registry.listClients(page);
  }

  /** A page of the clients that pass {@code filter} (Hydra's {@code client_name} and {@code owner} filters). */
  public Page<OAuth2Client> listClients(PageRequest page, io.ory4j.oauth2.spi.ClientFilter filter) {
    return registry.listClients(page, filter);
  }

  /**
   * Replaces a client (Hydra's PUT). With {@code newSecret} the secret is replaced; without, the current one is kept.
   */
  public CreatedClient replaceClient(ClientId id, OAuth2Client client, @Nullable String newSecret) {
    return registry.replaceClient(id, client, newSecret);
  }

  /** Applies an RFC 6902 JSON Patch to a client's JSON (a {@code /client_secret} value sets a new secret). */
  public CreatedClient patchClient(ClientId id, JsonNode patch) {
    return registry.patchClient(id, patch);
  }

  /** Adds a live secret to a client, keeping the others, so it can rotate without downtime. */
  public CreatedClient addClientSecret(ClientId id, String secret) {
    return registry.addClientSecret(id, secret);
  }

  /** Keeps only the newest secret of a client (ends a rotation). */
  public void retireOldClientSecrets(ClientId id) {
    registry.retireOldClientSecrets(id);
  }

  /** Deletes a client and its tokens; false when it did not exist. */
  public boolean deleteClient(ClientId id) {
    return registry.deleteClient(id);
  }

  /** Deletes every token of a client ({@code DELETE /admin/oauth2/tokens}). */
  public int deleteClientTokens(ClientId id) {
    return registry.deleteClientTokens(id);
  }

  private StoredClient requireClient(ClientId id) {
    return registry.requireClient(id);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Dynamic client registration (RFC 7591, RFC 7592), when enabled

  /** True when dynamic client registration is on ({@code oidc.dynamic_client_registration.enabled}). */
  public boolean dynamicClientRegistrationEnabled() {
    return registrations.enabled();
  }

  /**
   * Registers a client from RFC 7591 metadata ({@code POST /oauth2/register}); the answer carries the generated
   * secret and the registration access token, shown only here. A 404 when dynamic registration is off.
   */
  public RegisteredClient registerClient(JsonNode metadata) {
    return registrations.register(metadata);
  }

  /** Reads a registered client with its registration access token ({@code GET /oauth2/register/{id}}). */
  public RegisteredClient registeredClient(String clientId, @Nullable String registrationAccessToken) {
    return registrations.read(clientId, registrationAccessToken);
  }

  /** Replaces a registered client's metadata and rotates its registration access token ({@code PUT}). */
  public RegisteredClient updateRegisteredClient(String clientId, @Nullable String registrationAccessToken,
      JsonNode metadata) {
    return registrations.update(clientId, registrationAccessToken, metadata);
  }

  /** Deletes a registered client and its tokens ({@code DELETE /oauth2/register/{id}}). */
  public void deleteRegisteredClient(String clientId, @Nullable String registrationAccessToken) {
    registrations.delete(clientId, registrationAccessToken);
  }

  private static java.util.Set<String> responseTypeSet(String responseType) {
    return ClientRegistry.responseTypeSet(responseType);
  }

  private static final java.util.Set<String> RESPONSE_TYPE_PARTS = ClientRegistry.RESPONSE_TYPE_PARTS;

  // ---------------------------------------------------------------------------------------------------------------
  // Token endpoint

  /** Handles a token request: a form POST to {@code /oauth2/token}. */
  public TokenResponse token(HttpRequest request) {
    if (!"POST".equals(request.method())) {
      throw OAuth2Exception.invalidRequest("HTTP method is '" + request.method() + "', expected 'POST'.");
    }
    if (!request.contentType().filter("application/x-www-form-urlencoded"::equals).isPresent()) {
      throw OAuth2Exception.invalidRequest("The token request must be sent as application/x-www-form-urlencoded.");
    }
    for (Map.Entry<String, List<String>> e : request.form().entrySet()) {
      if (e.getValue().size() > 1) {
        throw OAuth2Exception.invalidRequest("Parameter '" + e.getKey() + "' was included more than once.");
      }
    }
    String grant = request.formParam("grant_type").orElse("");
    if (grant.isEmpty()) {
      throw OAuth2Exception.invalidRequest("The grant_type parameter is missing.");
    }
    if (!List.of("authorization_code", "refresh_token", "client_credentials").contains(grant)
        && !(DEVICE_GRANT.equals(grant) && deviceSettings != null)
        && !(io.ory4j.oauth2.internal.JwtBearerGrant.GRANT_TYPE.equals(grant) && jwtBearer != null)
        && !(io.ory4j.oauth2.internal.TokenExchange.GRANT_TYPE.equals(grant) && tokenExchange != null)) {
      throw OAuth2Exception.unsupportedGrantType("The OAuth 2.0 grant type '" + grant + "' is not supported.");
    }
    StoredClient client = authenticator.authenticate(request, endpoint(request, "/oauth2/token"));
    if (!client.client().grantTypes().contains(grant)) {
      throw OAuth2Exception.unauthorizedClient("The client is not allowed to request a token using grant type '"
          + grant + "'.");
    }
    String jkt = dpop.enabled() ? dpop.verify(request, "POST", endpoint(request, "/oauth2/token"), null) : null;
    if (jkt == null && dpop.enabled() && client.client().dpopBoundAccessTokens()) {
      throw DpopProofs.invalidProof("The client registered dpop_bound_access_tokens: a DPoP proof is required "
          + "(RFC 9449, section 5.2).");
    }
    Binding bind = new Binding(jkt, certificateBinding(request, client.client()));
    if (security.fapi2() && bind.jkt() == null && bind.x5t() == null) {
      throw DpopProofs.invalidProof("The FAPI 2.0 Security Profile only issues sender-constrained tokens: a DPoP "
          + "proof (RFC 9449) is required, or a client certificate the tokens are bound to (RFC 8705).");
    }
    Map<String, List<String>> form = request.form();
    return switch (grant) {
      case "client_credentials" -> clientCredentials(client, Scopes.split(request.formParam("scope").orElse(null)),
          audience(request.form().get("audience")), bind, form);
      case "authorization_code" -> exchangeCode(client, request.formParam("code").orElse(""),
          request.formParam("redirect_uri").orElse(null), request.formParam("code_verifier").orElse(null), bind, form);
      case DEVICE_GRANT -> deviceCodeGrant(client, request.formParam("device_code").orElse(""), bind, form);
      case io.ory4j.oauth2.internal.JwtBearerGrant.GRANT_TYPE -> jwtBearerGrant(client, request, bind);
      case io.ory4j.oauth2.internal.TokenExchange.GRANT_TYPE -> tokenExchangeGrant(client, request, bind);
      default -> refresh(client, request.formParam("refresh_token").orElse(""),
          Scopes.split(request.formParam("scope").orElse(null)), bind, form);
    };
  }

  private static List<String> audience(@Nullable List<String> values) {
    if (values == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.addAll(Scopes.split(v));
    }
    return out;
  }

  /** The client_credentials grant in plain Java: authenticates {@code clientId} with {@code secret}. */
  public TokenResponse clientCredentials(ClientId clientId, String secret, List<String> scope, List<String> audience) {
    StoredClient client = authenticator.authenticateSecret(clientId, secret);
    if (!client.client().grantTypes().contains("client_credentials")) {
      throw OAuth2Exception.unauthorizedClient("The client is not allowed to request a token using grant type "
          + "'client_credentials'.");
    }
    Map<String, List<String>> form = new LinkedHashMap<>();
    form.put("grant_type", List.of("client_credentials"));
    if (!scope.isEmpty()) {
      form.put("scope", List.of(String.join(" ", scope)));
    }
    return clientCredentials(client, scope, audience, NO_BINDING, form);
  }

  /** The session's extra claims after the token hooks ({@code oauth2.token_hook} and in-process hooks). */
  private record Hooked(Map<String, Object> ext, @Nullable IdTokenInput id) {}

  /**
   * Runs the token hooks before a grant consumes anything (a denied hook leaves a code or refresh token unused, as in
   * Hydra, where the hooks run before the token endpoint's response is populated).
   */
  private Hooked hooked(OAuth2Client c, String grant, Map<String, List<String>> form, @Nullable String subject,
      List<String> scope, List<String> audience, Map<String, Object> ext, @Nullable IdTokenInput id) {
    if (!hooks.active()) {
      return new Hooked(ext, id);
    }
    io.ory4j.oauth2.internal.TokenHooks.Claims claims = hooks.run(c, grant, form, subject, scope, audience, ext,
        id == null ? Map.of() : id.claims());
    return new Hooked(claims.accessToken(), id == null ? null : new IdTokenInput(id.nonce(), id.authTime(), id.acr(),
        id.amr(), id.sid(), claims.idToken(), id.pairwiseSubject()));
  }

  private TokenResponse clientCredentials(StoredClient sc, List<String> scope, List<String> audience,
      Binding bind, Map<String, List<String>> form) {
    OAuth2Client c = sc.client();
    if (c.isPublic()) {
      throw OAuth2Exception.invalidClient("The OAuth 2.0 Client is marked as public and is thus not allowed to use "
          + "authorization grant 'client_credentials'.");
    }
    checkScopes(c, scope);
    checkAudience(c, audience);
    Instant now = clock.instant();
    Hooked h = hooked(c, "client_credentials", form, null, scope, audience, Map.of(), null);
    return issue(c, ids.nextString(), null, scope, audience, h.ext(), null, false, now, bind);
  }

  /**
   * RFC 7523 section 2.1: an access token (no refresh or ID token, as Hydra) for the assertion's subject, with the
   * assertion's audience (as Hydra); a requested {@code audience} is still checked against the client's.
   */
  private TokenResponse jwtBearerGrant(StoredClient sc, HttpRequest request, Binding bind) {
    checkAudience(sc.client(), audience(request.form().get("audience")));
    io.ory4j.oauth2.internal.JwtBearerGrant.Grant g = Objects.requireNonNull(jwtBearer).validate(sc.client(),
        request.formParam("assertion").orElse(null), Scopes.split(request.formParam("scope").orElse(null)));
    Hooked h = hooked(sc.client(), io.ory4j.oauth2.internal.JwtBearerGrant.GRANT_TYPE, request.form(), g.subject(),
        g.scope(), g.audience(), Map.of(), null);
    return issue(sc.client(), ids.nextString(), g.subject(), g.scope(), g.audience(), h.ext(), null, false,
        clock.instant(), bind);
  }

  /**
   * RFC 8693: an access token (and, where allowed and asked, a refresh token) for the subject token's subject, with
   * the narrowed scope, the requested targets and, with an actor token, the {@code act} claim. No ID token.
   */
  private TokenResponse tokenExchangeGrant(StoredClient sc, HttpRequest request, Binding bind) {
    OAuth2Client c = sc.client();
    if (c.isPublic()) {
      throw OAuth2Exception.unauthorizedClient("A public client may not use the token exchange grant: it cannot "
          + "authenticate, so nothing would tie the exchanged token to it.");
    }
    io.ory4j.oauth2.internal.TokenExchange.Plan plan = Objects.requireNonNull(tokenExchange).plan(c, request.form(),
        audience(request.form().get("audience")), new io.ory4j.oauth2.internal.TokenExchange.Possession(bind.jkt(),
            () -> mtls == null ? null : mtls.of(request).map(io.ory4j.oauth2.internal.ClientCertificates::thumbprint)
                .orElse(null)));
    Hooked h = hooked(c, io.ory4j.oauth2.internal.TokenExchange.GRANT_TYPE, request.form(), plan.subject(),
        plan.scope(), plan.audience(), plan.ext(), null);
    Instant now = clock.instant();
    return issue(c, ids.nextString(), plan.subject(), plan.scope(), plan.audience(), h.ext(), null,
        plan.refreshToken(), now, bind, plan.act()).withIssuedTokenType(plan.issuedTokenType());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Trust relationships of the JWT bearer grant (/admin/trust/grants/jwt-bearer/issuers)

  /** Creates a trust relationship from Hydra's {@code trustOAuth2JwtGrantIssuer} JSON body. */
  public TrustedJwtGrantIssuer trustJwtGrantIssuer(JsonNode body) {
    return trust.create(body);
  }

  /** A trust relationship by id ({@code 404} when there is none). */
  public TrustedJwtGrantIssuer trustedJwtGrantIssuer(String id) {
    return trust.get(id);
  }

  /** A page of trust relationships, of one issuer when {@code issuer} is given. */
  public Page<TrustedJwtGrantIssuer> listTrustedJwtGrantIssuers(PageRequest page, @Nullable String issuer) {
    return trust.list(page, issuer);
  }

  /** Deletes a trust relationship ({@code 404} when there is none). */
  public void deleteTrustedJwtGrantIssuer(String id) {
    trust.delete(id);
  }

  private void checkScopes(OAuth2Client c, List<String> scope) {
    for (String s : scope) {
      if (!Scopes.matches(tokenSettings.wildcardScopes(), c.scopes(), s)) {
        throw OAuth2Exception.invalidScope("The OAuth 2.0 Client is not allowed to request scope '" + s + "'.");
      }
    }
  }

  private static void checkAudience(OAuth2Client c, List<String> audience) {
    for (String a : audience) {
      if (!c.audience().contains(a)) {
        throw OAuth2Exception.invalidRequest("Requested audience '" + a + "' has not been whitelisted by the OAuth "
            + "2.0 Client.");
      }
    }
  }

  /** What an ID token needs beyond the subject. */
  private record IdTokenInput(@Nullable String nonce, Instant authTime, String acr, List<String> amr,
      @Nullable String sid, Map<String, Object> claims, @Nullable String pairwiseSubject) {}

  /**
   * Issues an access token (and a refresh and ID token where asked). With {@code jkt} (a DPoP key thumbprint) the
   * access token is DPoP-bound, and so is a public client's refresh token (RFC 9449 section 5).
   */
  private TokenResponse issue(OAuth2Client c, String requestId, @Nullable String subject, List<String> scope,
      List<String> audience, Map<String, Object> ext, @Nullable IdTokenInput id, boolean withRefresh,
      Instant requestedAt, Binding bind) {
    return issue(c, requestId, subject, scope, audience, ext, id, withRefresh, requestedAt, bind, null);
  }

  /** As above; {@code act} is the RFC 8693 actor claim of a token issued by a token exchange (kept on refresh). */
  private TokenResponse issue(OAuth2Client c, String requestId, @Nullable String subject, List<String> scope,
      List<String> audience, Map<String, Object> ext, @Nullable IdTokenInput id, boolean withRefresh,
      Instant requestedAt, Binding bind, @Nullable Map<String, Object> act) {
    String jkt = bind.jkt();
    String x5t = bind.x5t();
    Instant now = clock.instant();
    Instant atExp = now.plus(tokenSettings.accessTokenLifespan());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("ext", ext);
    if (jkt != null) {
      data.put(CNF_JKT, jkt);
    }
    if (x5t != null) {
      data.put(CNF_X5T, x5t);
    }
    if (id != null) {
      data.put("id_token", idData(id));
    }
    if (act != null) {
      data.put(ACT, act);
    }
    String accessToken;
    String atSignature;
    boolean jwt = "jwt".equals(c.accessTokenStrategy())
        || (c.accessTokenStrategy().isEmpty() && tokenSettings.jwtAccessTokens());
    if (jwt) {
      JWTClaimsSet.Builder cb = new JWTClaimsSet.Builder().issuer(issuerString)
          .subject(subject != null ? subject : c.id().value()).audience(audience).expirationTime(Date.from(atExp))
          .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).jwtID(ids.nextString())
          .claim("client_id", c.id().value()).claim("scp", scope);
      if (!ext.isEmpty()) {
        cb.claim("ext", ext);
      }
      Map<String, Object> cnf = cnf(data);
      if (cnf != null) {
        cb.claim("cnf", cnf);
      }
      if (act != null) {
        cb.claim(ACT, act);
      }
      SignedJWT signed = accessTokenSigner.sign(cb.build(), "at+jwt");
      accessToken = signed.serialize();
      atSignature = jwtKey(signed);
    } else {
      TokenCodec.Minted m = codec.mint(AT);
      accessToken = m.token();
      atSignature = m.signature();
    }
    tokens.create(new TokenSession(atSignature, TokenKind.ACCESS_TOKEN, requestId, c.id(), subject, scope, audience,
        requestedAt, atExp, true, data));
    String refreshToken = null;
    if (withRefresh) {
      TokenCodec.Minted rt = codec.mint(RT);
      Map<String, Object> rdata = new LinkedHashMap<>(data);
      rdata.put("access_signature", atSignature);
      if (!c.isPublic()) {
        rdata.remove(CNF_JKT);
      }
      rdata.remove(CNF_X5T); // the client's authentication binds its refresh tokens (RFC 8705 section 4)
      tokens.create(new TokenSession(rt.signature(), TokenKind.REFRESH_TOKEN, requestId, c.id(), subject, scope,
          audience, requestedAt, now.plus(tokenSettings.refreshTokenLifespan()), true, rdata));
      refreshToken = rt.token();
    }
    String idToken = null;
    if (id != null && subject != null && scope.contains("openid")) {
      idToken = idToken(c, subject, id, accessToken, now);
    }
    return new TokenResponse(accessToken, tokenSettings.accessTokenLifespan().toSeconds(), String.join(" ", scope),
        jkt != null ? "DPoP" : "bearer", refreshToken, idToken);
  }

  /** The data key (and JWT claim) of the actor of a token issued by a token exchange (RFC 8693 section 4.1). */
  private static final String ACT = "act";

  @SuppressWarnings("unchecked")
  private static @Nullable Map<String, Object> act(Map<String, Object> data) {
    return data.get(ACT) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  /** The data key of a DPoP-bound session's key thumbprint. */
  private static final String CNF_JKT = "cnf_jkt";
  /** The data key of a certificate-bound session's certificate thumbprint (RFC 8705 section 3). */
  private static final String CNF_X5T = "cnf_x5t";

  /** How an access token is bound: to a DPoP key ({@code jkt}), a client certificate ({@code x5t#S256}), or not. */
  private record Binding(@Nullable String jkt, @Nullable String x5t) {}

  private static final Binding NO_BINDING = new Binding(null, null);

  /** The {@code cnf} claim of a session (RFC 9449 section 6, RFC 8705 section 3.1), or null when it is unbound. */
  private static @Nullable Map<String, Object> cnf(Map<String, Object> data) {
    Map<String, Object> cnf = new LinkedHashMap<>();
    if (data.get(CNF_JKT) != null) {
      cnf.put("jkt", data.get(CNF_JKT));
    }
    if (data.get(CNF_X5T) != null) {
      cnf.put("x5t#S256", data.get(CNF_X5T));
    }
    return cnf.isEmpty() ? null : cnf;
  }

  /**
   * The certificate thumbprint a client's access tokens are bound to (RFC 8705 section 3): with mutual TLS on and the
   * client's {@code tls_client_certificate_bound_access_tokens}, its certificate is required.
   */
  private @Nullable String certificateBinding(HttpRequest request, OAuth2Client c) {
    if (mtls == null || !c.tlsClientCertificateBoundAccessTokens()) {
      return null;
    }
    java.security.cert.X509Certificate cert = mtls.of(request).orElseThrow(() -> OAuth2Exception.invalidRequest(
        "The client registered tls_client_certificate_bound_access_tokens: the token request must be made over "
            + "mutual TLS with its client certificate (RFC 8705, section 3)."));
    return io.ory4j.oauth2.internal.ClientCertificates.thumbprint(cert);
  }

  private static Map<String, Object> idData(IdTokenInput id) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (id.nonce() != null) {
      m.put("nonce", id.nonce());
    }
    m.put("auth_time", id.authTime().getEpochSecond());
    m.put("acr", id.acr());
    m.put("amr", id.amr());
    if (id.sid() != null) {
      m.put("sid", id.sid());
    }
    m.put("claims", id.claims());
    if (id.pairwiseSubject() != null) {
      m.put("pairwise_subject", id.pairwiseSubject());
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static @Nullable IdTokenInput idInput(Map<String, Object> data, boolean keepNonce) {
    Object o = data.get("id_token");
    if (!(o instanceof Map<?, ?> m)) {
      return null;
    }
    return new IdTokenInput(keepNonce ? (String) m.get("nonce") : null,
        Instant.ofEpochSecond(((Number) m.get("auth_time")).longValue()), String.valueOf(m.get("acr")),
        (List<String>) m.get("amr"), (String) m.get("sid"), (Map<String, Object>) m.get("claims"),
        (String) m.get("pairwise_subject"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> ext(Map<String, Object> data) {
    Object o = data.get("ext");
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private String idToken(OAuth2Client c, String subject, IdTokenInput id, @Nullable String accessToken, Instant now) {
    return idToken(c, subject, id, accessToken, null, now);
  }

  private String idToken(OAuth2Client c, String subject, IdTokenInput id, @Nullable String accessToken,
      @Nullable String code, Instant now) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
    id.claims().forEach(b::claim);
    b.issuer(issuerString).subject(id.pairwiseSubject() != null ? id.pairwiseSubject() : subject)
        .audience(c.id().value()).issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(tokenSettings.idTokenLifespan()))).jwtID(ids.nextString())
        .claim("auth_time", id.authTime().getEpochSecond()).claim("rat", now.getEpochSecond());
    if (accessToken != null) {
      b.claim("at_hash", atHash(accessToken));
    }
    if (code != null) {
      b.claim("c_hash", atHash(code));
    }
    if (id.nonce() != null) {
      b.claim("nonce", id.nonce());
    }
    if (!id.acr().isEmpty()) {
      b.claim("acr", id.acr());
    }
    if (!id.amr().isEmpty()) {
      b.claim("amr", id.amr());
    }
    if (id.sid() != null) {
      b.claim("sid", id.sid());
    }
    return idTokenSigner.sign(b.build(), null).serialize();
  }

  private String atHash(String accessToken) {
    try {
      byte[] d = java.security.MessageDigest.getInstance(switch (tokenSettings.signingAlgorithm().jws().getName()) {
        case "RS384", "ES384" -> "SHA-384";
        case "RS512", "ES512", "EdDSA" -> "SHA-512";
        default -> "SHA-256";
      }).digest(accessToken.getBytes(StandardCharsets.US_ASCII));
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d,
          d.length / 2));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private TokenResponse exchangeCode(StoredClient sc, String code, @Nullable String redirectUri,
      @Nullable String verifier, Binding bind, Map<String, List<String>> form) {
    String jkt = bind.jkt();
    OAuth2Client c = sc.client();
    if (code.isEmpty()) {
      throw OAuth2Exception.invalidRequest("The code parameter is missing.");
    }
    TokenSession s = findSession(TokenKind.AUTHORIZE_CODE, AC, code).orElseThrow(() ->
        OAuth2Exception.invalidGrant("The authorization code is unknown or malformed."));
    if (!s.active()) {
      throw replayed(s, c.id());
    }
    if (!s.clientId().equals(c.id())) {
      throw OAuth2Exception.invalidGrant("The OAuth 2.0 Client ID from this request does not match the one from the "
          + "authorize request.");
    }
    if (!clock.instant().isBefore(s.expiresAt())) {
      throw OAuth2Exception.invalidGrant("The authorization code has expired.");
    }
    Object storedRedirect = s.data().get("redirect_uri");
    if (Boolean.TRUE.equals(s.data().get("redirect_uri_given"))
        && !Objects.equals(storedRedirect, redirectUri)) {
      throw OAuth2Exception.invalidGrant("The \"redirect_uri\" from this request does not match the one from the "
          + "authorize request.");
    }
    if (redirectUri != null && !redirectUri.equals(storedRedirect)) {
      throw OAuth2Exception.invalidGrant("The \"redirect_uri\" from this request does not match the one from the "
          + "authorize request.");
    }
    Object challenge = s.data().get("code_challenge");
    if (challenge != null) {
      if (verifier == null || verifier.isEmpty()) {
        throw OAuth2Exception.invalidGrant("The PKCE code verifier must be at least 43 characters.");
      }
      String method = String.valueOf(s.data().get("code_challenge_method"));
      boolean ok;
      try {
        CodeChallenge computed = CodeChallenge.compute(CodeChallengeMethod.parse(method), new CodeVerifier(verifier));
        ok = ConstantTime.equals(computed.getValue(), challenge.toString());
      } catch (IllegalArgumentException e) {
        throw OAuth2Exception.invalidGrant("The PKCE code verifier must be 43 to 128 characters of [A-Za-z0-9-._~].");
      }
      if (!ok) {
        throw OAuth2Exception.invalidGrant("The PKCE code challenge did not match the code verifier.");
      }
    } else if (verifier != null) {
      throw OAuth2Exception.invalidGrant("The PKCE code verifier was sent, but the authorize request had no code "
          + "challenge.");
    }
    Object boundTo = s.data().get("dpop_jkt");
    if (boundTo != null && jkt == null) {
      throw DpopProofs.invalidProof("The authorization request named a DPoP key (dpop_jkt): a DPoP proof with that "
          + "key is required (RFC 9449, section 10).");
    }
    if (boundTo != null && !ConstantTime.equals(boundTo.toString(), jkt)) {
      throw OAuth2Exception.invalidGrant("The DPoP proof's key is not the dpop_jkt of the authorization request.");
    }
    Hooked h = hooked(c, "authorization_code", form, s.subject(), s.scopes(), s.audience(), ext(s.data()),
        idInput(s.data(), true));
    if (!tokens.deactivate(TokenKind.AUTHORIZE_CODE, s.signature())) {
      throw replayed(s, c.id());
    }
    boolean refresh = (s.scopes().contains("offline") || s.scopes().contains("offline_access"))
        && c.grantTypes().contains("refresh_token");
    TokenResponse issued = issue(c, s.requestId(), s.subject(), s.scopes(), s.audience(), h.ext(), h.id(), refresh,
        s.requestedAt(), bind);
    // A replay that raced this redemption may have revoked the grant before these tokens existed: it leaves a mark
    // before revoking, so whichever of the two runs last revokes what this use issued (RFC 6749 4.1.2). This use
    // still answers 200, as it would had the replay come a moment later.
    if (tokens.find(TokenKind.AUTHORIZE_CODE, s.signature() + REPLAY_MARK).isPresent()) {
      tokens.revokeRequest(s.requestId());
    }
    return issued;
  }

  private static final String REPLAY_MARK = ":replayed";

  /** A second use of a code: marks the code as replayed, then revokes every token of its grant. */
  private OAuth2Exception replayed(TokenSession code, ClientId client) {
    try {
      tokens.create(new TokenSession(code.signature() + REPLAY_MARK, TokenKind.AUTHORIZE_CODE, code.requestId(),
          code.clientId(), code.subject(), List.of(), List.of(), code.requestedAt(), code.expiresAt(), false,
          Map.of()));
    } catch (DuplicateException e) {
      // marked by an earlier replay
    }
    int revoked = tokens.revokeRequest(code.requestId());
    log.warn("authorization code replayed by client {}: revoked {} token(s) of its grant", client, revoked);
    return OAuth2Exception.invalidGrant("The authorization code has already been used.");
  }

  private Optional<TokenSession> findSession(TokenKind kind, String prefix, String token) {
    Optional<List<String>> sigs = codec.signatures(prefix, token);
    if (sigs.isEmpty()) {
      return Optional.empty();
    }
    for (String sig : sigs.get()) {
      Optional<TokenSession> s = tokens.find(kind, sig);
      if (s.isPresent()) {
        return s;
      }
    }
    return Optional.empty();
  }

  private TokenResponse refresh(StoredClient sc, String refreshToken, List<String> scope, Binding bind,
      Map<String, List<String>> form) {
    String jkt = bind.jkt();
    OAuth2Client c = sc.client();
    if (refreshToken.isEmpty()) {
      throw OAuth2Exception.invalidRequest("The refresh_token parameter is missing.");
    }
    TokenSession s = findSession(TokenKind.REFRESH_TOKEN, RT, refreshToken).orElseThrow(() ->
        OAuth2Exception.invalidGrant("The refresh token is unknown or malformed."));
    if (!s.clientId().equals(c.id())) {
      throw OAuth2Exception.invalidGrant("The OAuth 2.0 Client ID from this request does not match the ID during the "
          + "initial token issuance.");
    }
    if (!s.active() || rotatedAndGraceOver(s)) {
      throw reused(s, c.id());
    }
    if (!clock.instant().isBefore(s.expiresAt())) {
      throw OAuth2Exception.invalidGrant("The refresh token has expired.");
    }
    for (String sc1 : scope) {
      if (!s.scopes().contains(sc1)) {
        throw OAuth2Exception.invalidScope("The requested scope '" + sc1 + "' was not granted originally.");
      }
    }
    Object bound = s.data().get(CNF_JKT);
    if (bound != null && jkt == null) {
      throw DpopProofs.invalidProof("The refresh token is DPoP-bound: a DPoP proof with its key is required.");
    }
    if (bound != null && !ConstantTime.equals(bound.toString(), jkt)) {
      log.warn("DPoP-bound refresh token of client {} presented with another key", c.id());
      throw OAuth2Exception.invalidGrant("The refresh token is bound to another DPoP key.");
    }
    List<String> granted = scope.isEmpty() ? s.scopes() : scope;
    Hooked h = hooked(c, "refresh_token", form, s.subject(), granted, s.audience(), ext(s.data()),
        idInput(s.data(), false));
    Duration grace = tokenSettings.refreshTokenGracePeriod();
    if (grace.isZero()) {
      if (!tokens.deactivate(TokenKind.REFRESH_TOKEN, s.signature())) {
        throw reused(s, c.id());
      }
    } else {
      // With a grace period the token stays active for a while after its first use; a mark records when it was
      // rotated (created atomically, so the first use is known), and a use after the grace period is reuse.
      Instant now = clock.instant();
      try {
        tokens.create(new TokenSession(s.signature() + ROTATED_MARK, TokenKind.REFRESH_TOKEN, s.requestId(),
            s.clientId(), s.subject(), List.of(), List.of(), now, now.plus(grace), false, Map.of()));
      } catch (DuplicateException e) {
        if (rotatedAndGraceOver(s)) {
          tokens.deactivate(TokenKind.REFRESH_TOKEN, s.signature());
          throw reused(s, c.id());
        }
      }
    }
    Object oldAccess = s.data().get("access_signature");
    if (oldAccess != null) {
      tokens.deactivate(TokenKind.ACCESS_TOKEN, oldAccess.toString());
    }
    TokenResponse issued = issue(c, s.requestId(), s.subject(), granted, s.audience(), h.ext(), h.id(), true,
        s.requestedAt(), bind, act(s.data()));
    // A concurrent reuse of this refresh token may have revoked the chain before these tokens were stored: it
    // leaves a mark first, so the successors are revoked too (the reuse, seen after this check, revokes them itself).
    if (tokens.find(TokenKind.REFRESH_TOKEN, s.requestId() + CHAIN_REVOKED_MARK).isPresent()) {
      tokens.revokeRequest(s.requestId());
      throw OAuth2Exception.invalidGrant("The refresh token has been used or revoked; the token chain is revoked.");
    }
    return issued;
  }

  private static final String ROTATED_MARK = ":rotated";
  private static final String CHAIN_REVOKED_MARK = ":chain-revoked";

  /** True when a refresh token was rotated under a grace period that has passed. */
  private boolean rotatedAndGraceOver(TokenSession refresh) {
    if (tokenSettings.refreshTokenGracePeriod().isZero() && refresh.active()) {
      return false;
    }
    return tokens.find(TokenKind.REFRESH_TOKEN, refresh.signature() + ROTATED_MARK)
        .filter(m -> !clock.instant().isBefore(m.expiresAt())).isPresent();
  }

  private OAuth2Exception reused(TokenSession refresh, ClientId client) {
    // the mark first, then the revocation: a rotation racing with this reuse sees one or the other (see refresh)
    Instant now = clock.instant();
    try {
      tokens.create(new TokenSession(refresh.requestId() + CHAIN_REVOKED_MARK, TokenKind.REFRESH_TOKEN,
          refresh.requestId(), refresh.clientId(), refresh.subject(), List.of(), List.of(), now,
          refresh.expiresAt().isAfter(now) ? refresh.expiresAt() : now.plusSeconds(1), false, Map.of()));
    } catch (DuplicateException alreadyMarked) {
      // an earlier reuse marked the chain
    }
    int revoked = tokens.revokeRequest(refresh.requestId());
    log.warn("refresh token reused by client {}: revoked {} token(s) of its chain", client, revoked);
    return OAuth2Exception.invalidGrant("The refresh token has been used or revoked; the token chain is revoked.");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Introspection, revocation, userinfo

  /** Introspects an access or refresh token (RFC 7662, Hydra's shape). */
  public Introspection introspect(String token) {
    return introspect(token, List.of());
  }

  /** Introspects a token; when {@code scope} is not empty, the token is active only if it carries every scope. */
  public Introspection introspect(String token, List<String> scope) {
    Optional<TokenSession> found = lookup(token);
    if (found.isEmpty()) {
      return Introspection.inactive();
    }
    TokenSession s = found.get();
    if (!s.active() || !clock.instant().isBefore(s.expiresAt()) || !s.scopes().containsAll(scope)
        || (s.kind() == TokenKind.REFRESH_TOKEN && rotatedAndGraceOver(s))) {
      return Introspection.inactive();
    }
    boolean access = s.kind() == TokenKind.ACCESS_TOKEN;
    IdTokenInput id = idInput(s.data(), false);
    return new Introspection(true, String.join(" ", s.scopes()), s.clientId().value(),
        s.subject() != null ? s.subject() : s.clientId().value(), s.expiresAt().getEpochSecond(),
        s.requestedAt().getEpochSecond(), s.requestedAt().getEpochSecond(), s.audience(), issuerString,
        access ? (s.data().get(CNF_JKT) != null ? "DPoP" : "Bearer") : "Refresh",
        access ? "access_token" : "refresh_token", ext(s.data()), id == null ? null : id.pairwiseSubject(),
        cnf(s.data()), act(s.data()));
  }

  private Optional<TokenSession> lookup(String token) {
    if (token.startsWith(AT)) {
      return findSession(TokenKind.ACCESS_TOKEN, AT, token);
    }
    if (token.startsWith(RT)) {
      return findSession(TokenKind.REFRESH_TOKEN, RT, token);
    }
    if (token.chars().filter(ch -> ch == '.').count() == 2) {
      try {
        SignedJWT jwt = SignedJWT.parse(token);
        if (!verifyOwn(jwt, ACCESS_TOKEN_SET)) {
          return Optional.empty();
        }
        return tokens.find(TokenKind.ACCESS_TOKEN, jwtKey(jwt));
      } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * The store key of a JWT access token: SHA-256 of its signature (an RS256 signature of a 4096-bit key is 683
   * characters, more than a key column holds), prefixed so it never collides with an opaque token's signature.
   */
  private static String jwtKey(SignedJWT jwt) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(jwt.getSignature().toString().getBytes(StandardCharsets.US_ASCII));
      return "jwt:" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when {@code jwt} was signed by a key of our {@code set}. */
  private boolean verifyOwn(SignedJWT jwt, String set) throws com.nimbusds.jose.JOSEException {
    Optional<com.nimbusds.jose.jwk.JWK> key =
        keys.publicKey(set, Objects.requireNonNullElse(jwt.getHeader().getKeyID(), ""));
    if (key.isEmpty()) {
      return false;
    }
    com.nimbusds.jose.jwk.JWK k = key.get();
    com.nimbusds.jose.JWSVerifier v;
    try {
      v = io.ory4j.core.keys.JwsKeys.verifier(k);
    } catch (IllegalArgumentException e) {
      throw new com.nimbusds.jose.JOSEException("unsupported key type", e);
    }
    return jwt.verify(v);
  }

  /** Handles {@code POST /oauth2/revoke} (RFC 7009): the client must be the one the token was issued to. */
  public void revoke(HttpRequest request) {
    String token = request.formParam("token").orElse("");
    StoredClient c = authenticator.authenticate(request, endpoint(request, "/oauth2/revoke"));
    if (token.isEmpty()) {
      throw OAuth2Exception.invalidRequest("The token parameter is missing.");
    }
    revoke(c.client().id(), token);
  }

  /** Revokes a token issued to {@code clientId} and everything issued with it (the whole grant). */
  public void revoke(ClientId clientId, String token) {
    Optional<TokenSession> s = lookup(token);
    if (s.isEmpty()) {
      return;
    }
    if (!s.get().clientId().equals(clientId)) {
      throw OAuth2Exception.unauthorizedClient("The token was issued to another client.");
    }
    tokens.revokeRequest(s.get().requestId());
  }

  /**
   * Handles {@code GET/POST /userinfo}: a bearer token ({@code Authorization: Bearer}, or the {@code access_token}
   * form parameter), or a DPoP-bound one ({@code Authorization: DPoP} with a proof for this request whose {@code ath}
   * hashes the token and whose key is the token's, RFC 9449 section 7). A DPoP-bound token sent as a bearer token is
   * refused, and so is an unbound token sent with the DPoP scheme.
   */
  public Map<String, Object> userinfo(HttpRequest request) {
    String auth = request.header("Authorization").orElse("");
    boolean dpopScheme = auth.regionMatches(true, 0, "DPoP ", 0, 5);
    String token = dpopScheme || auth.regionMatches(true, 0, "Bearer ", 0, 7)
        ? auth.substring(auth.indexOf(' ') + 1).trim() : request.formParam("access_token").orElse("");
    if (token.isEmpty()) {
      throw OAuth2Exception.invalidToken("Check that you provided a valid token in the right format.");
    }
    Object bound = (token.startsWith(RT) ? Optional.<TokenSession>empty() : lookup(token))
        .map(s -> s.data().get(CNF_JKT)).orElse(null);
    if (bound != null || dpopScheme) {
      if (!dpop.enabled() || bound == null || !dpopScheme) {
        throw OAuth2Exception.invalidToken(bound != null ? "The access token is DPoP-bound: send it with the DPoP "
            + "authorization scheme and a DPoP proof (RFC 9449, section 7)." : "The access token is not DPoP-bound.");
      }
      String jkt;
      try {
        jkt = dpop.verify(request, request.method(), endpoint(request, "/userinfo"), token);
      } catch (OAuth2Exception e) {
        throw new OAuth2Exception(e.toOAuth2Error().withStatus(401));
      }
      if (jkt == null || !ConstantTime.equals(bound.toString(), jkt)) {
        throw new OAuth2Exception(new OAuth2Error("invalid_dpop_proof", "The DPoP proof is invalid.", jkt == null
            ? "A DPoP proof is required." : "The DPoP proof's key is not the key the access token is bound to.",
            null, 401));
      }
    }
    Object certBound = (token.startsWith(RT) ? Optional.<TokenSession>empty() : lookup(token))
        .map(s -> s.data().get(CNF_X5T)).orElse(null);
    if (certBound != null) {
      String presented = mtls == null ? null : mtls.of(request).map(
          io.ory4j.oauth2.internal.ClientCertificates::thumbprint).orElse(null);
      if (!ConstantTime.equals(certBound.toString(), presented)) {
        log.warn("certificate-bound access token presented without its client certificate");
        throw OAuth2Exception.invalidToken("The access token is bound to a client certificate: send it over mutual "
            + "TLS with that certificate (RFC 8705, section 3).");
      }
    }
    return userinfo(token);
  }

  /** The userinfo claims of an access token: {@code sub} and the consent's ID token claims. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> userinfo(String accessToken) {
    Optional<TokenSession> s = accessToken.startsWith(RT) ? Optional.empty() : lookup(accessToken);
    if (s.isEmpty() || !s.get().active() || !clock.instant().isBefore(s.get().expiresAt())
        || s.get().kind() != TokenKind.ACCESS_TOKEN) {
      throw OAuth2Exception.invalidToken("The access token is unknown, expired or revoked.");
    }
    if (s.get().subject() == null || !s.get().scopes().contains("openid")) {
      throw OryException.forbidden("The access token was not granted the openid scope.")
          .withId("insufficient_scope");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    IdTokenInput id = idInput(s.get().data(), false);
    if (id != null) {
      out.putAll(id.claims());
    }
    out.put("sub", id != null && id.pairwiseSubject() != null ? id.pairwiseSubject() : s.get().subject());
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Authorization endpoint and the login/consent flow

  private record AuthRequest(StoredClient client, java.util.Set<String> responseTypes, URI redirectUri,
      boolean redirectGiven, String responseMode,
      String state, List<String> scope, List<String> audience, @Nullable String nonce, @Nullable String codeChallenge,
      @Nullable String codeChallengeMethod, List<String> prompt, @Nullable Long maxAge, Map<String, Object> oidc,
      Map<String, List<String>> params) {}

  /**
   * How an authorization request arrives: fresh from the browser, resumed from a flow's stored parameters (with a
   * login or consent verifier), or pushed to {@code /oauth2/par}.
   */
  private enum Mode { BROWSER, RESUMED, PUSHED }

  static final String PAR_PREFIX = "urn:ietf:params:oauth:request_uri:";

  private ConsentSettings consent() {
    if (consentSettings == null) {
      throw OAuth2Exception.serverError("The login and consent URLs are not configured.");
    }
    return consentSettings;
  }

  /** Handles {@code GET /oauth2/auth}: starts, continues or finishes a login and consent flow. */
  public HttpResponse authorize(HttpRequest request) {
    Map<String, List<String>> params = "POST".equals(request.method()) ? request.form() : request.query();
    String loginVerifier = first(params, "login_verifier");
    String consentVerifier = first(params, "consent_verifier");
    Mode parse = Mode.BROWSER;
    if (loginVerifier != null || consentVerifier != null) {
      // resumed: the request is the one the flow stored when it started, whatever the browser's URL says
      parse = Mode.RESUMED;
      Optional<Flow> f = consentVerifier != null ? flows.findFlow(FlowKey.CONSENT_VERIFIER, consentVerifier)
          : flows.findFlow(FlowKey.LOGIN_VERIFIER, Objects.requireNonNull(loginVerifier));
      if (f.isPresent()) {
        params = queryOf(f.get().requestUrl());
      }
    }
    AuthRequest ar = parseAuthorize(params, parse);
    OAuth2Exception.Channel ch = new OAuth2Exception.Channel(ar.redirectUri(), ar.responseMode(), ar.state(),
        issParameter());
    try {
      if (consentVerifier != null) {
        return finishConsent(request, ar, consentVerifier);
      }
      if (loginVerifier != null) {
        return finishLogin(request, ar, loginVerifier);
      }
      return startFlow(request, ar);
    } catch (OAuth2Exception e) {
      throw e.channel() == null ? e.redirectTo(ch) : e;
    } catch (OryException e) {
      OAuth2Error o = e.toOAuth2Error();
      throw new OAuth2Exception(o, ch, e);
    }
  }

  private static @Nullable String first(Map<String, List<String>> p, String name) {
    List<String> v = p.get(name);
    return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
  }

  private static Map<String, List<String>> queryOf(String url) {
    int q = url.indexOf('?');
    return HttpRequest.parseQuery(q < 0 ? null : url.substring(q + 1));
  }

  private AuthRequest parseAuthorize(Map<String, List<String>> p, Mode parse) {
    for (Map.Entry<String, List<String>> e : p.entrySet()) {
      if (e.getValue().size() > 1 && !"audience".equals(e.getKey())) {
        throw OAuth2Exception.invalidRequest("Parameter '" + e.getKey() + "' was included more than once.");
      }
    }
    String clientId = first(p, "client_id");
    if (clientId == null) {
      throw OAuth2Exception.invalidClient("The client_id parameter is missing.");
    }
    StoredClient sc = !ClientId.isValid(clientId) ? null : clients.find(new ClientId(clientId)).orElse(null);
    if (sc == null) {
      throw OAuth2Exception.invalidClient("The requested OAuth 2.0 Client does not exist.");
    }
    OAuth2Client c = sc.client();
    boolean pushed = false;
    if (parse == Mode.BROWSER && Objects.requireNonNullElse(first(p, "request_uri"), "").startsWith(PAR_PREFIX)) {
      p = redeemPushedRequest(c, first(p, "request_uri"));
      pushed = true;
    } else if (parse != Mode.RESUMED) {
      p = applyRequestObject(c, p);
    }
    String redirect = first(p, "redirect_uri");
    URI redirectUri;
    if (redirect == null) {
      if (c.redirectUris().size() != 1) {
        throw OAuth2Exception.invalidRequest("The 'redirect_uri' parameter is required when the client has more "
            + "than one redirect URI.");
      }
      redirectUri = URI.create(c.redirectUris().get(0));
    } else if (c.redirectUris().contains(redirect) || loopbackMatch(c.redirectUris(), redirect)) {
      redirectUri = URI.create(redirect);
    } else {
      throw OAuth2Exception.invalidRequest("The 'redirect_uri' parameter does not match any of the OAuth 2.0 Client's "
          + "pre-registered redirect urls.");
    }
    String responseType = Objects.requireNonNullElse(first(p, "response_type"), "");
    java.util.Set<String> types = responseTypeSet(responseType);
    boolean frontChannelTokens = types.contains("token") || types.contains("id_token");
    String mode = Objects.requireNonNullElse(first(p, "response_mode"), frontChannelTokens ? "fragment" : "query");
    String state = Objects.requireNonNullElse(first(p, "state"), "");
    OAuth2Exception.Channel ch = new OAuth2Exception.Channel(redirectUri,
        List.of("query", "fragment", "form_post").contains(mode) ? mode : "query", state.isEmpty() ? null : state,
        issParameter());
    if (!List.of("query", "fragment", "form_post").contains(mode)) {
      throw OAuth2Exception.invalidRequest("Response mode '" + mode + "' is not supported.").redirectTo(ch);
    }
    if (parse == Mode.BROWSER && !pushed && (par.required() || c.requirePushedAuthorizationRequests())) {
      log.warn("client {} sent an authorization request that was not pushed, but pushing is required", c.id());
      throw OAuth2Exception.invalidRequest("Pushed Authorization Requests are required for this client, but the "
          + "request was not pushed (RFC 9126, section 6); push it to /oauth2/par and send its request_uri.")
          .redirectTo(ch);
    }
    if (responseType.isEmpty()) {
      throw OAuth2Exception.unsupportedResponseType("The response_type parameter is missing.").redirectTo(ch);
    }
    if (types.contains("token") && security.refuseAccessTokensInAuthorizationResponse()) {
      throw OAuth2Exception.unsupportedResponseType("Response types that return an access token from the "
          + "authorization endpoint are refused (RFC 9700, section 2.1.2); use the authorization code flow.")
          .redirectTo(ch);
    }
    if (!RESPONSE_TYPE_PARTS.containsAll(types)) {
      throw OAuth2Exception.unsupportedResponseType("The response type '" + responseType + "' is not supported.")
          .redirectTo(ch);
    }
    if (c.responseTypes().stream().map(OAuth2Provider::responseTypeSet).noneMatch(types::equals)) {
      throw OAuth2Exception.unsupportedResponseType("The client is not allowed to request response type '"
          + responseType + "'.").redirectTo(ch);
    }
    if ((types.contains("code") && !c.grantTypes().contains("authorization_code"))
        || (frontChannelTokens && !c.grantTypes().contains("implicit"))) {
      throw OAuth2Exception.unauthorizedClient("The client is not allowed to use the grant type this response type "
          + "needs ('authorization_code' for code, 'implicit' for token and id_token).").redirectTo(ch);
    }
    if (frontChannelTokens && "query".equals(mode)) {
      throw OAuth2Exception.invalidRequest("Insecure response_mode 'query' for a response type that returns tokens; "
          + "use 'fragment' or 'form_post'.").redirectTo(ch);
    }
    if (types.contains("id_token") && Objects.requireNonNullElse(first(p, "nonce"), "").length() < 8) {
      throw OAuth2Exception.invalidRequest("Parameter 'nonce' must be set and at least 8 characters long when the "
          + "response type contains 'id_token'.").redirectTo(ch);
    }
    if (types.contains("id_token") && !Scopes.split(first(p, "scope")).contains("openid")) {
      throw OAuth2Exception.invalidScope("The response type 'id_token' requires the 'openid' scope.").redirectTo(ch);
    }
    if (state.length() < tokenSettings.minStateLength()) {
      throw OAuth2Exception.invalidRequest("Request parameter 'state' must be at least be "
          + tokenSettings.minStateLength() + " characters long to ensure sufficient entropy.").redirectTo(ch);
    }
    List<String> scope = Scopes.split(first(p, "scope"));
    for (String s : scope) {
      if (!Scopes.matches(tokenSettings.wildcardScopes(), c.scopes(), s)) {
        throw OAuth2Exception.invalidScope("The OAuth 2.0 Client is not allowed to request scope '" + s + "'.")
            .redirectTo(ch);
      }
    }
    List<String> audience = audience(p.get("audience"));
    try {
      checkAudience(c, audience);
    } catch (OAuth2Exception e) {
      throw e.redirectTo(ch);
    }
    String challenge = first(p, "code_challenge");
    String method = first(p, "code_challenge_method");
    if (challenge == null) {
      if (types.contains("code") && (c.isPublic() || tokenSettings.enforcePkce())) {
        throw OAuth2Exception.invalidRequest("Clients must include a code_challenge when performing the authorize "
            + "code flow, but it is missing.").redirectTo(ch);
      }
    } else {
      method = method == null ? "plain" : method;
      if ("plain".equals(method) && !tokenSettings.allowPlainPkce()) {
        throw OAuth2Exception.invalidRequest("Clients must use code_challenge_method=S256, plain is not allowed.")
            .redirectTo(ch);
      }
      if (!"S256".equals(method) && !"plain".equals(method)) {
        throw OAuth2Exception.invalidRequest("The code_challenge_method is not supported, use S256.").redirectTo(ch);
      }
      if (challenge.length() < 43 || challenge.length() > 128) {
        throw OAuth2Exception.invalidRequest("The PKCE code challenge must be 43 to 128 characters.").redirectTo(ch);
      }
    }
    List<String> prompt = Scopes.split(first(p, "prompt"));
    for (String pr : prompt) {
      if (!List.of("none", "login", "consent", "select_account").contains(pr)) {
        throw OAuth2Exception.invalidRequest("Used unknown value '" + pr + "' for prompt parameter.").redirectTo(ch);
      }
    }
    if (prompt.contains("none") && prompt.size() > 1) {
      throw OAuth2Exception.invalidRequest("Parameter 'prompt' was set to 'none', but contains other values as well "
          + "which is not allowed.").redirectTo(ch);
    }
    Long maxAge = null;
    String ma = first(p, "max_age");
    if (ma != null) {
      try {
        maxAge = Long.parseLong(ma);
        if (maxAge < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw OAuth2Exception.invalidRequest("Parameter 'max_age' must be a non-negative integer.").redirectTo(ch);
      }
    }
    Map<String, Object> oidc;
    try {
      oidc = oidcContext(p);
    } catch (OAuth2Exception e) {
      throw e.redirectTo(ch);
    }
    return new AuthRequest(sc, types, redirectUri, redirect != null, mode, state, scope, audience, first(p, "nonce"),
        challenge, challenge == null ? null : method, prompt, maxAge, oidc, p);
  }

  /**
   * Applies a {@code request} / {@code request_uri} object to the parameters. Its errors go back to the client by
   * redirect when the query's own {@code redirect_uri} is registered (or the client has only one), else as JSON.
   */
  private Map<String, List<String>> applyRequestObject(OAuth2Client c, Map<String, List<String>> p) {
    try {
      return requestObjects.resolve(c, p);
    } catch (OAuth2Exception e) {
      String redirect = first(p, "redirect_uri");
      String to = redirect == null ? (c.redirectUris().size() == 1 ? c.redirectUris().get(0) : null)
          : (c.redirectUris().contains(redirect) ? redirect : null);
      if (to == null) {
        throw e;
      }
      String mode = first(p, "response_mode");
      throw e.redirectTo(new OAuth2Exception.Channel(URI.create(to),
          mode != null && List.of("query", "fragment", "form_post").contains(mode) ? mode : "query", first(p, "state"),
          issParameter()));
    }
  }

  /** The {@code iss} authorization response parameter (RFC 9207), when enabled. */
  private @Nullable String issParameter() {
    return security.authorizationResponseIss() ? issuerString : null;
  }

  /**
   * Hydra's (fosite's) loopback rule (RFC 8252 section 7.3): a requested {@code http} redirect URI on a loopback IP
   * literal matches a registered one that differs only in the port.
   */
  private static boolean loopbackMatch(List<String> registered, String requested) {
    URI r;
    try {
      r = new URI(requested);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    if (!"http".equals(r.getScheme()) || !ClientRegistry.isLoopbackIp(r.getHost())) {
      return false;
    }
    for (String candidate : registered) {
      try {
        URI c = new URI(candidate);
        if ("http".equals(c.getScheme()) && Objects.equals(c.getHost(), r.getHost())
            && Objects.equals(c.getRawPath(), r.getRawPath()) && Objects.equals(c.getRawQuery(), r.getRawQuery())
            && c.getRawUserInfo() == null && r.getRawUserInfo() == null) {
          return true;
        }
      } catch (java.net.URISyntaxException e) {
        // not a match
      }
    }
    return false;
  }

  private Optional<LoginSession> loginSession(HttpRequest request) {
    return request.cookie(SESSION_COOKIE).flatMap(v -> {
      int dot = v.lastIndexOf('.');
      if (dot <= 0 || !codec.verifyMac(v.substring(0, dot), v.substring(dot + 1))) {
        return Optional.empty();
      }
      return flows.findLoginSession(v.substring(0, dot));
    }).filter(s -> s.expiresAt() == null || clock.instant().isBefore(s.expiresAt()));
  }

  private Cookie cookie(String name, String value, @Nullable Duration maxAge) {
    Cookie c = Cookie.of(name, value).withSecure(consent().secureCookies());
    return maxAge == null ? c : c.withMaxAge(maxAge);
  }

  private HttpResponse startFlow(HttpRequest request, AuthRequest ar) {
    return startFlow(request, ar, "/oauth2/auth");
  }

  /** Starts a login flow; the browser comes back to {@code returnPath} with the login and consent verifiers. */
  private HttpResponse startFlow(HttpRequest request, AuthRequest ar, String returnPath) {
    ConsentSettings cs = consent();
    Instant now = clock.instant();
    Optional<LoginSession> session = loginSession(request).filter(LoginSession::remember);
    boolean skip = session.isPresent() && !ar.prompt().contains("login");
    if (skip && ar.maxAge() != null
        && session.get().authenticatedAt().plusSeconds(ar.maxAge()).isBefore(now)) {
      skip = false;
    }
    Object hinted = ar.oidc().get("id_token_hint_claims") instanceof Map<?, ?> h ? h.get("sub") : null;
    if (skip && hinted != null && !hinted.equals(session.get().subject())) {
      if (ar.prompt().contains("none")) {
        throw OAuth2Exception.loginRequired("The subject of the id_token_hint does not match the login session.");
      }
      skip = false;
    }
    if (ar.prompt().contains("none") && !skip) {
      throw OAuth2Exception.loginRequired("Prompt 'none' was requested, but no existing login session was found.");
    }
    String requestUrl = issuerString + returnPath + "?" + encodeParams(ar.params());
    String csrf = secrets.nextToken(24);
    Flow flow = new Flow(secrets.nextToken(24), FlowState.LOGIN_INITIALIZED, ar.client().client().id(), requestUrl,
        ar.scope(), ar.audience(), now, now.plus(cs.flowLifespan()), csrf, skip,
        session.map(LoginSession::id).orElse(null), null, null, null, false, null, null, null);
    if (skip) {
      flow = new Flow(flow.id(), flow.state(), flow.clientId(), flow.requestUrl(), flow.requestedScope(),
          flow.requestedAudience(), now, flow.expiresAt(), csrf, true, session.get().id(),
          new LoginGrant(session.get().subject(), true, 0, "", List.of(), Map.of(), session.get().authenticatedAt(),
              null), null, null, false, null, null, null);
    }
    flows.createFlow(flow);
    log.debug("started login flow for client {}", ar.client().client().id());
    return HttpResponse.builder(302).header("Location", withParam(cs.loginUrl().toString(), "login_challenge",
        flow.id())).cookie(cookie(csrfCookie(LOGIN_CSRF, flow.clientId()), csrf, cs.flowLifespan())).build();
  }

  private static String withParam(String url, String name, String value) {
    return url + (url.contains("?") ? "&" : "?") + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private Flow requireFlow(FlowKey key, String value, String what) {
    Flow f = flows.findFlow(key, value).orElseThrow(() -> OryException.notFound("Unable to locate the resource")
        .withReason("the " + what + " does not exist"));
    if (!clock.instant().isBefore(f.expiresAt())) {
      throw OryException.notFound("Unable to locate the resource").withReason("the " + what + " has expired");
    }
    return f;
  }

  /** The CSRF cookie of a flow: one name per client, as Hydra's, so flows of two clients in one browser coexist. */
  private String csrfCookie(String prefix, ClientId client) {
    return prefix + "_" + codec.mac("csrf:" + client.value()).substring(0, 10).replace('-', 'x').replace('_', 'y');
  }

  private void checkCsrf(HttpRequest request, String cookiePrefix, Flow f) {
    if (!clock.instant().isBefore(f.expiresAt())) {
      throw OAuth2Exception.invalidRequest("The login and consent flow has expired; start it again.");
    }
    String cookieName = csrfCookie(cookiePrefix, f.clientId());
    if (!ConstantTime.equals(request.cookie(cookieName).orElse(null), f.csrf())) {
      throw OAuth2Exception.invalidRequest("No CSRF value available in the session cookie, or it does not match: "
          + "the flow must be finished in the browser that started it.");
    }
  }

  private HttpResponse finishLogin(HttpRequest request, AuthRequest ar, String verifier) {
    ConsentSettings cs = consent();
    Flow f = flows.findFlow(FlowKey.LOGIN_VERIFIER, verifier).orElseThrow(() ->
        OAuth2Exception.accessDenied("The login verifier has already been used, has not been granted, or is invalid."));
    checkCsrf(request, LOGIN_CSRF, f);
    if (!f.clientId().equals(ar.client().client().id())) {
      throw OAuth2Exception.invalidRequest("The login verifier was issued to another client.");
    }
    if (f.state() == FlowState.LOGIN_ERROR && f.error() != null) {
      throw fromFlowError(f.error());
    }
    if (f.state() != FlowState.LOGIN_UNUSED || f.login() == null) {
      throw OAuth2Exception.accessDenied("The login verifier has already been used, has not been granted, or is "
          + "invalid.");
    }
    LoginGrant login = f.login();
    HttpResponse.Builder out = HttpResponse.builder(302);
    String sid = f.loginSessionId();
    if (!f.loginSkip() && login.remember()) {
      sid = sid != null ? sid : secrets.nextToken(24);
      Instant exp = login.rememberFor() > 0 ? login.authenticatedAt().plusSeconds(login.rememberFor()) : null;
      flows.saveLoginSession(new LoginSession(sid, login.subject(), login.authenticatedAt(), true, exp));
      out.cookie(cookie(SESSION_COOKIE, sid + "." + codec.mac(sid),
          login.rememberFor() > 0 ? Duration.ofSeconds(login.rememberFor()) : null));
    }
    boolean consentSkip = ar.client().client().skipConsent() || (!ar.prompt().contains("consent")
        && rememberedConsent(login.subject(), f.clientId(), f.requestedScope(), f.requestedAudience()).isPresent());
    if (ar.prompt().contains("none") && !consentSkip) {
      throw OAuth2Exception.consentRequired("Prompt 'none' was requested, but no previous consent was found.");
    }
    Flow next = new Flow(f.id(), FlowState.LOGIN_UNUSED, f.clientId(), f.requestUrl(), f.requestedScope(),
        f.requestedAudience(), f.requestedAt(), f.expiresAt(), f.csrf(), f.loginSkip(), sid, login,
        f.loginVerifier(), null, false, null, null, null).withConsentChallenge(secrets.nextToken(24), consentSkip);
    if (!flows.updateFlow(next, FlowState.LOGIN_UNUSED)) {
      throw OAuth2Exception.accessDenied("The login verifier has already been used.");
    }
    return out.header("Location", withParam(cs.consentUrl().toString(), "consent_challenge",
        Objects.requireNonNull(next.consentChallenge()))).cookie(cookie(csrfCookie(CONSENT_CSRF, f.clientId()), f.csrf(), cs.flowLifespan()))
        .build();
  }

  private Optional<ConsentSession> rememberedConsent(String subject, ClientId client, List<String> scope,
      List<String> audience) {
    Instant now = clock.instant();
    return flows.consentSessions(subject, client).stream()
        .filter(s -> s.grant().remember() && (s.expiresAt() == null || now.isBefore(s.expiresAt())))
        .filter(s -> s.grant().grantScope().containsAll(scope) && s.grant().grantAudience().containsAll(audience))
        .findFirst();
  }

  private static OAuth2Exception fromFlowError(FlowError e) {
    String desc = e.description().isEmpty() ? "The resource owner or authorization server denied the request."
        : e.description();
    return new OAuth2Exception(new OAuth2Error(e.error(), desc, e.hint().isEmpty() ? null : e.hint(),
        e.debug().isEmpty() ? null : e.debug(), e.statusCode()));
  }

  private HttpResponse finishConsent(HttpRequest request, AuthRequest ar, String verifier) {
    Flow f = flows.findFlow(FlowKey.CONSENT_VERIFIER, verifier).orElseThrow(() ->
        OAuth2Exception.accessDenied("The consent verifier has already been used, has not been granted, or is "
            + "invalid."));
    checkCsrf(request, CONSENT_CSRF, f);
    if (!f.clientId().equals(ar.client().client().id())) {
      throw OAuth2Exception.invalidRequest("The consent verifier was issued to another client.");
    }
    if (f.state() == FlowState.CONSENT_ERROR && f.error() != null) {
      throw fromFlowError(f.error());
    }
    if (f.state() != FlowState.CONSENT_UNUSED || f.consent() == null || f.login() == null) {
      throw OAuth2Exception.accessDenied("The consent verifier has already been used, has not been granted, or is "
          + "invalid.");
    }
    if (!flows.updateFlow(f.withState(FlowState.CONSENT_USED), FlowState.CONSENT_UNUSED)) {
      throw OAuth2Exception.accessDenied("The consent verifier has already been used.");
    }
    ConsentGrant g = f.consent();
    LoginGrant login = f.login();
    String subject = login.subject();
    if (!f.consentSkip()) {
      Instant exp = g.remember() && g.rememberFor() > 0 ? g.handledAt().plusSeconds(g.rememberFor()) : null;
      flows.saveConsentSession(new ConsentSession(Objects.requireNonNull(f.consentChallenge()), login.subject(),
          f.clientId(), f.loginSessionId(), g, exp));
    }
    if (ar.responseTypes().contains(DEVICE_RESPONSE)) {
      return approveDevice(ar, f, g, login);
    }
    Instant now = clock.instant();
    String requestId = ids.nextString();
    Map<String, String> params = new LinkedHashMap<>();
    String codeToken = null;
    if (ar.responseTypes().contains("code")) {
      codeToken = issueCode(ar, f, g, login, subject, requestId, now);
      params.put("code", codeToken);
    }
    OAuth2Client client = ar.client().client();
    String accessToken = null;
    if (ar.responseTypes().contains("token")) {
      TokenResponse t = issue(client, requestId, subject, g.grantScope(), g.grantAudience(), g.accessTokenClaims(),
          null, false, now, NO_BINDING);
      accessToken = t.accessToken();
      params.put("access_token", accessToken);
      params.put("token_type", "bearer");
      params.put("expires_in", Long.toString(t.expiresIn()));
    }
    if (ar.responseTypes().contains("id_token")) {
      params.put("id_token", idToken(client, subject, new IdTokenInput(ar.nonce(), login.authenticatedAt(),
          login.acr(), login.amr(), f.loginSessionId(), g.idTokenClaims(), pairwise(client, login)), accessToken,
          codeToken, now));
    }
    params.put("scope", String.join(" ", g.grantScope()));
    params.put("state", ar.state());
    if (security.authorizationResponseIss()) {
      params.put("iss", issuerString);
    }
    log.debug("answered the authorization request of client {} ({})", f.clientId(), ar.responseTypes());
    return respond(ar.redirectUri(), ar.responseMode(), params);
  }

  /**
   * The pairwise subject of a {@code pairwise} client (OIDC Core 8.1, as Hydra: hex SHA-256 of the sector identifier,
   * the subject and the salt, where the sector identifier is the host of the {@code sector_identifier_uri}, or of the
   * only redirect URI), or the login app's {@code force_subject_identifier}; null for a public-subject client.
   */
  private @Nullable String pairwise(OAuth2Client c, LoginGrant login) {
    if (!"pairwise".equals(c.subjectType())) {
      return null;
    }
    if (login.forceSubjectIdentifier() != null && !login.forceSubjectIdentifier().isEmpty()) {
      return login.forceSubjectIdentifier();
    }
    String sector;
    if (!c.sectorIdentifierUri().isEmpty()) {
      sector = URI.create(c.sectorIdentifierUri()).getHost();
    } else if (c.redirectUris().size() == 1) {
      sector = URI.create(c.redirectUris().get(0)).getHost();
    } else {
      throw OAuth2Exception.invalidRequest("OAuth 2.0 Client " + c.id() + " has " + (c.redirectUris().isEmpty()
          ? "no redirect_uris" : "multiple redirect_uris") + " but no sector_identifier_uri was set which is not "
          + "allowed when performing using subject type pairwise. Please reconfigure the OAuth 2.0 client properly.");
    }
    try {
      java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
      d.update(Objects.requireNonNullElse(sector, "").getBytes(StandardCharsets.UTF_8));
      d.update(login.subject().getBytes(StandardCharsets.UTF_8));
      d.update(Objects.requireNonNull(pairwiseSalt, "pairwise salt").getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String issueCode(AuthRequest ar, Flow f, ConsentGrant g, LoginGrant login, String subject, String requestId,
      Instant now) {
    TokenCodec.Minted code = codec.mint(AC);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("redirect_uri", ar.redirectUri().toString());
    data.put("redirect_uri_given", ar.redirectGiven());
    if (ar.codeChallenge() != null) {
      data.put("code_challenge", ar.codeChallenge());
      data.put("code_challenge_method", Objects.requireNonNull(ar.codeChallengeMethod()));
    }
    data.put("flow", f.id());
    data.put("ext", g.accessTokenClaims());
    String dpopJkt = first(ar.params(), "dpop_jkt");
    if (dpopJkt != null && dpop.enabled()) {
      data.put("dpop_jkt", dpopJkt);
    }
    if (g.grantScope().contains("openid")) {
      data.put("id_token", idData(new IdTokenInput(ar.nonce(), login.authenticatedAt(), login.acr(), login.amr(),
          f.loginSessionId(), g.idTokenClaims(), pairwise(ar.client().client(), login))));
    }
    tokens.create(new TokenSession(code.signature(), TokenKind.AUTHORIZE_CODE, requestId, f.clientId(),
        subject, g.grantScope(), g.grantAudience(), now, now.plus(tokenSettings.authorizationCodeLifespan()), true,
        data));
    return code.token();
  }

  /** Sends authorization response parameters back to the client in the response mode. */
  static HttpResponse respond(URI redirectUri, String mode, Map<String, String> params) {
    String base = redirectUri.toString();
    StringBuilder q = new StringBuilder();
    params.forEach((k, v) -> {
      if (q.length() > 0) {
        q.append('&');
      }
      q.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
    });
    return switch (mode) {
      case "form_post" -> {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>Submit This Form</title></head>"
            + "<body onload=\"javascript:document.forms[0].submit()\"><form method=\"post\" action=\"")
            .append(Html.escape(base)).append("\">");
        params.forEach((k, v) -> html.append("<input type=\"hidden\" name=\"").append(Html.escape(k))
            .append("\" value=\"").append(Html.escape(v)).append("\"/>"));
        yield HttpResponse.html(200, html.append("</form></body></html>").toString());
      }
      case "fragment" -> HttpResponse.redirect(303, base + "#" + q);
      default -> HttpResponse.redirect(303, base + (base.contains("?") ? "&" : "?") + q);
    };
  }

  // Admin: login

  /** The login request for {@code challenge}. */
  public LoginRequest loginRequest(String challenge) {
    Flow f = requireFlow(FlowKey.LOGIN_CHALLENGE, challenge, "login request");
    if (f.state() != FlowState.LOGIN_INITIALIZED && f.state() != FlowState.LOGIN_UNUSED) {
      throw gone(f.loginVerifier() == null ? null : loginRedirect(f));
    }
    OAuth2Client c = requireClient(f.clientId()).client();
    return new LoginRequest(f.id(), f.requestedScope(), f.requestedAudience(), f.loginSkip(),
        f.loginSkip() && f.login() != null ? f.login().subject() : "", oidcContext(f), c, f.requestUrl(),
        f.loginSessionId());
  }

  private static OryException gone(@Nullable String redirectTo) {
    OryException e = OryException.of(410, "The request has already been handled.");
    return redirectTo == null ? e : e.withDetail("redirect_to", redirectTo);
  }

  private Map<String, Object> oidcContext(Flow f) {
    return oidcContext(queryOf(f.requestUrl()));
  }

  /** Form-encodes parameters (a flow's request URL holds the request it started with, request objects applied). */
  private static String encodeParams(Map<String, List<String>> params) {
    StringBuilder q = new StringBuilder();
    params.forEach((k, vs) -> vs.forEach(v -> {
      if (q.length() > 0) {
        q.append('&');
      }
      q.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    }));
    return q.toString();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Device authorization grant (RFC 8628), through Hydra's login and consent challenges

  /** The device code grant type (RFC 8628, section 3.4). */
  public static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
  private static final String DC = "ory_dc_";
  private static final String DEVICE_RESPONSE = "device_code";
  private static final String USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
  /** Device challenges exist before a client is known: their sessions name this placeholder client. */
  private static final ClientId NO_CLIENT = new ClientId("ory4j-device-challenge");

  private DeviceSettings device() {
    if (deviceSettings == null) {
      throw OAuth2Exception.invalidRequest("The device authorization grant is not enabled.");
    }
    return deviceSettings;
  }

  private String userCodeSignature(String userCode) {
    return codec.mac("user_code:" + userCode.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z]", ""));
  }

  /**
   * Handles {@code POST /oauth2/device/auth} (RFC 8628 section 3.1): authenticates the client (public clients send
   * {@code client_id}), checks scope and audience, and returns a device code, a user code and where to enter it.
   */
  public Map<String, Object> deviceAuthorization(HttpRequest request) {
    DeviceSettings ds = device();
    if (!"POST".equals(request.method())
        || !request.contentType().filter("application/x-www-form-urlencoded"::equals).isPresent()) {
      throw OAuth2Exception.invalidRequest("The device authorization request must be a form POST.");
    }
    OAuth2Client c = authenticator.authenticate(request, endpoint(request, "/oauth2/device/auth")).client();
    if (!c.grantTypes().contains(DEVICE_GRANT)) {
      throw OAuth2Exception.unauthorizedClient("The client is not allowed to use grant type '" + DEVICE_GRANT + "'.");
    }
    List<String> scope = Scopes.split(request.formParam("scope").orElse(null));
    checkScopes(c, scope);
    List<String> audience = audience(request.form().get("audience"));
    checkAudience(c, audience);
    Instant now = clock.instant();
    Instant exp = now.plus(ds.lifespan());
    TokenCodec.Minted dc = codec.mint(DC);
    String userCode = secrets.nextString(8, USER_CODE_ALPHABET);
    String requestId = ids.nextString();
    tokens.create(new TokenSession(dc.signature(), TokenKind.DEVICE_CODE, requestId, c.id(), null, scope, audience,
        now, exp, true, Map.of()));
    tokens.create(new TokenSession(userCodeSignature(userCode), TokenKind.DEVICE_STEP, requestId, c.id(), null,
        scope, audience, now, exp, true, Map.of("device", dc.signature())));
    tokens.create(new TokenSession(codec.mac("device_request:" + requestId), TokenKind.DEVICE_STEP, requestId,
        c.id(), null, List.of(), List.of(), now, exp, false, Map.of("device", dc.signature())));
    String shown = userCode.substring(0, 4) + "-" + userCode.substring(4);
    String verify = issuerString + "/oauth2/device/verify";
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("device_code", dc.token());
    out.put("user_code", shown);
    out.put("verification_uri", verify);
    out.put("verification_uri_complete", withParam(verify, "user_code", shown));
    out.put("expires_in", ds.lifespan().toSeconds());
    out.put("interval", ds.interval().toSeconds());
    log.debug("device authorization for client {}", c.id());
    return out;
  }

  /**
   * Handles {@code GET /oauth2/device/verify}: a first visit gets a {@code device_challenge} for the verification
   * page; the page's {@code device_verifier} starts login and consent; their verifiers come back here; after consent
   * the device code is approved and the browser goes to the success page.
   */
  public HttpResponse deviceVerify(HttpRequest request) {
    DeviceSettings ds = device();
    Map<String, List<String>> q = request.query();
    String loginVerifier = first(q, "login_verifier");
    String consentVerifier = first(q, "consent_verifier");
    if (loginVerifier != null || consentVerifier != null) {
      Flow f = (consentVerifier != null ? flows.findFlow(FlowKey.CONSENT_VERIFIER, consentVerifier)
          : flows.findFlow(FlowKey.LOGIN_VERIFIER, loginVerifier)).orElseThrow(() -> OAuth2Exception.accessDenied(
              "The verifier has already been used, has not been granted, or is invalid."));
      AuthRequest ar = deviceRequest(queryOf(f.requestUrl()));
      try {
        return consentVerifier != null ? finishConsent(request, ar, consentVerifier)
            : finishLogin(request, ar, Objects.requireNonNull(loginVerifier));
      } catch (OAuth2Exception e) {
        if ("access_denied".equals(e.toOAuth2Error().error())) {
          markDevice(ar, ":denied", null, null, null);
        }
        throw new OAuth2Exception(e.toOAuth2Error());
      }
    }
    String deviceVerifier = first(q, "device_verifier");
    Instant now = clock.instant();
    if (deviceVerifier != null) {
      String sig = codec.mac("device_verifier:" + deviceVerifier);
      TokenSession v = tokens.find(TokenKind.DEVICE_STEP, sig).filter(x -> x.active() && now.isBefore(x.expiresAt()))
          .orElseThrow(() -> OAuth2Exception.accessDenied("The device verifier has already been used, has expired, or "
              + "is invalid."));
      if (!ConstantTime.equals(request.cookie(DEVICE_CSRF).orElse(null), String.valueOf(v.data().get("csrf")))) {
        throw OAuth2Exception.invalidRequest("No CSRF value available in the session cookie, or it does not match: "
            + "the device verification must be finished in the browser that started it.");
      }
      if (!tokens.deactivate(TokenKind.DEVICE_STEP, sig)) {
        throw OAuth2Exception.accessDenied("The device verifier has already been used.");
      }
      Map<String, List<String>> params = new LinkedHashMap<>();
      params.put("client_id", List.of(v.clientId().value()));
      params.put("scope", List.of(String.join(" ", v.scopes())));
      if (!v.audience().isEmpty()) {
        params.put("audience", v.audience());
      }
      params.put("device_request", List.of(v.requestId()));
      return startFlow(request, deviceRequest(params), "/oauth2/device/verify");
    }
    String challenge = secrets.nextToken(24);
    String csrf = secrets.nextToken(24);
    tokens.create(new TokenSession(codec.mac("device_challenge:" + challenge), TokenKind.DEVICE_STEP,
        ids.nextString(), NO_CLIENT, null, List.of(), List.of(), now, now.plus(consent().flowLifespan()), true,
        Map.of("csrf", csrf)));
    String to = withParam(ds.verificationUrl().toString(), "device_challenge", challenge);
    if (first(q, "user_code") != null) {
      to = withParam(to, "user_code", Objects.requireNonNull(first(q, "user_code")));
    }
    return HttpResponse.builder(302).header("Location", to)
        .cookie(cookie(DEVICE_CSRF, csrf, consent().flowLifespan())).build();
  }

  /**
   * Accepts a device challenge with the user code the user typed ({@code PUT
   * /admin/oauth2/auth/requests/device/accept}); the browser goes on to login at {@code redirect_to}.
   */
  public Completed acceptDeviceRequest(String challenge, String userCode) {
    device();
    Instant now = clock.instant();
    String challengeSig = codec.mac("device_challenge:" + challenge);
    TokenSession ch = tokens.find(TokenKind.DEVICE_STEP, challengeSig)
        .filter(x -> x.active() && now.isBefore(x.expiresAt()))
        .orElseThrow(() -> OryException.notFound("Unable to locate the resource")
            .withReason("the device challenge does not exist, has expired or was used"));
    String codeSig = userCodeSignature(userCode);
    TokenSession uc = tokens.find(TokenKind.DEVICE_STEP, codeSig).filter(x -> now.isBefore(x.expiresAt()))
        .filter(x -> tokens.deactivate(TokenKind.DEVICE_STEP, codeSig)).orElseThrow(() ->
            OAuth2Exception.invalidRequest("The 'user_code' session could not be found or has expired or is "
                + "otherwise malformed."));
    tokens.deactivate(TokenKind.DEVICE_STEP, challengeSig);
    String verifier = secrets.nextToken(24);
    Map<String, Object> data = new LinkedHashMap<>(uc.data());
    data.put("csrf", ch.data().get("csrf"));
    tokens.create(new TokenSession(codec.mac("device_verifier:" + verifier), TokenKind.DEVICE_STEP, uc.requestId(),
        uc.clientId(), null, uc.scopes(), uc.audience(), now, uc.expiresAt(), true, data));
    return new Completed(withParam(issuerString + "/oauth2/device/verify", "device_verifier", verifier));
  }

  private AuthRequest deviceRequest(Map<String, List<String>> p) {
    String id = Objects.requireNonNullElse(first(p, "client_id"), "");
    StoredClient sc = (ClientId.isValid(id) ? clients.find(new ClientId(id)) : Optional.<StoredClient>empty())
        .orElseThrow(() -> OAuth2Exception.invalidClient("The requested OAuth 2.0 Client does not exist."));
    return new AuthRequest(sc, java.util.Set.of(DEVICE_RESPONSE), device().successUrl(), false, "query", "",
        Scopes.split(first(p, "scope")), audience(p.get("audience")), null, null, null, List.of(), null, Map.of(), p);
  }

  /** Records the outcome of a device flow next to its device code: {@code :granted} or {@code :denied}. */
  private void markDevice(AuthRequest ar, String suffix, @Nullable String subject, @Nullable ConsentGrant g,
      @Nullable IdTokenInput id) {
    String requestId = Objects.requireNonNullElse(first(ar.params(), "device_request"), "");
    Optional<TokenSession> link = tokens.find(TokenKind.DEVICE_STEP, codec.mac("device_request:" + requestId));
    Optional<TokenSession> d = link.flatMap(l -> tokens.find(TokenKind.DEVICE_CODE, l.data().get("device")
        .toString()));
    if (d.isEmpty()) {
      throw OAuth2Exception.invalidRequest("The device authorization request has expired.");
    }
    Map<String, Object> data = new LinkedHashMap<>();
    if (g != null) {
      data.put("ext", g.accessTokenClaims());
    }
    if (id != null) {
      data.put("id_token", idData(id));
    }
    try {
      tokens.create(new TokenSession(d.get().signature() + suffix, TokenKind.DEVICE_CODE, d.get().requestId(),
          d.get().clientId(), subject, g == null ? List.of() : g.grantScope(),
          g == null ? List.of() : g.grantAudience(), clock.instant(), d.get().expiresAt(), false, data));
    } catch (DuplicateException e) {
      throw OAuth2Exception.accessDenied("The device authorization request was already answered.");
    }
  }

  private HttpResponse approveDevice(AuthRequest ar, Flow f, ConsentGrant g, LoginGrant login) {
    markDevice(ar, ":granted", login.subject(), g, g.grantScope().contains("openid") ? new IdTokenInput(null,
        login.authenticatedAt(), login.acr(), login.amr(), f.loginSessionId(), g.idTokenClaims(),
        pairwise(ar.client().client(), login)) : null);
    log.debug("device authorization of client {} approved", f.clientId());
    return HttpResponse.builder(302).header("Location", device().successUrl().toString()).build();
  }

  private static OAuth2Exception deviceError(String error, String description) {
    return new OAuth2Exception(new OAuth2Error(error, description, null, null, 400));
  }

  /** The device code grant (RFC 8628 section 3.4): pending, slow_down, expired_token, access_denied, or tokens. */
  private TokenResponse deviceCodeGrant(StoredClient sc, String deviceCode, Binding bind,
      Map<String, List<String>> form) {
    OAuth2Client c = sc.client();
    DeviceSettings ds = device();
    if (deviceCode.isEmpty()) {
      throw OAuth2Exception.invalidRequest("The device_code parameter is missing.");
    }
    TokenSession d = findSession(TokenKind.DEVICE_CODE, DC, deviceCode).orElseThrow(() ->
        OAuth2Exception.invalidGrant("The device code is unknown or malformed."));
    if (!d.clientId().equals(c.id())) {
      throw OAuth2Exception.invalidGrant("The device code was issued to another client.");
    }
    Instant now = clock.instant();
    if (!now.isBefore(d.expiresAt())) {
      throw deviceError("expired_token", "The device_code has expired, and the device authorization session has "
          + "concluded.");
    }
    if (!d.active()) {
      throw OAuth2Exception.invalidGrant("The device code has already been used.");
    }
    if (tokens.find(TokenKind.DEVICE_CODE, d.signature() + ":denied").isPresent()) {
      throw deviceError("access_denied", "The end user denied the authorization request.");
    }
    Optional<TokenSession> granted = tokens.find(TokenKind.DEVICE_CODE, d.signature() + ":granted");
    if (granted.isEmpty()) {
      long window = now.getEpochSecond() / ds.interval().toSeconds();
      try {
        tokens.create(new TokenSession(d.signature() + ":poll:" + window, TokenKind.DEVICE_CODE, d.requestId(),
            c.id(), null, List.of(), List.of(), now, d.expiresAt(), false, Map.of()));
      } catch (DuplicateException e) {
        throw deviceError("slow_down", "A variant of 'authorization_pending', the authorization request is still "
            + "pending and polling should continue, but the interval MUST be increased by 5 seconds for this and all "
            + "subsequent requests.");
      }
      throw deviceError("authorization_pending", "The authorization request is still pending as the end user hasn't "
          + "yet completed the user-interaction steps.");
    }
    TokenSession g = granted.get();
    Hooked h = hooked(c, DEVICE_GRANT, form, g.subject(), g.scopes(), g.audience(), ext(g.data()),
        idInput(g.data(), false));
    if (!tokens.deactivate(TokenKind.DEVICE_CODE, d.signature())) {
      throw OAuth2Exception.invalidGrant("The device code has already been used.");
    }
    boolean refresh = (g.scopes().contains("offline") || g.scopes().contains("offline_access"))
        && c.grantTypes().contains("refresh_token");
    return issue(c, d.requestId(), g.subject(), g.scopes(), g.audience(), h.ext(), h.id(), refresh, d.requestedAt(),
        bind);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Pushed authorization requests (RFC 9126)

  /**
   * Handles {@code POST /oauth2/par}: authenticates the client as the token endpoint does, validates the request as
   * an authorization request (errors as JSON, never by redirect), and stores it for {@link
   * PushedAuthorizationSettings#lifespan()} under a single-use {@code request_uri}.
   *
   * @return {@code request_uri} and {@code expires_in} (answered with 201)
   */
  public Map<String, Object> pushAuthorizationRequest(HttpRequest request) {
    if (!"POST".equals(request.method())) {
      throw OAuth2Exception.invalidRequest("HTTP method is '" + request.method() + "', expected 'POST'.");
    }
    if (!request.contentType().filter("application/x-www-form-urlencoded"::equals).isPresent()) {
      throw OAuth2Exception.invalidRequest("The pushed authorization request must be sent as "
          + "application/x-www-form-urlencoded.");
    }
    StoredClient client = authenticator.authenticate(request, endpoint(request, "/oauth2/par"), List.of(
        issuerString, endpoint(request, "/oauth2/par").toString(), endpoint(request, "/oauth2/token").toString()));
    Map<String, List<String>> p = new LinkedHashMap<>(request.form());
    if (p.containsKey("request_uri")) {
      throw OAuth2Exception.invalidRequest("The request_uri parameter must not be pushed (RFC 9126, section 2.1).");
    }
    for (String credential : List.of("client_secret", "client_assertion", "client_assertion_type")) {
      p.remove(credential);
    }
    p.put("client_id", List.of(client.client().id().value()));
    AuthRequest ar;
    try {
      ar = parseAuthorize(p, Mode.PUSHED);
    } catch (OAuth2Exception e) {
      throw new OAuth2Exception(e.toOAuth2Error());
    }
    if (security.fapi2() && !ar.redirectGiven()) {
      throw OAuth2Exception.invalidRequest("The FAPI 2.0 Security Profile requires the redirect_uri parameter in "
          + "pushed authorization requests.");
    }
    String requestUri = PAR_PREFIX + secrets.nextToken(32);
    Instant now = clock.instant();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("params", ar.params());
    tokens.create(new TokenSession(codec.mac(requestUri), TokenKind.PUSHED_REQUEST, ids.nextString(),
        client.client().id(), null, ar.scope(), ar.audience(), now, now.plus(par.lifespan()), true, data));
    log.debug("stored a pushed authorization request of client {}", client.client().id());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("request_uri", requestUri);
    out.put("expires_in", par.lifespan().toSeconds());
    return out;
  }

  /** The parameters of a pushed request, used once, by the client that pushed it (RFC 9126, section 4). */
  @SuppressWarnings("unchecked")
  private Map<String, List<String>> redeemPushedRequest(OAuth2Client c, String requestUri) {
    String signature = codec.mac(requestUri);
    TokenSession s = tokens.find(TokenKind.PUSHED_REQUEST, signature).orElseThrow(() ->
        RequestObjects.invalidRequestUri("The pushed authorization request is unknown."));
    if (!s.clientId().equals(c.id())) {
      log.warn("client {} used a request_uri pushed by another client", c.id());
      throw RequestObjects.invalidRequestUri("The request_uri was pushed by another client.");
    }
    if (!clock.instant().isBefore(s.expiresAt())) {
      throw RequestObjects.invalidRequestUri("The request_uri has expired.");
    }
    if (!tokens.deactivate(TokenKind.PUSHED_REQUEST, signature)) {
      throw RequestObjects.invalidRequestUri("The request_uri has already been used.");
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    ((Map<String, Object>) s.data().get("params")).forEach((k, v) -> params.put(k, (List<String>) v));
    return params;
  }

  /** Hydra's {@code oidc_context}; an {@code id_token_hint} must be an ID token of ours (it may have expired). */
  private Map<String, Object> oidcContext(Map<String, List<String>> q) {
    Map<String, Object> m = new LinkedHashMap<>();
    String hint = first(q, "id_token_hint");
    if (hint != null) {
      try {
        SignedJWT jwt = SignedJWT.parse(hint);
        if (!verifyOwn(jwt, ID_TOKEN_SET) || !issuerString.equals(jwt.getJWTClaimsSet().getIssuer())) {
          throw OAuth2Exception.invalidRequest("The id_token_hint was not issued by this provider.");
        }
        m.put("id_token_hint_claims", jwt.getJWTClaimsSet().toJSONObject());
      } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
        throw OAuth2Exception.invalidRequest("The id_token_hint is malformed.");
      }
    }
    m.put("acr_values", Scopes.split(first(q, "acr_values")));
    m.put("ui_locales", Scopes.split(first(q, "ui_locales")));
    if (first(q, "display") != null) {
      m.put("display", first(q, "display"));
    }
    if (first(q, "login_hint") != null) {
      m.put("login_hint", first(q, "login_hint"));
    }
    return m;
  }

  private String loginRedirect(Flow f) {
    return withParam(f.requestUrl(), "login_verifier", Objects.requireNonNull(f.loginVerifier()));
  }

  private String consentRedirect(Flow f) {
    return withParam(f.requestUrl(), "consent_verifier", Objects.requireNonNull(f.consentVerifier()));
  }

  /** Accepts a login request; the browser goes to {@code redirect_to}. */
  public Completed acceptLogin(String challenge, AcceptLogin accept) {
    Flow f = requireFlow(FlowKey.LOGIN_CHALLENGE, challenge, "login request");
    if (f.state() != FlowState.LOGIN_INITIALIZED && f.state() != FlowState.LOGIN_UNUSED) {
      throw gone(null);
    }
    if (accept.subject().isEmpty() || accept.subject().length() > 191) {
      throw OryException.invalidField("subject", "must have 1 to 191 characters");
    }
    if (accept.rememberFor() < 0) {
      throw OryException.invalidField("remember_for", "must not be negative");
    }
    if (f.loginSkip() && f.login() != null && !f.login().subject().equals(accept.subject())) {
      throw OryException.badRequest("Field 'subject' does not equal subject from previous authentication.");
    }
    Instant authAt = f.loginSkip() && f.login() != null ? f.login().authenticatedAt() : clock.instant();
    LoginGrant grant = new LoginGrant(accept.subject(), accept.remember(), accept.rememberFor(), accept.acr(),
        accept.amr(), accept.context(), authAt, accept.forceSubjectIdentifier());
    Flow next = f.withLogin(grant, secrets.nextToken(24), f.loginSessionId());
    if (!flows.updateFlow(next, f.state())) {
      throw gone(null);
    }
    return new Completed(loginRedirect(next));
  }

  /** Rejects a login request: the client gets the error. */
  public Completed rejectLogin(String challenge, RejectRequest reject) {
    Flow f = requireFlow(FlowKey.LOGIN_CHALLENGE, challenge, "login request");
    if (f.state() != FlowState.LOGIN_INITIALIZED && f.state() != FlowState.LOGIN_UNUSED) {
      throw gone(null);
    }
    Flow next = f.withError(flowError(reject), FlowState.LOGIN_ERROR, secrets.nextToken(24));
    if (!flows.updateFlow(next, f.state())) {
      throw gone(null);
    }
    return new Completed(loginRedirect(next));
  }

  private static FlowError flowError(RejectRequest r) {
    String error = r.error() == null || r.error().isEmpty() ? "access_denied" : r.error();
    if (!error.chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e && ch != '"' && ch != '\\')) {
      throw OryException.invalidField("error", "must be printable ASCII");
    }
    return new FlowError(error, r.errorDescription(), r.errorHint(), r.errorDebug(),
        r.statusCode() >= 400 && r.statusCode() < 600 ? r.statusCode() : 400);
  }

  // Admin: consent

  /** The consent request for {@code challenge}. */
  public ConsentRequest consentRequest(String challenge) {
    Flow f = requireFlow(FlowKey.CONSENT_CHALLENGE, challenge, "consent request");
    if (f.state() != FlowState.CONSENT_INITIALIZED && f.state() != FlowState.CONSENT_UNUSED) {
      throw gone(f.consentVerifier() == null ? null : consentRedirect(f));
    }
    LoginGrant login = Objects.requireNonNull(f.login());
    OAuth2Client c = requireClient(f.clientId()).client();
    return new ConsentRequest(challenge, f.requestedScope(), f.requestedAudience(), f.consentSkip(), login.subject(),
        oidcContext(f), c, f.requestUrl(), f.id(), f.loginSessionId(), login.acr(), login.amr(), login.context());
  }

  /** Accepts a consent request; the browser goes to {@code redirect_to}. */
  public Completed acceptConsent(String challenge, AcceptConsent accept) {
    Flow f = requireFlow(FlowKey.CONSENT_CHALLENGE, challenge, "consent request");
    if (f.state() != FlowState.CONSENT_INITIALIZED && f.state() != FlowState.CONSENT_UNUSED) {
      throw gone(null);
    }
    if (accept.rememberFor() < 0) {
      throw OryException.invalidField("remember_for", "must not be negative");
    }
    for (String s : accept.grantScope()) {
      if (!f.requestedScope().contains(s)) {
        throw OryException.invalidField("grant_scope", "scope '" + s + "' was not requested");
      }
    }
    OAuth2Client c = requireClient(f.clientId()).client();
    for (String a : accept.grantAudience()) {
      if (!c.audience().contains(a)) {
        throw OryException.invalidField("grant_access_token_audience", "audience '" + a + "' is not allowed for the "
            + "client");
      }
    }
    AcceptConsent.Session session = Objects.requireNonNull(accept.session());
    ConsentGrant g = new ConsentGrant(accept.grantScope(), accept.grantAudience(), accept.remember(),
        accept.rememberFor(), session.accessToken(), session.idToken(), clock.instant());
    Flow next = f.withConsent(g, secrets.nextToken(24));
    if (!flows.updateFlow(next, f.state())) {
      throw gone(null);
    }
    return new Completed(consentRedirect(next));
  }

  /** Rejects a consent request: the client gets the error. */
  public Completed rejectConsent(String challenge, RejectRequest reject) {
    Flow f = requireFlow(FlowKey.CONSENT_CHALLENGE, challenge, "consent request");
    if (f.state() != FlowState.CONSENT_INITIALIZED && f.state() != FlowState.CONSENT_UNUSED) {
      throw gone(null);
    }
    Flow next = f.withError(flowError(reject), FlowState.CONSENT_ERROR, secrets.nextToken(24));
    if (!flows.updateFlow(next, f.state())) {
      throw gone(null);
    }
    return new Completed(consentRedirect(next));
  }

  // Admin: sessions

  /** The granted consents of a subject (only those of {@code client} when set), in Hydra's JSON shape. */
  public List<Map<String, Object>> consentSessions(String subject, @Nullable ClientId client) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ConsentSession s : flows.consentSessions(subject, client)) {
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> req = new LinkedHashMap<>();
      req.put("challenge", s.challenge());
      req.put("subject", s.subject());
      clients.find(s.clientId()).ifPresent(c -> req.put("client", c.client()));
      req.put("login_session_id", s.loginSessionId());
      m.put("consent_request", req);
      m.put("grant_scope", s.grant().grantScope());
      m.put("grant_access_token_audience", s.grant().grantAudience());
      m.put("remember", s.grant().remember());
      m.put("remember_for", s.grant().rememberFor());
      m.put("handled_at", s.grant().handledAt());
      m.put("session", Map.of("access_token", s.grant().accessTokenClaims(), "id_token",
          s.grant().idTokenClaims()));
      out.add(m);
    }
    return out;
  }

  /** Revokes the consents of a subject (of one client when set) and the tokens issued under them. */
  public int revokeConsentSessions(String subject, @Nullable ClientId client) {
    int n = flows.revokeConsentSessions(subject, client);
    tokens.revokeSubject(subject, client);
    return n;
  }

  /** Ends one login session by its id (the ID token's {@code sid}); false when it did not exist. */
  public boolean revokeLoginSession(String sid) {
    Optional<LoginSession> s = flows.findLoginSession(sid);
    boolean deleted = flows.deleteLoginSession(sid);
    s.ifPresent(x -> backChannelOnly(x.subject(), sid));
    return deleted;
  }

  /** Ends every login session of a subject, notifying the clients' back channels of each session they were in. */
  public int revokeLoginSessions(String subject) {
    List<String> live = flows.consentSessions(subject, null).stream().map(ConsentSession::loginSessionId)
        .filter(Objects::nonNull).distinct().filter(sid -> flows.findLoginSession(sid).isPresent()).toList();
    int n = flows.deleteLoginSessions(subject);
    live.forEach(sid -> backChannelOnly(subject, sid));
    return n;
  }

  /** Back-channel logout notifications for an ended session (there is no browser for the front channel). */
  private void backChannelOnly(String subject, String sid) {
    notifyClients(new LogoutRequest("admin", subject, sid, null, issuerString, null, null, false, null, true, false,
        true, clock.instant()));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Logout

  /** Handles {@code /oauth2/sessions/logout}: starts an RP- or browser-initiated logout, or finishes one. */
  public HttpResponse logout(HttpRequest request) {
    ConsentSettings cs = consent();
    Map<String, List<String>> p = "POST".equals(request.method()) ? request.form() : request.query();
    String verifier = first(p, "logout_verifier");
    if (verifier != null) {
      LogoutRequest l = flows.findLogoutByVerifier(verifier).filter(x -> x.accepted() && !x.used())
          .orElseThrow(() -> OAuth2Exception.invalidRequest("The logout verifier is unknown or has been used."));
      flows.saveLogout(l.markUsed());
      flows.deleteLoginSession(l.sessionId());
      String to = l.postLogoutRedirectUri() != null ? l.postLogoutRedirectUri() : cs.postLogoutRedirectUrl().toString();
      if (l.postLogoutRedirectUri() != null && l.state() != null) {
        to = withParam(to, "state", l.state());
      }
      List<String> frontChannel = notifyClients(l);
      Cookie clear = Cookie.delete(SESSION_COOKIE, "/").withSecure(cs.secureCookies());
      if (frontChannel.isEmpty()) {
        return HttpResponse.builder(302).header("Location", to).cookie(clear).build();
      }
      StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>Logging out</title>"
          + "<meta http-equiv=\"refresh\" content=\"3;url=").append(Html.escape(to)).append("\"></head><body>");
      for (String u : frontChannel) {
        html.append("<iframe style=\"display:none\" src=\"").append(Html.escape(u)).append("\"></iframe>");
      }
      html.append("</body></html>");
      return HttpResponse.html(200, html.toString()).toBuilder().cookie(clear).build();
    }
    String hint = first(p, "id_token_hint");
    String postLogout = first(p, "post_logout_redirect_uri");
    String state = first(p, "state");
    ClientId clientId = null;
    String subject = null;
    String sid = null;
    if (hint != null) {
      try {
        SignedJWT jwt = SignedJWT.parse(hint);
        if (!verifyOwn(jwt, ID_TOKEN_SET) || !issuerString.equals(jwt.getJWTClaimsSet().getIssuer())) {
          throw OAuth2Exception.invalidRequest("The id_token_hint could not be verified.");
        }
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        clientId = new ClientId(claims.getAudience().get(0));
        subject = claims.getSubject();
        sid = claims.getStringClaim("sid");
      } catch (java.text.ParseException | com.nimbusds.jose.JOSEException | IndexOutOfBoundsException e) {
        throw OAuth2Exception.invalidRequest("The id_token_hint is malformed.");
      }
    } else if (postLogout != null) {
      throw OAuth2Exception.invalidRequest("Logout failed because query parameter post_logout_redirect_uri is set "
          + "but id_token_hint is missing.");
    }
    if (postLogout != null) {
      OAuth2Client c = requireClient(Objects.requireNonNull(clientId)).client();
      if (!c.postLogoutRedirectUris().contains(postLogout)) {
        throw OAuth2Exception.invalidRequest("Logout failed because query parameter post_logout_redirect_uri is not "
            + "a whitelisted as a post_logout_redirect_uri for the client.");
      }
    }
    Optional<LoginSession> session = loginSession(request);
    if (session.isEmpty() && sid != null) {
      session = flows.findLoginSession(sid);
    }
    if (session.isEmpty() || (subject != null && !subject.equals(session.get().subject()))) {
      String to = postLogout != null ? (state != null ? withParam(postLogout, "state", state) : postLogout)
          : cs.postLogoutRedirectUrl().toString();
      return HttpResponse.redirect(302, to);
    }
    LogoutRequest l = new LogoutRequest(secrets.nextToken(24), session.get().subject(), session.get().id(), clientId,
        issuerString + "/oauth2/sessions/logout" + (request.rawQuery() == null ? "" : "?" + request.rawQuery()),
        postLogout, state, hint != null, null, false, false, false, clock.instant().plus(cs.flowLifespan()));
    flows.saveLogout(l);
    return HttpResponse.redirect(302, withParam(cs.logoutUrl().toString(), "logout_challenge", l.challenge()));
  }

  /**
   * Sends back-channel logout tokens to the clients that were granted consent in the ended login session, and returns
   * the front-channel logout URLs (with {@code iss} and {@code sid}) to load in iframes.
   */
  private List<String> notifyClients(LogoutRequest l) {
    List<String> front = new ArrayList<>();
    LinkedHashSet<ClientId> seen = new LinkedHashSet<>();
    for (ConsentSession cs : flows.consentSessions(l.subject(), null)) {
      if (l.sessionId().equals(cs.loginSessionId())) {
        seen.add(cs.clientId());
      }
    }
    if (l.clientId() != null) {
      seen.add(l.clientId());
    }
    Instant now = clock.instant();
    for (ClientId id : seen) {
      Optional<StoredClient> c = clients.find(id);
      if (c.isEmpty()) {
        continue;
      }
      OAuth2Client client = c.get().client();
      if (!client.backchannelLogoutUri().isEmpty()) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuerString).audience(id.value())
            .subject(l.subject()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(120)))
            .jwtID(ids.nextString()).claim("sid", l.sessionId())
            .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of())).build();
        String token = idTokenSigner.sign(claims, "logout+jwt").serialize();
        try {
          backChannel.send(new io.ory4j.oauth2.spi.BackChannelLogout.Notification(id,
              URI.create(client.backchannelLogoutUri()), token));
        } catch (RuntimeException e) {
          log.warn("back-channel logout to client {} could not be sent: {}", id, e.toString());
        }
      }
      if (!client.frontchannelLogoutUri().isEmpty()) {
        front.add(withParam(withParam(client.frontchannelLogoutUri(), "iss", issuerString), "sid", l.sessionId()));
      }
    }
    return front;
  }

  /** The logout request for {@code challenge}, in Hydra's JSON shape. */
  public Map<String, Object> logoutRequest(String challenge) {
    LogoutRequest l = requireLogout(challenge);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("challenge", l.challenge());
    m.put("subject", l.subject());
    m.put("sid", l.sessionId());
    m.put("request_url", l.requestUrl());
    m.put("rp_initiated", l.rpInitiated());
    if (l.clientId() != null) {
      clients.find(l.clientId()).ifPresent(c -> m.put("client", c.client()));
    }
    return m;
  }

  private LogoutRequest requireLogout(String challenge) {
    LogoutRequest l = flows.findLogout(challenge).orElseThrow(() -> OryException.notFound("Unable to locate the "
        + "resource").withReason("the logout request does not exist"));
    if (l.used() || l.rejected() || !clock.instant().isBefore(l.expiresAt())) {
      throw gone(null);
    }
    return l;
  }

  /** Accepts a logout request. */
  public Completed acceptLogout(String challenge) {
    LogoutRequest l = requireLogout(challenge);
    LogoutRequest accepted = l.accept(secrets.nextToken(24));
    flows.saveLogout(accepted);
    return new Completed(withParam(issuerString + "/oauth2/sessions/logout", "logout_verifier",
        Objects.requireNonNull(accepted.verifier())));
  }

  /** Rejects a logout request: the session stays. */
  public void rejectLogout(String challenge) {
    flows.saveLogout(requireLogout(challenge).reject());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Discovery, keys, janitor

  /** The OpenID Provider metadata ({@code /.well-known/openid-configuration}), advertising what is enabled. */
  public Map<String, Object> discovery() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("issuer", issuerString);
    m.put("authorization_endpoint", issuerString + "/oauth2/auth");
    m.put("token_endpoint", issuerString + "/oauth2/token");
    m.put("jwks_uri", issuerString + "/.well-known/jwks.json");
    m.put("userinfo_endpoint", issuerString + "/userinfo");
    m.put("revocation_endpoint", issuerString + "/oauth2/revoke");
    m.put("pushed_authorization_request_endpoint", issuerString + "/oauth2/par");
    m.put("require_pushed_authorization_requests", par.required());
    m.put("end_session_endpoint", issuerString + "/oauth2/sessions/logout");
    if (registrations.enabled()) {
      m.put("registration_endpoint", registrations.endpoint());
    }
    m.put("subject_types_supported", registry.subjectTypes());
    m.put("response_types_supported", security.fapi2() ? List.of("code")
        : security.refuseAccessTokensInAuthorizationResponse() ? List.of("code", "code id_token", "id_token")
        : List.of("code", "code id_token", "id_token", "token id_token", "token", "token id_token code"));
    m.put("response_modes_supported", List.of("query", "fragment", "form_post"));
    List<String> grants = new ArrayList<>(OAuth2Client.GRANT_TYPES);
    if (deviceSettings != null) {
      grants.add(DEVICE_GRANT);
      m.put("device_authorization_endpoint", issuerString + "/oauth2/device/auth");
    }
    if (jwtBearer != null) {
      grants.add(io.ory4j.oauth2.internal.JwtBearerGrant.GRANT_TYPE);
    }
    if (tokenExchange != null) {
      grants.add(io.ory4j.oauth2.internal.TokenExchange.GRANT_TYPE);
    }
    m.put("grant_types_supported", grants);
    m.put("scopes_supported", List.of("offline_access", "offline", "openid"));
    m.put("claims_supported", List.of("sub"));
    m.put("token_endpoint_auth_methods_supported", security.fapi2()
        ? registry.authMethods().stream().filter(ClientRegistry.FAPI2_AUTH_METHODS::contains).toList()
        : registry.authMethods());
    if (security.fapi2()) {
      m.put("token_endpoint_auth_signing_alg_values_supported", SecuritySettings.FAPI2_ALGORITHMS);
    }
    if (mtls != null) {
      m.put("tls_client_certificate_bound_access_tokens", true);
    }
    if (mtlsAliasBase != null) {
      Map<String, Object> aliases = new LinkedHashMap<>();
      aliases.put("token_endpoint", mtlsAliasBase + "/oauth2/token");
      aliases.put("revocation_endpoint", mtlsAliasBase + "/oauth2/revoke");
      aliases.put("userinfo_endpoint", mtlsAliasBase + "/userinfo");
      aliases.put("pushed_authorization_request_endpoint", mtlsAliasBase + "/oauth2/par");
      if (deviceSettings != null) {
        aliases.put("device_authorization_endpoint", mtlsAliasBase + "/oauth2/device/auth");
      }
      m.put("mtls_endpoint_aliases", aliases);
    }
    m.put("id_token_signing_alg_values_supported", List.of(tokenSettings.signingAlgorithm().jws().getName()));
    m.put("userinfo_signing_alg_values_supported", List.of("none"));
    m.put("code_challenge_methods_supported", tokenSettings.allowPlainPkce() ? List.of("S256", "plain")
        : List.of("S256"));
    m.put("request_parameter_supported", requestObjects.enabled());
    m.put("request_uri_parameter_supported", requestObjects.enabled());
    m.put("require_request_uri_registration", true);
    if (requestObjects.enabled()) {
      m.put("request_object_signing_alg_values_supported", security.fapi2()
          ? ClientRegistry.REQUEST_OBJECT_ALGS.stream().filter(SecuritySettings.FAPI2_ALGORITHMS::contains).toList()
          : ClientRegistry.REQUEST_OBJECT_ALGS);
    }
    m.put("claims_parameter_supported", false);
    if (security.authorizationResponseIss()) {
      m.put("authorization_response_iss_parameter_supported", true);
    }
    if (dpop.enabled()) {
      m.put("dpop_signing_alg_values_supported", dpop.algorithms());
    }
    m.put("frontchannel_logout_supported", true);
    m.put("frontchannel_logout_session_supported", true);
    m.put("backchannel_logout_supported", true);
    m.put("backchannel_logout_session_supported", true);
    return m;
  }

  /** The public keys of the ID token and JWT access token sets ({@code /.well-known/jwks.json}). */
  public JWKSet publicKeys() {
    keys.currentOrCreate(ID_TOKEN_SET, tokenSettings.signingAlgorithm());
    List<com.nimbusds.jose.jwk.JWK> all = new ArrayList<>(keys.publicSet(ID_TOKEN_SET).getKeys());
    if (tokenSettings.jwtAccessTokens()) {
      keys.currentOrCreate(ACCESS_TOKEN_SET, tokenSettings.signingAlgorithm());
    }
    all.addAll(keys.publicSet(ACCESS_TOKEN_SET).getKeys());
    return new JWKSet(new ArrayList<>(new LinkedHashSet<>(all)));
  }

  /**
   * Deletes expired tokens, codes, flows, logout requests, used JWT ids and trust relationships ({@code hydra
   * janitor}); returns how many.
   */
  public int janitor() {
    Instant now = clock.instant();
    int n = tokens.deleteExpired(now) + flows.deleteExpired(now) + jtis.deleteExpired(now)
        + trustStore.deleteExpired(now);
    log.debug("janitor deleted {} expired record(s)", n);
    return n;
  }

  /** Builds an {@link OAuth2Provider}. */
  public static final class Builder {
    private @Nullable URI issuer;
    private Clock clock = Clock.systemUTC();
    private IdGenerator ids = IdGenerator.randomV4();
    private SecretGenerator secrets = SecretGenerator.secureRandom();
    private @Nullable ClientStore clientStore;
    private @Nullable FlowStore flowStore;
    private @Nullable TokenStore tokenStore;
    private io.ory4j.oauth2.spi.@Nullable JtiStore jtiStore;
    private @Nullable JwkSetManager keys;
    private io.ory4j.core.spi.@Nullable JwkSetStore jwkSetStore;
    private @Nullable SystemSecrets systemSecrets;
    private TokenSettings tokenSettings = TokenSettings.defaults();
    private @Nullable ConsentSettings consentSettings;
    private ClientSecretSettings clientSecretSettings = ClientSecretSettings.defaults();
    private OryJson json = OryJson.create();
    private io.ory4j.oauth2.spi.@Nullable BackChannelLogout backChannel;
    private @Nullable String pairwiseSalt;
    private io.ory4j.oauth2.spi.@Nullable DocumentFetcher fetcher;
    private boolean requestObjects = true;
    private SecuritySettings security = SecuritySettings.defaults();
    private PushedAuthorizationSettings par = PushedAuthorizationSettings.defaults();
    private DpopSettings dpop = DpopSettings.disabled();
    private @Nullable DeviceSettings device;
    private io.ory4j.oauth2.spi.@Nullable TrustedIssuerStore trustStore;
    private @Nullable JwtBearerSettings jwtBearer;
    private @Nullable DynamicClientRegistrationSettings dynamicRegistration;
    private @Nullable TokenHookSettings tokenHook;
    private @Nullable TokenHookSettings refreshTokenHook;
    private final List<io.ory4j.oauth2.spi.TokenHook> inProcessHooks = new ArrayList<>();
    private @Nullable TokenExchangeSettings tokenExchange;
    private @Nullable MutualTlsSettings mutualTls;

    private Builder() {}

    /**
     * Enables mutual-TLS client authentication ({@code tls_client_auth}, {@code self_signed_tls_client_auth}) and
     * certificate-bound access tokens (RFC 8705); beyond Hydra, off by default.
     */
    public Builder mutualTls(MutualTlsSettings v) {
      mutualTls = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Enables OAuth 2.0 Token Exchange (RFC 8693, {@code urn:ietf:params:oauth:grant-type:token-exchange}) for clients
     * whose {@code grant_types} name it; beyond Hydra, off by default.
     */
    public Builder tokenExchange(TokenExchangeSettings v) {
      tokenExchange = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Hydra's {@code oauth2.token_hook}: a web hook called before every token endpoint answer (every grant); off by
     * default.
     */
    public Builder tokenHook(TokenHookSettings v) {
      tokenHook = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Older Hydra's {@code oauth2.refresh_token_hook}: a web hook called before the refresh token grant answers, with
     * that version's request body; off by default.
     */
    public Builder refreshTokenHook(TokenHookSettings v) {
      refreshTokenHook = Objects.requireNonNull(v);
      return this;
    }

    /** Adds an in-process token hook (the web hook's contract, without HTTP); they run after the web hooks. */
    public Builder addTokenHook(io.ory4j.oauth2.spi.TokenHook v) {
      inProcessHooks.add(Objects.requireNonNull(v));
      return this;
    }

    /**
     * Enables dynamic client registration (RFC 7591/7592, Hydra's {@code oidc.dynamic_client_registration.enabled})
     * on {@code /oauth2/register}; off by default. Anyone who can reach the public API can then register a client.
     */
    public Builder dynamicClientRegistration(DynamicClientRegistrationSettings v) {
      dynamicRegistration = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Enables the JWT bearer grant (RFC 7523, {@code urn:ietf:params:oauth:grant-type:jwt-bearer}) for assertions of
     * the issuers trusted on {@code /admin/trust/grants/jwt-bearer/issuers}; off by default.
     */
    public Builder jwtBearerGrant(JwtBearerSettings v) {
      jwtBearer = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Where trust relationships of the JWT bearer grant live (in memory by default; give a
     * {@link io.ory4j.oauth2.store.jdbc.JdbcTrustedIssuerStore} when several processes serve one provider).
     */
    public Builder trustedIssuerStore(io.ory4j.oauth2.spi.TrustedIssuerStore v) {
      trustStore = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Fetches {@code sector_identifier_uri} and {@code request_uri} documents (by default an HTTP GET with 5-second
     * timeouts and a 5 MiB bound).
     */
    public Builder documentFetcher(io.ory4j.oauth2.spi.DocumentFetcher v) {
      fetcher = Objects.requireNonNull(v);
      return this;
    }

    /** Enables the device authorization grant (RFC 8628) with these pages and lifespans; off by default. */
    public Builder deviceAuthorization(DeviceSettings v) {
      device = Objects.requireNonNull(v);
      return this;
    }

    /** DPoP (RFC 9449): off by default. */
    public Builder dpop(DpopSettings v) {
      dpop = Objects.requireNonNull(v);
      return this;
    }

    /** Pushed authorization requests (RFC 9126): the request URI lifespan, and whether every client must push. */
    public Builder pushedAuthorizationRequests(PushedAuthorizationSettings v) {
      par = Objects.requireNonNull(v);
      return this;
    }

    /** Opt-in protections of RFC 9700 and RFC 9207 (all off by default, as in Hydra). */
    public Builder securitySettings(SecuritySettings v) {
      security = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Whether authorization requests may carry a request object ({@code request} or {@code request_uri}, OpenID
     * Connect Core 1.0 section 6); on by default, as in Hydra. Off, they are refused with
     * {@code request_not_supported} or {@code request_uri_not_supported}, and discovery says so.
     */
    public Builder requestObjects(boolean v) {
      requestObjects = v;
      return this;
    }

    /** Enables {@code pairwise} subjects with this salt (Hydra's {@code oidc.subject_identifiers.pairwise.salt}). */
    public Builder pairwiseSalt(String v) {
      if (v.length() < 8) {
        throw new IllegalArgumentException("oidc.subject_identifiers.pairwise.salt must be at least 8 characters");
      }
      pairwiseSalt = v;
      return this;
    }

    /** Delivers back-channel logout tokens (by default: an asynchronous HTTP POST). */
    public Builder backChannelLogout(io.ory4j.oauth2.spi.BackChannelLogout v) {
      backChannel = Objects.requireNonNull(v);
      return this;
    }

    /** The issuer URL (Hydra's {@code urls.self.issuer}); the public endpoints are below it. */
    public Builder issuer(String v) {
      issuer = URI.create(v);
      return this;
    }

    public Builder clock(Clock v) {
      clock = Objects.requireNonNull(v);
      return this;
    }

    public Builder ids(IdGenerator v) {
      ids = Objects.requireNonNull(v);
      return this;
    }

    public Builder secrets(SecretGenerator v) {
      secrets = Objects.requireNonNull(v);
      return this;
    }

    /** Hydra's {@code secrets.system}: signs opaque tokens and encrypts keys. */
    public Builder systemSecrets(SystemSecrets v) {
      systemSecrets = Objects.requireNonNull(v);
      return this;
    }

    public Builder clientStore(ClientStore v) {
      clientStore = Objects.requireNonNull(v);
      return this;
    }

    public Builder flowStore(FlowStore v) {
      flowStore = Objects.requireNonNull(v);
      return this;
    }

    public Builder tokenStore(TokenStore v) {
      tokenStore = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Where used client-assertion {@code jti}s are remembered until they expire. Give a shared store (say
     * {@link io.ory4j.oauth2.store.jdbc.JdbcJtiStore}) when several processes serve one provider, so a replay to
     * another process is refused; by default they are remembered in this process only.
     */
    public Builder jtiStore(io.ory4j.oauth2.spi.JtiStore v) {
      jtiStore = Objects.requireNonNull(v);
      return this;
    }

    /** The key manager; or give a {@link #jwkSetStore} and one is made with the system secrets. */
    public Builder keys(JwkSetManager v) {
      keys = Objects.requireNonNull(v);
      return this;
    }

    public Builder jwkSetStore(io.ory4j.core.spi.JwkSetStore v) {
      jwkSetStore = Objects.requireNonNull(v);
      return this;
    }

    public Builder tokenSettings(TokenSettings v) {
      tokenSettings = Objects.requireNonNull(v);
      return this;
    }

    public Builder consentSettings(ConsentSettings v) {
      consentSettings = Objects.requireNonNull(v);
      return this;
    }

    public Builder clientSecretSettings(ClientSecretSettings v) {
      clientSecretSettings = Objects.requireNonNull(v);
      return this;
    }

    public Builder json(OryJson v) {
      json = Objects.requireNonNull(v);
      return this;
    }

    /** All in-memory stores (clients, flows, tokens, keys): for tests, examples and single nodes. */
    public Builder inMemory() {
      clientStore = new io.ory4j.oauth2.store.memory.InMemoryClientStore();
      flowStore = new io.ory4j.oauth2.store.memory.InMemoryFlowStore();
      tokenStore = new io.ory4j.oauth2.store.memory.InMemoryTokenStore();
      jtiStore = new io.ory4j.oauth2.store.memory.InMemoryJtiStore();
      trustStore = new io.ory4j.oauth2.store.memory.InMemoryTrustedIssuerStore();
      jwkSetStore = new io.ory4j.core.store.memory.InMemoryJwkSetStore();
      return this;
    }

    /** Builds the provider; fails fast naming the missing or invalid setting. */
    public OAuth2Provider build() {
      if (issuer == null || !issuer.isAbsolute()) {
        throw new IllegalStateException("urls.self.issuer: an absolute issuer URL is required");
      }
      if (systemSecrets == null) {
        throw new IllegalStateException("secrets.system: at least one system secret is required");
      }
      if (clientStore == null || flowStore == null || tokenStore == null) {
        throw new IllegalStateException("stores: clientStore, flowStore and tokenStore are required (or inMemory())");
      }
      if (keys == null && jwkSetStore == null) {
        throw new IllegalStateException("keys: a JwkSetManager or a JwkSetStore is required");
      }
      if (security.fapi2()) {
        applyFapi2();
      }
      return new OAuth2Provider(this);
    }

    /** Switches on what the FAPI 2.0 Security Profile requires (see {@link SecuritySettings#fapi2()}). */
    private void applyFapi2() {
      security = SecuritySettings.fapi2SecurityProfile();
      Duration requestUriLife = par.lifespan().compareTo(Duration.ofMinutes(10)) < 0 ? par.lifespan()
          : Duration.ofSeconds(60);
      par = new PushedAuthorizationSettings(requestUriLife, true);
      TokenSettings t = tokenSettings;
      io.ory4j.core.keys.KeyAlgorithm alg = switch (t.signingAlgorithm()) {
        case RS256, RS384, RS512 -> io.ory4j.core.keys.KeyAlgorithm.PS256;
        case ES384, ES512 -> io.ory4j.core.keys.KeyAlgorithm.ES256;
        default -> t.signingAlgorithm();
      };
      if (alg != t.signingAlgorithm()) {
        log.info("FAPI 2.0 Security Profile: tokens are signed with {} instead of {}", alg, t.signingAlgorithm());
      }
      Duration code = t.authorizationCodeLifespan().compareTo(Duration.ofSeconds(60)) > 0 ? Duration.ofSeconds(60)
          : t.authorizationCodeLifespan();
      // FAPI 2.0 allows refresh-token rotation only where a client that lost the answer can retry with the old
      // token: a grace period gives that
      Duration grace = t.refreshTokenGracePeriod().isZero() ? Duration.ofSeconds(60) : t.refreshTokenGracePeriod();
      tokenSettings = new TokenSettings(t.accessTokenLifespan(), t.refreshTokenLifespan(), code, t.idTokenLifespan(),
          t.jwtAccessTokens(), alg, true, false, t.wildcardScopes(), t.minStateLength(), grace);
      if (!dpop.enabled()) {
        dpop = DpopSettings.enabled60s();
      }
      log.info("FAPI 2.0 Security Profile on: PAR required, PKCE S256, codes live {}, DPoP-bound tokens, "
          + "private_key_jwt only, signing with {}, refresh-token retry within {}", code, alg, grace);
    }
  }
}
