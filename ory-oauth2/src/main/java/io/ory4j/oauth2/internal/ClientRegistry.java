package io.ory4j.oauth2.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import io.ory4j.core.error.OAuth2Error;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.error.OryException;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.id.SecretGenerator;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.secrets.SecretCipher;
import io.ory4j.core.storage.DuplicateException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.spi.ClientStore;
import io.ory4j.oauth2.spi.DocumentFetcher;
import io.ory4j.oauth2.spi.StoredClient;
import io.ory4j.oauth2.spi.TokenStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client management behind {@link io.ory4j.oauth2.OAuth2Provider}: Hydra's defaults and metadata validation, secrets
 * generated, hashed at rest (and encrypted for {@code client_secret_jwt}), rotated, and the client's tokens deleted
 * with it.
 */
public final class ClientRegistry {

  private static final Logger log = LoggerFactory.getLogger(ClientRegistry.class);
  private static final String SECRET_ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";

  private final ClientStore clients;
  private final TokenStore tokens;
  private final SecretHasher hasher;
  private final SecretCipher cipher;
  private final SecretGenerator secrets;
  private final IdGenerator ids;
  private final Clock clock;
  private final OryJson json;
  private final @Nullable String pairwiseSalt;
  private final DocumentFetcher fetcher;
  private final io.ory4j.oauth2.SecuritySettings security;
  private final List<String> grantTypes;
  private final List<String> authMethods;
  private final boolean mutualTls;

  /** The client authentication methods clients may register (discovery's list). */
  public List<String> authMethods() {
    return authMethods;
  }

  /** True when a client of this method has no secret (it proves itself with a key or a certificate, or is public). */
  private static boolean secretless(OAuth2Client c) {
    return c.isPublic() || "private_key_jwt".equals(c.tokenEndpointAuthMethod())
        || OAuth2Client.TLS_AUTH_METHODS.contains(c.tokenEndpointAuthMethod());
  }

  public ClientRegistry(ClientStore clients, TokenStore tokens, SecretHasher hasher, SecretCipher cipher,
      SecretGenerator secrets, IdGenerator ids, Clock clock, OryJson json, @Nullable String pairwiseSalt,
      DocumentFetcher fetcher, io.ory4j.oauth2.SecuritySettings security, boolean deviceGrant,
      boolean jwtBearerGrant, boolean tokenExchangeGrant, boolean mutualTls) {
    this.clients = Objects.requireNonNull(clients, "clients");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.json = Objects.requireNonNull(json, "json");
    this.pairwiseSalt = pairwiseSalt;
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.security = Objects.requireNonNull(security, "security");
    this.grantTypes = new ArrayList<>(OAuth2Client.GRANT_TYPES);
    List<String> methods = new ArrayList<>(OAuth2Client.AUTH_METHODS);
    if (mutualTls) {
      methods.addAll(OAuth2Client.TLS_AUTH_METHODS);
    }
    this.authMethods = List.copyOf(methods);
    this.mutualTls = mutualTls;
    if (deviceGrant) {
      grantTypes.add("urn:ietf:params:oauth:grant-type:device_code");
    }
    if (jwtBearerGrant) {
      grantTypes.add(JwtBearerGrant.GRANT_TYPE);
    }
    if (tokenExchangeGrant) {
      grantTypes.add(TokenExchange.GRANT_TYPE);
    }
  }

