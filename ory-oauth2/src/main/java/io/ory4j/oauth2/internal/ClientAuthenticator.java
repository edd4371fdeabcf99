package io.ory4j.oauth2.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.secrets.SecretCipher;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.spi.ClientStore;
import io.ory4j.oauth2.spi.JtiStore;
import io.ory4j.oauth2.spi.StoredClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates clients at the token and revocation endpoints: client_secret_basic, client_secret_post,
 * private_key_jwt (keys from the client's inline {@code jwks}), client_secret_jwt and none. Requests are parsed with
 * Nimbus; every failure is {@code invalid_client} (401) with a hint, and a WARN log naming the client id only.
 */
public final class ClientAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(ClientAuthenticator.class);

  private final ClientStore clients;
  private final SecretHasher hasher;
  private final SecretCipher cipher;
  private final Clock clock;
  private final JtiStore usedJtis;
  private final Cache<String, JWKSet> remoteKeys;
  private final @Nullable String fapi2Issuer;
  private final @Nullable ClientCertificates certificates;

  public ClientAuthenticator(ClientStore clients, SecretHasher hasher, SecretCipher cipher, Clock clock,
      JtiStore usedJtis) {
    this(clients, hasher, cipher, clock, usedJtis, null);
  }

  /**
   * With {@code certificates}, clients may also authenticate with {@code tls_client_auth} and
   * {@code self_signed_tls_client_auth} (RFC 8705 section 2).
   */
  public ClientAuthenticator(ClientStore clients, SecretHasher hasher, SecretCipher cipher, Clock clock,
      JtiStore usedJtis, @Nullable ClientCertificates certificates) {
    this(clients, hasher, cipher, clock, usedJtis, certificates, null);
  }

  /**
   * @param certificates where client certificates come from (mutual TLS, RFC 8705), or null
   * @param fapi2Issuer with the FAPI 2.0 Security Profile, the issuer identifier: then only {@code private_key_jwt}
   *     (its assertion signed with PS256, ES256 or EdDSA and its {@code aud} exactly this string) or mutual TLS
   *     authenticates a client; null otherwise
   */
  public ClientAuthenticator(ClientStore clients, SecretHasher hasher, SecretCipher cipher, Clock clock,
      JtiStore usedJtis, @Nullable ClientCertificates certificates, @Nullable String fapi2Issuer) {
    this.certificates = certificates;
    this.fapi2Issuer = fapi2Issuer;
    this.clients = clients;
    this.hasher = hasher;
    this.cipher = cipher;
    this.clock = clock;
    this.usedJtis = Objects.requireNonNull(usedJtis, "usedJtis");
    this.remoteKeys = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5))
        .ticker(() -> clock.millis() * 1_000_000L).build();
  }

  /** Authenticates the client of a form POST to {@code endpoint}. */
  public StoredClient authenticate(HttpRequest request, URI endpoint) {
    return authenticate(request, endpoint, List.of(endpoint.toString()));
  }

  /**
   * Authenticates the client of a form POST to {@code endpoint}; a client assertion's {@code aud} must contain one of
   * {@code audiences}.
   */
  public StoredClient authenticate(HttpRequest request, URI endpoint, List<String> audiences) {
    ClientAuthentication auth;
    try {
      HTTPRequest nimbus = new HTTPRequest(HTTPRequest.Method.POST, endpoint);
      request.header("Content-Type").ifPresent(ct -> {
        try {
          nimbus.setContentType(ct);
        } catch (ParseException e) {
          throw OAuth2Exception.invalidRequest("The Content-Type header is malformed.");
        }
      });
      request.header("Authorization").ifPresent(a -> nimbus.setHeader("Authorization", a));
      nimbus.setBody(request.bodyText());
      auth = ClientAuthentication.parse(nimbus);
    } catch (ParseException e) {
      throw OAuth2Exception.invalidClient("The client credentials are malformed: " + e.getMessage());
    }
    if (auth == null) {
      String id = request.formParam("client_id").orElse("");
      if (id.isEmpty()) {
        throw OAuth2Exception.invalidClient("The request did not authenticate a client: no client_id, "
            + "Authorization header or client assertion.");
      }
      StoredClient c = find(id);
      if (certificates != null && OAuth2Client.TLS_AUTH_METHODS.contains(c.client().tokenEndpointAuthMethod())) {
        verifyCertificate(c.client(), request);
        return c;
      }
      if (!c.client().isPublic()) {
        throw mismatch(c.client(), "none");
      }
      if (fapi2Issuer != null) {
        throw fail(c.client(), "The FAPI 2.0 Security Profile only serves confidential clients that authenticate "
            + "with private_key_jwt or mutual TLS.");
      }
      return c;
    }
    String formId = request.formParam("client_id").orElse(null);
    if (formId != null && !formId.isEmpty() && !formId.equals(auth.getClientID().getValue())) {
      throw OAuth2Exception.invalidRequest("The client_id in the request body does not match the authenticated "
          + "client.");
    }
    StoredClient c = find(auth.getClientID().getValue());
    OAuth2Client client = c.client();
    if (fapi2Issuer != null && !(auth instanceof PrivateKeyJWT)) {
      throw fail(client, "The FAPI 2.0 Security Profile only accepts private_key_jwt or mutual-TLS client "
          + "authentication, not " + auth.getMethod() + ".");
    }
    if (auth instanceof ClientSecretBasic b) {
      checkMethod(client, "client_secret_basic");
      return verifySecret(c, b.getClientSecret().getValue());
    }
    if (auth instanceof ClientSecretPost p) {
      checkMethod(client, "client_secret_post");
      return verifySecret(c, p.getClientSecret().getValue());
    }
    if (auth instanceof PrivateKeyJWT p) {
      checkMethod(client, "private_key_jwt");
      verifyAssertion(c, p.getClientAssertion(), audiences, null);
      return c;
    }
    if (auth instanceof ClientSecretJWT s) {
      checkMethod(client, "client_secret_jwt");
      if (c.encryptedSecret() == null) {
        throw fail(client, "The client has no secret usable for client_secret_jwt.");
      }
      String secret = cipher.decryptString(c.encryptedSecret(), "oauth2-client:" + client.id().value());
      verifyAssertion(c, s.getClientAssertion(), audiences, secret);
      return c;
    }
    throw OAuth2Exception.invalidClient("The client authentication method " + auth.getMethod() + " is not supported.");
  }

  /**
   * RFC 8705 section 2: the client's certificate must be valid now and, for {@code tls_client_auth}, have the
   * registered subject DN (the chain was validated by the TLS terminator); for {@code self_signed_tls_client_auth},
   * carry one of the client's registered public keys.
   */
  /**
   * RFC 8705 section 2.1.2: the certificate must carry a subjectAltName of the registered kind equal to the registered
   * value (DNS names compared without case; IP addresses as addresses, so {@code ::1} equals
   * {@code 0:0:0:0:0:0:0:1}).
   */
  private static void matchSubjectAltName(OAuth2Client client, java.security.cert.X509Certificate cert) {
    String field;
    int type;
    String expected;
    if (!client.tlsClientAuthSanDns().isBlank()) {
      field = "tls_client_auth_san_dns";
      type = 2;
      expected = client.tlsClientAuthSanDns();
    } else if (!client.tlsClientAuthSanUri().isBlank()) {
      field = "tls_client_auth_san_uri";
      type = 6;
      expected = client.tlsClientAuthSanUri();
    } else if (!client.tlsClientAuthSanIp().isBlank()) {
      field = "tls_client_auth_san_ip";
      type = 7;
      expected = client.tlsClientAuthSanIp();
    } else if (!client.tlsClientAuthSanEmail().isBlank()) {
      field = "tls_client_auth_san_email";
      type = 1;
      expected = client.tlsClientAuthSanEmail();
    } else {
      throw fail(client, "The client registered no tls_client_auth_subject_dn or tls_client_auth_san_* value.");
    }
    java.util.Collection<List<?>> names;
    try {
      names = cert.getSubjectAlternativeNames();
    } catch (java.security.cert.CertificateParsingException e) {
      throw fail(client, "The client certificate's subjectAltName extension cannot be read.");
    }
    for (List<?> name : names == null ? List.<List<?>>of() : names) {
      if (name.size() == 2 && Integer.valueOf(type).equals(name.get(0)) && name.get(1) instanceof String value
          && sameName(type, value, expected)) {
        return;
      }
    }
    throw fail(client, "The client certificate has no subjectAltName matching the client's " + field
        + " (RFC 8705, section 2.1.2).");
  }

  private static boolean sameName(int type, String presented, String expected) {
    return switch (type) {
      case 2 -> presented.equalsIgnoreCase(expected);
      case 7 -> ClientRegistry.ipLiteral(presented).flatMap(p -> ClientRegistry.ipLiteral(expected).map(p::equals))
          .orElse(false);
      default -> presented.equals(expected);
    };
  }

  private void verifyCertificate(OAuth2Client client, HttpRequest request) {
    String method = client.tokenEndpointAuthMethod();
    java.security.cert.X509Certificate cert = Objects.requireNonNull(certificates).of(request).orElseThrow(() ->
        fail(client, "No client certificate was presented: client authentication method '" + method + "' needs one "
            + "(RFC 8705, section 2)."));
    Date now = Date.from(clock.instant());
    if (now.before(cert.getNotBefore()) || now.after(cert.getNotAfter())) {
      throw fail(client, "The client certificate is expired or not yet valid.");
    }
    if ("tls_client_auth".equals(method) && client.tlsClientAuthSubjectDn().isBlank()) {
      matchSubjectAltName(client, cert);
      return;
    }
    if ("tls_client_auth".equals(method)) {
      javax.security.auth.x500.X500Principal expected;
      try {
        expected = new javax.security.auth.x500.X500Principal(client.tlsClientAuthSubjectDn());
      } catch (IllegalArgumentException e) {
        throw fail(client, "The client's tls_client_auth_subject_dn is not a distinguished name.");
      }
      if (!expected.equals(cert.getSubjectX500Principal())) {
        throw fail(client, "The client certificate's subject DN does not match the client's "
            + "tls_client_auth_subject_dn.");
      }
      return;
    }
    byte[] presented = cert.getPublicKey().getEncoded();
    for (JWK key : keys(client, null)) {
      try {
        if (java.security.MessageDigest.isEqual(presented, toPublicKey(key).getEncoded())) {
          return;
        }
      } catch (JOSEException e) {
        // a key of another type: try the next
      }
    }
    throw fail(client, "The client certificate's public key is not one of the client's registered keys "
        + "(self_signed_tls_client_auth).");
  }

  /** Authenticates a client by id and secret (the plain-Java client_credentials path). */
  public StoredClient authenticateSecret(ClientId id, String secret) {
    StoredClient c = find(id.value());
    if (c.client().isPublic() || c.client().tokenEndpointAuthMethod().endsWith("_jwt")) {
      throw mismatch(c.client(), "client_secret_basic");
    }
    return verifySecret(c, secret);
  }

  private StoredClient find(String id) {
    if (!ClientId.isValid(id)) {
      throw OAuth2Exception.invalidClient("The requested OAuth 2.0 Client does not exist.");
    }
    return clients.find(new ClientId(id)).orElseThrow(() -> {
      log.warn("client authentication failed: unknown client {}", id.replaceAll("[^\\w.:@-]", "?"));
      return OAuth2Exception.invalidClient("The requested OAuth 2.0 Client does not exist.");
    });
  }

  private StoredClient verifySecret(StoredClient c, String secret) {
    if (!hasher.verify(c.client().id().value(), c.secretHashes(), secret)) {
      throw fail(c.client(), "The provided client secret did not match.");
    }
    return c;
  }

  private static void checkMethod(OAuth2Client client, String method) {
    if (!client.tokenEndpointAuthMethod().equals(method)) {
      throw mismatch(client, method);
    }
  }

  private static OAuth2Exception mismatch(OAuth2Client client, String method) {
    log.warn("client authentication failed for {}: method {} instead of {}", client.id(), method,
        client.tokenEndpointAuthMethod());
    return OAuth2Exception.invalidClient("The OAuth 2.0 Client supports client authentication method '"
        + client.tokenEndpointAuthMethod() + "', but method '" + method + "' was requested. You must configure the "
        + "OAuth 2.0 client's 'token_endpoint_auth_method' value to accept '" + method + "'.");
  }

  private static OAuth2Exception fail(OAuth2Client client, String hint) {
    log.warn("client authentication failed for {}: {}", client.id(), hint);
    return OAuth2Exception.invalidClient(hint);
  }

  private void verifyAssertion(StoredClient c, SignedJWT jwt, List<String> audiences, @Nullable String hmacSecret) {
    OAuth2Client client = c.client();
    try {
      boolean ok;
      if (hmacSecret != null) {
        JWSVerifier v = new MACVerifier(hmacSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ok = jwt.verify(v);
      } else {
        ok = verifiedByClientKey(client, jwt);
      }
      if (!ok) {
        throw fail(client, "Unable to verify the integrity of the 'client_assertion' value.");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date now = Date.from(clock.instant());
      if (!client.id().value().equals(claims.getIssuer()) || !client.id().value().equals(claims.getSubject())) {
        throw fail(client, "Claims 'iss' and 'sub' of the 'client_assertion' must both be the client id.");
      }
      if (claims.getExpirationTime() == null || claims.getExpirationTime().before(now)) {
        throw fail(client, "The 'client_assertion' is expired or has no 'exp' claim.");
      }
      List<String> aud = claims.getAudience();
      if (fapi2Issuer != null) {
        // FAPI 2.0 section 5.3.2.1: the issuer identifier as a single string, not an endpoint URL, not an array
        // (the raw payload: Nimbus' claims set turns a single string into a one-element list)
        java.util.Map<String, Object> raw = jwt.getPayload().toJSONObject();
        if (raw == null || !(raw.get("aud") instanceof String single) || !fapi2Issuer.equals(single)) {
          throw fail(client, "Claim 'aud' of the 'client_assertion' must be the issuer identifier '" + fapi2Issuer
              + "' as a single string (FAPI 2.0).");
        }
        if (!io.ory4j.oauth2.SecuritySettings.FAPI2_ALGORITHMS.contains(jwt.getHeader().getAlgorithm().getName())) {
          throw fail(client, "The 'client_assertion' is signed with " + jwt.getHeader().getAlgorithm() + "; the FAPI "
              + "2.0 Security Profile allows " + io.ory4j.oauth2.SecuritySettings.FAPI2_ALGORITHMS + ".");
        }
      } else if (aud == null || aud.stream().noneMatch(audiences::contains)) {
        throw fail(client, "Claim 'audience' of the 'client_assertion' must contain the endpoint URL '"
            + audiences.get(0) + "'.");
      }
      String jti = claims.getJWTID();
      if (jti == null || jti.isEmpty()) {
        throw fail(client, "Claim 'jti' of the 'client_assertion' is missing.");
      }
      if (!usedJtis.markUsed(jtiSignature("client_assertion", client.id().value(), jti),
          claims.getExpirationTime().toInstant(), now.toInstant())) {
        throw fail(client, "The 'jti' of the 'client_assertion' has been used before.");
      }
    } catch (java.text.ParseException | JOSEException e) {
      throw fail(client, "The 'client_assertion' could not be verified.");
    }
  }

  /**
   * The {@link JtiStore} signature of a {@code jti}: hex SHA-256 of what the JWT was for, the client id and the jti, so
   * one client's JWT ids never collide with another's, nor a client assertion's with another kind of JWT.
   */
  public static String jtiSignature(String purpose, String clientId, String jti) {
    try {
      java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
      for (String part : List.of(purpose, clientId, jti)) {
        d.update(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        d.update((byte) 0);
      }
      return java.util.HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * True when a public key the client registered ({@code jwks}, or {@code jwks_uri}, fetched and cached) verifies
   * {@code jwt}; the key is picked by {@code kid} when the header names one.
   *
   * @throws OAuth2Exception {@code invalid_client} when the client has no keys or its {@code jwks_uri} cannot be read
   */
  public boolean verifiedByClientKey(OAuth2Client client, SignedJWT jwt) {
    String kid = jwt.getHeader().getKeyID();
    for (JWK key : keys(client, kid)) {
      if (kid != null && !kid.equals(key.getKeyID())) {
        continue;
      }
      try {
        JWSVerifier v = key instanceof com.nimbusds.jose.jwk.OctetKeyPair okp ? io.ory4j.core.keys.JwsKeys.verifier(okp)
            : new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), toPublicKey(key));
        if (jwt.verify(v)) {
          return true;
        }
      } catch (JOSEException | IllegalArgumentException e) {
        // a key of another type: try the next
      }
    }
    return false;
  }

  private List<JWK> keys(OAuth2Client client, @Nullable String kid) {
    Map<String, Object> jwks = client.jwks();
    if (jwks == null) {
      if (client.jwksUri().isEmpty()) {
        throw fail(client, "The OAuth 2.0 Client has no JSON Web Keys set registered (jwks or jwks_uri).");
      }
      List<JWK> keys = remoteKeys.get(client.jwksUri(), this::fetch).getKeys();
      if (kid != null && keys.stream().noneMatch(k -> kid.equals(k.getKeyID()))) {
        remoteKeys.invalidate(client.jwksUri()); // the client may have rotated: fetch once more
        keys = remoteKeys.get(client.jwksUri(), this::fetch).getKeys();
      }
      return keys;
    }
    try {
      return JWKSet.parse(jwks).getKeys();
    } catch (java.text.ParseException e) {
      throw fail(client, "The OAuth 2.0 Client's JSON Web Key set is malformed.");
    }
  }

  private JWKSet fetch(String uri) {
    try {
      return JWKSet.load(java.net.URI.create(uri).toURL(), 5_000, 5_000, 512 * 1024);
    } catch (java.io.IOException | java.text.ParseException | IllegalArgumentException e) {
      log.warn("could not fetch the JWK set of a client from {}: {}", uri, e.toString());
      throw OAuth2Exception.invalidClient("Unable to fetch the JSON Web Keys from the client's jwks_uri.");
    }
  }

  private static java.security.Key toPublicKey(JWK key) throws JOSEException {
    return switch (key.getKeyType().getValue()) {
      case "RSA" -> key.toRSAKey().toPublicKey();
      case "EC" -> key.toECKey().toPublicKey();
      default -> throw new JOSEException("unsupported key type " + Objects.toString(key.getKeyType()));
    };
  }
}