  /** True for an IP literal of the loopback interface ({@code 127.0.0.0/8}, {@code [::1]}); never a name. */
  public static boolean isLoopbackIp(@Nullable String host) {
    if (host == null) {
      return false;
    }
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.matches("127(\\.\\d{1,3}){3}")) {
      return true;
    }
    return h.contains(":") && h.matches("[0:]*:0*1");
  }

  /** {@code invalid_redirect_uri} (RFC 7591, section 3.2.2), as Hydra's. */
  private static OAuth2Exception invalidRedirectUri(String hint) {
    return new OAuth2Exception(new OAuth2Error("invalid_redirect_uri", "The value of one or more redirect_uris is "
        + "invalid.", hint, null, 400));
  }

  /** RFC 9700 section 4.1, RFC 8252 section 8.3: https, http on a loopback IP literal, or a private-use scheme. */
  private void checkSecureRedirect(String u) {
    URI uri = URI.create(u);
    String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    boolean ok = "https".equals(scheme) || ("http".equals(scheme) && isLoopbackIp(uri.getHost()))
        || (scheme.contains(".") && !scheme.startsWith("http"));
    if (!ok) {
      throw invalidRedirectUri("Redirect URI '" + u + "' must use https, http on a loopback IP literal (127.0.0.1 or "
          + "[::1]) or a private-use scheme such as com.example.app (RFC 9700, section 4.1; RFC 8252, section 8.3).");
    }
  }

  /** The request object signing algorithms accepted (Hydra's {@code request_object_signing_alg_values_supported}). */
  public static final List<String> REQUEST_OBJECT_ALGS = List.of("none", "RS256", "ES256");

  /** The subject types this provider supports: {@code public}, and {@code pairwise} when a salt is configured. */
  public List<String> subjectTypes() {
    return pairwiseSalt == null ? List.of("public") : List.of("public", "pairwise");
  }


  /** Creates a client; a confidential client without a secret gets a generated one, shown once in the result. */
  public CreatedClient createClient(OAuth2Client client, @Nullable String secret) {
    return createClient(client, secret, null);
  }

  /**
   * Creates a client; with {@code registrationTokenSignature} it is a dynamically registered client (RFC 7591) whose
   * registration access token has that signature.
   */
  public CreatedClient createClient(OAuth2Client client, @Nullable String secret,
      @Nullable String registrationTokenSignature) {
    Instant now = clock.instant();
    OAuth2Client c = client.withDefaults();
    if (c.clientId() == null) {
      c = c.withClientId(new ClientId(ids.nextString()));
    }
    c = c.withTimestamps(now, now);
    validate(c);
    String plain = null;
    List<String> hashes = List.of();
    String encrypted = null;
    if (!secretless(c)) {
      plain = secret != null ? secret : secrets.nextString(32, SECRET_ALPHABET);
      checkSecret(plain);
      hashes = List.of(hasher.hash(plain));
      encrypted = encryptIfJwt(c, plain);
    } else if (secret != null && !secret.isEmpty()) {
      throw invalidMetadata("A client with token_endpoint_auth_method '" + c.tokenEndpointAuthMethod()
          + "' must not have a client_secret.");
    }
    try {
      clients.create(new StoredClient(c, hashes, encrypted, registrationTokenSignature));
    } catch (DuplicateException e) {
      throw OryException.conflict("Unable to insert or update resource because a resource with that value exists "
          + "already").withReason("a client with this client_id exists already");
    }
    log.debug("created client {}", c.id());
    return new CreatedClient(c, plain);
  }

  /** Creates a client with a generated secret (for a confidential client). */
  public CreatedClient createClient(OAuth2Client client) {
    return createClient(client, null);
  }

  private @Nullable String encryptIfJwt(OAuth2Client c, String plain) {
    return "client_secret_jwt".equals(c.tokenEndpointAuthMethod())
        ? cipher.encrypt(plain, "oauth2-client:" + c.id().value()) : null;
  }

  private static void checkSecret(String s) {
    if (s.length() < 6) {
      throw invalidMetadata("Field client_secret must contain a secret that is at least 6 characters long.");
    }
  }

  /** Hydra's {@code invalid_client_metadata} error. */
  public static OAuth2Exception invalidMetadata(String hint) {
    return new OAuth2Exception(new OAuth2Error("invalid_client_metadata", "The value of one of the Client Metadata "
        + "fields is invalid and the server has rejected this request. Note that an Authorization Server MAY choose to "
        + "substitute a valid value for any requested parameter of a Client's Metadata.", hint, null, 400));
  }

  /** The client authentication methods FAPI 2.0 allows (section 5.3.2.1); mutual TLS where it is configured. */
  public static final List<String> FAPI2_AUTH_METHODS = List.of("private_key_jwt", "tls_client_auth",
      "self_signed_tls_client_auth");

  /** What the FAPI 2.0 Security Profile forbids a client (sections 5.3.2.1, 5.3.2.2 and 5.4.1). */
  private static void checkFapi2(OAuth2Client c) {
    if (!FAPI2_AUTH_METHODS.contains(c.tokenEndpointAuthMethod())) {
      throw invalidMetadata("The FAPI 2.0 Security Profile only serves confidential clients that authenticate with "
          + "private_key_jwt or mutual TLS: token_endpoint_auth_method must be one of " + FAPI2_AUTH_METHODS + ".");
    }
    if (c.responseTypes().stream().anyMatch(r -> !"code".equals(r)) || c.grantTypes().contains("implicit")) {
      throw invalidMetadata("The FAPI 2.0 Security Profile only allows the response type 'code' (no implicit or "
          + "hybrid flows).");
    }
    for (String alg : List.of(c.tokenEndpointAuthSigningAlg(), c.requestObjectSigningAlg())) {
      if (!alg.isEmpty() && !io.ory4j.oauth2.SecuritySettings.FAPI2_ALGORITHMS.contains(alg)) {
        throw invalidMetadata("Signing algorithm '" + alg + "' is not allowed by the FAPI 2.0 Security Profile; use "
            + "one of " + io.ory4j.oauth2.SecuritySettings.FAPI2_ALGORITHMS + ".");
      }
    }
  }

  /**
   * RFC 8705 section 2.1.2: a {@code tls_client_auth} client names how its certificate is recognised with exactly one
   * of {@code tls_client_auth_subject_dn} and the {@code tls_client_auth_san_*} fields.
   */
  private static void checkTlsClientAuth(OAuth2Client c) {
    long set = java.util.stream.Stream.of(c.tlsClientAuthSubjectDn(), c.tlsClientAuthSanDns(),
        c.tlsClientAuthSanUri(), c.tlsClientAuthSanIp(), c.tlsClientAuthSanEmail()).filter(v -> !v.isBlank()).count();
    if (set != 1) {
      throw invalidMetadata("Exactly one of tls_client_auth_subject_dn, tls_client_auth_san_dns, "
          + "tls_client_auth_san_uri, tls_client_auth_san_ip and tls_client_auth_san_email is required when "
          + "token_endpoint_auth_method is 'tls_client_auth' (RFC 8705, section 2.1.2).");
    }
    if (!c.tlsClientAuthSubjectDn().isBlank()) {
      try {
        new javax.security.auth.x500.X500Principal(c.tlsClientAuthSubjectDn());
      } catch (IllegalArgumentException e) {
        throw invalidMetadata("Field tls_client_auth_subject_dn must be the distinguished name of the client's "
            + "certificate (RFC 8705, section 2.1.2).");
      }
    }
    if (!c.tlsClientAuthSanIp().isBlank() && ipLiteral(c.tlsClientAuthSanIp()).isEmpty()) {
      throw invalidMetadata("Field tls_client_auth_san_ip must be an IPv4 or IPv6 address (RFC 8705, section 2.1.2).");
    }
    if (!c.tlsClientAuthSanUri().isBlank()) {
      try {
        if (!new URI(c.tlsClientAuthSanUri()).isAbsolute()) {
          throw invalidMetadata("Field tls_client_auth_san_uri must be an absolute URI.");
        }
      } catch (URISyntaxException e) {
        throw invalidMetadata("Field tls_client_auth_san_uri must be an absolute URI.");
      }
    }
  }

  /** An IPv4 dotted quad or an IPv6 literal as an address, never by a name lookup; empty for anything else. */
  static java.util.Optional<java.net.InetAddress> ipLiteral(String s) {
    boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        && java.util.Arrays.stream(s.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
    boolean v6 = s.indexOf(':') >= 0 && s.length() <= 45 && s.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(java.net.InetAddress.getByName(s));
    } catch (java.net.UnknownHostException e) {
      return java.util.Optional.empty();
    }
  }

  private void validate(OAuth2Client c) {
    if (c.clientName().length() > 191 || c.owner().length() > 191) {
      throw invalidMetadata("Fields client_name and owner must not be longer than 191 characters.");
    }
    if (!authMethods.contains(c.tokenEndpointAuthMethod())) {
      throw invalidMetadata("Field token_endpoint_auth_method must be one of " + authMethods + ".");
    }
    if ("tls_client_auth".equals(c.tokenEndpointAuthMethod())) {
      checkTlsClientAuth(c);
    }
    if ("self_signed_tls_client_auth".equals(c.tokenEndpointAuthMethod()) && c.jwks() == null
        && c.jwksUri().isEmpty()) {
      throw invalidMetadata("When token_endpoint_auth_method is 'self_signed_tls_client_auth', either jwks or "
          + "jwks_uri must hold the certificate's key (RFC 8705, section 2.2.2).");
    }
    if (c.tlsClientCertificateBoundAccessTokens() && !mutualTls) {
      throw invalidMetadata("Field tls_client_certificate_bound_access_tokens needs mutual TLS, which is not "
          + "enabled.");
    }
    for (String g : c.grantTypes()) {
      if (!grantTypes.contains(g)) {
        throw invalidMetadata("Grant type '" + g + "' is not supported; use one of " + grantTypes + ".");
      }
    }
    for (String r : c.responseTypes()) {
      java.util.Set<String> parts = responseTypeSet(r);
      if (parts.isEmpty() || !RESPONSE_TYPE_PARTS.containsAll(parts)) {
        throw invalidMetadata("Response type '" + r + "' is not supported; use 'code', 'token', 'id_token' or a "
            + "combination of them.");
      }
    }
    // a redirect URI that is relative or has a fragment is invalid_redirect_uri (RFC 7591 section 3.2.2, as Hydra)
    checkAbsoluteWithoutFragment(c.redirectUris(), ClientRegistry::invalidRedirectUri);
    checkAbsoluteWithoutFragment(c.postLogoutRedirectUris(), ClientRegistry::invalidMetadata);
    if (security.secureRedirectUris()) {
      c.redirectUris().forEach(this::checkSecureRedirect);
    }
    if (security.refuseAccessTokensInAuthorizationResponse()
        && c.responseTypes().stream().anyMatch(r -> responseTypeSet(r).contains("token"))) {
      throw invalidMetadata("Response types that return an access token from the authorization endpoint are refused "
          + "(RFC 9700, section 2.1.2).");
    }
    if (security.fapi2()) {
      checkFapi2(c);
    }
    for (String u : List.of(c.frontchannelLogoutUri(), c.backchannelLogoutUri(), c.jwksUri())) {
      if (!u.isEmpty()) {
        try {
          if (!new URI(u).isAbsolute()) {
            throw invalidMetadata("URL '" + u + "' must be absolute.");
          }
        } catch (URISyntaxException e) {
          throw invalidMetadata("URL '" + u + "' is not a valid URI.");
        }
      }
    }
    if ("private_key_jwt".equals(c.tokenEndpointAuthMethod()) && c.jwks() == null && c.jwksUri().isEmpty()) {
      throw invalidMetadata("When token_endpoint_auth_method is 'private_key_jwt', either jwks or jwks_uri must be "
          + "set.");
    }
    if (c.jwks() != null && !c.jwksUri().isEmpty()) {
      throw invalidMetadata("Fields jwks and jwks_uri must not both be set.");
    }
    if (c.jwks() != null) {
      try {
        JWKSet.parse(c.jwks());
      } catch (java.text.ParseException e) {
        throw invalidMetadata("Field jwks is not a valid JSON Web Key Set.");
      }
    }
    if (!subjectTypes().contains(c.subjectType())) {
      throw invalidMetadata("Subject type " + c.subjectType() + " is not supported by server, only " + subjectTypes()
          + " are allowed.");
    }
    if (c.subjectType().equals("pairwise") && c.sectorIdentifierUri().isEmpty()
        && c.redirectUris().stream().map(u -> URI.create(u).getHost()).distinct().count() > 1) {
      throw invalidMetadata("A pairwise client whose redirect_uris have more than one host must register a "
          + "sector_identifier_uri (OpenID Connect Core 1.0, section 8.1).");
    }
    for (String u : c.requestUris()) {
      try {
        if (!new URI(u).isAbsolute()) {
          throw invalidMetadata("Request URI '" + u + "' must be absolute.");
        }
      } catch (URISyntaxException e) {
        throw invalidMetadata("Request URI '" + u + "' is not a valid URI.");
      }
    }
    if (!c.requestObjectSigningAlg().isEmpty() && !REQUEST_OBJECT_ALGS.contains(c.requestObjectSigningAlg())) {
      throw invalidMetadata("Field request_object_signing_alg must be one of " + REQUEST_OBJECT_ALGS + ".");
    }
    if (!c.sectorIdentifierUri().isEmpty()) {
      validateSectorIdentifier(c.sectorIdentifierUri(), c.redirectUris());
    }
    if (!c.accessTokenStrategy().isEmpty() && !List.of("jwt", "opaque").contains(c.accessTokenStrategy())) {
      throw invalidMetadata("Field access_token_strategy must be 'jwt' or 'opaque'.");
    }
  }

  /**
   * Fetches a {@code sector_identifier_uri} (OpenID Connect Registration 1.0, section 5): an HTTPS URL of a JSON array
   * that must list every redirect URI of the client, as Hydra checks it on create and update.
   */
  private void validateSectorIdentifier(String location, List<String> redirectUris) {
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw invalidMetadata("Value of sector_identifier_uri could not be parsed because " + e.getMessage() + ".");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw invalidMetadata("Value sector_identifier_uri must be an HTTPS URL but it is not.");
    }
    DocumentFetcher.Document doc;
    try {
      doc = fetcher.fetch(uri);
    } catch (java.io.IOException e) {
      log.warn("could not fetch the sector_identifier_uri {}: {}", location, e.toString());
      throw invalidMetadata("Unable to connect to URL set by sector_identifier_uri: " + e.getMessage());
    }
    if (doc.status() != 200) {
      throw invalidMetadata("Unable to fetch the sector_identifier_uri: HTTP status " + doc.status() + ", expected "
          + "200.");
    }
    List<String> urls = new ArrayList<>();
    try {
      JsonNode array = json.readTree(doc.body());
      if (array == null || !array.isArray()) {
        throw new IllegalArgumentException("not a JSON array");
      }
      for (JsonNode n : array) {
        if (!n.isTextual()) {
          throw new IllegalArgumentException("an item is not a string");
        }
        urls.add(n.asText());
      }
    } catch (RuntimeException e) {
      throw invalidMetadata("Unable to decode values from sector_identifier_uri: it must be a JSON array of URLs.");
    }
    if (urls.isEmpty()) {
      throw invalidMetadata("Array from sector_identifier_uri contains no items.");
    }
    for (String r : redirectUris) {
      if (!urls.contains(r)) {
        throw invalidMetadata("Redirect URL \"" + r + "\" does not match values from sector_identifier_uri.");
      }
    }
  }

  private static void checkAbsoluteWithoutFragment(List<String> uris,
      java.util.function.Function<String, OAuth2Exception> error) {
    for (String u : uris) {
      try {
        URI uri = new URI(u);
        if (!uri.isAbsolute() || uri.getFragment() != null) {
          throw error.apply("Redirect URL '" + u + "' must be absolute and must not contain a fragment.");
        }
      } catch (URISyntaxException e) {
        throw invalidMetadata("Redirect URL '" + u + "' is not a valid URI.");
      }
    }
  }

  /** The values a response type combines. */
  public static final java.util.Set<String> RESPONSE_TYPE_PARTS = java.util.Set.of("code", "token", "id_token");

  /** A response type as a set of its space-separated values (order does not matter). */
  public static java.util.Set<String> responseTypeSet(String responseType) {
    return new java.util.TreeSet<>(Scopes.split(responseType));
  }

  public Optional<OAuth2Client> getClient(ClientId id) {
    return clients.find(id).map(StoredClient::client);
  }

  /** The stored client, with its secret hashes and registration token signature. */
  public Optional<StoredClient> findStored(ClientId id) {
    return clients.find(id);
  }

  /** The stored client, or a 404. */
  public StoredClient requireClient(ClientId id) {
    return clients.find(id).orElseThrow(() -> OryException.notFound("Unable to locate the resource")
        .withReason("the OAuth 2.0 client does not exist"));
  }

  public Page<OAuth2Client> listClients(PageRequest page) {
    return clients.list(page).map(StoredClient::client);
  }

  /** A page of the clients that pass {@code filter} (Hydra's {@code client_name} and {@code owner} filters). */
  public Page<OAuth2Client> listClients(PageRequest page, io.ory4j.oauth2.spi.ClientFilter filter) {
    return clients.list(page, filter).map(StoredClient::client);
  }

  /**
   * Replaces a client (Hydra's PUT). With {@code newSecret} the secret is replaced; without, the current one is kept.
   */
  public CreatedClient replaceClient(ClientId id, OAuth2Client client, @Nullable String newSecret) {
    return replaceClient(requireClient(id), client, newSecret, null);
  }

  /**
   * Replaces the stored client {@code old}; with {@code newRegistrationTokenSignature} its registration access token
   * is rotated (RFC 7592 update), otherwise the current one is kept.
   */
  public CreatedClient replaceClient(StoredClient old, OAuth2Client client, @Nullable String newSecret,
      @Nullable String newRegistrationTokenSignature) {
    ClientId id = old.client().id();
    if (client.clientId() != null && !client.clientId().equals(id)) {
      throw invalidMetadata("Field client_id cannot be changed.");
    }
    OAuth2Client c = client.withDefaults().withClientId(id).withTimestamps(old.client().createdAt(), clock.instant());
    validate(c);
    List<String> hashes = old.secretHashes();
    String encrypted = old.encryptedSecret();
    if (newSecret != null && !newSecret.isEmpty()) {
      checkSecret(newSecret);
      hashes = List.of(hasher.hash(newSecret));
      encrypted = encryptIfJwt(c, newSecret);
    } else if (hashes.isEmpty() && !secretless(c)) {
      newSecret = secrets.nextString(32, SECRET_ALPHABET);
      hashes = List.of(hasher.hash(newSecret));
      encrypted = encryptIfJwt(c, newSecret);
    }
    if (!clients.update(new StoredClient(c, hashes, encrypted, newRegistrationTokenSignature != null
        ? newRegistrationTokenSignature : old.registrationTokenSignature()))) {
      throw OryException.notFound("Unable to locate the resource");
    }
    return new CreatedClient(c, newSecret == null || newSecret.isEmpty() ? null : newSecret);
  }

  /** Applies an RFC 6902 JSON Patch to a client's JSON (a {@code /client_secret} value sets a new secret). */
  public CreatedClient patchClient(ClientId id, JsonNode patch) {
    StoredClient old = requireClient(id);
    JsonNode patched = JsonPatch.apply(patch, json.toTree(old.client()));
    if (!patched.isObject()) {
      throw OryException.badRequest("The patched client is not a JSON object.");
    }
    String secret = patched.hasNonNull("client_secret") ? patched.get("client_secret").asText() : null;
    ((ObjectNode) patched).remove("client_secret");
    OAuth2Client c = LenientJson.convert(patched, OAuth2Client.class);
    return replaceClient(id, c, secret);
  }

  /** Adds a live secret to a client, keeping the others, so it can rotate without downtime. */
  public CreatedClient addClientSecret(ClientId id, String secret) {
    StoredClient old = requireClient(id);
    checkSecret(secret);
    List<String> hashes = new ArrayList<>();
    hashes.add(hasher.hash(secret));
    hashes.addAll(old.secretHashes());
    clients.update(new StoredClient(old.client(), hashes, encryptIfJwt(old.client(), secret),
        old.registrationTokenSignature()));
    return new CreatedClient(old.client(), secret);
  }

  /** Keeps only the newest secret of a client (ends a rotation). */
  public void retireOldClientSecrets(ClientId id) {
    StoredClient old = requireClient(id);
    if (old.secretHashes().size() > 1) {
      clients.update(new StoredClient(old.client(), List.of(old.secretHashes().get(0)), old.encryptedSecret(),
          old.registrationTokenSignature()));
    }
  }

  /** Deletes a client and its tokens; false when it did not exist. */
  public boolean deleteClient(ClientId id) {
    boolean existed = clients.delete(id);
    if (existed) {
      tokens.deleteByClient(id);
    }
    return existed;
  }

  /** Deletes every token of a client ({@code DELETE /admin/oauth2/tokens}). */
  public int deleteClientTokens(ClientId id) {
    return tokens.deleteByClient(id);
  }
}
