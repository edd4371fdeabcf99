package io.ory4j.identity.internal;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.ory4j.identity.OidcProvider;
import java.net.URI;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relying-party side of social sign-in, on Nimbus: discovery from the issuer (cached), the authorization URL
 * (code flow, PKCE S256, state, nonce), the code exchange ({@code client_secret_basic}) and the ID token's checks
 * (signature by the issuer's JWKS, {@code iss}, {@code aud}/{@code azp}, {@code exp}/{@code iat} against the injected
 * clock with a minute of skew, {@code nonce}). Not API.
 */
public final class OidcClient {

  private static final Logger log = LoggerFactory.getLogger(OidcClient.class);
  private static final Duration SKEW = Duration.ofMinutes(1);

  /** A failure of the upstream or of its answer: an OAuth 2.0 error code and a description for the user. */
  public static final class UpstreamException extends RuntimeException {
    private final String error;

    public UpstreamException(String error, String description) {
      super(description);
      this.error = error;
    }

    public String error() {
      return error;
    }
  }

  private final Clock clock;
  private final Map<String, OIDCProviderMetadata> metadata = new ConcurrentHashMap<>();
  private final Map<URI, JWKSet> keys = new ConcurrentHashMap<>();

  public OidcClient(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  private OIDCProviderMetadata metadata(OidcProvider p) {
    OIDCProviderMetadata m = metadata.get(p.id());
    if (m != null) {
      return m;
    }
    try {
      m = OIDCProviderMetadata.resolve(new Issuer(p.issuerUrl().toString().replaceAll("/+$", "")), 5000, 5000);
    } catch (Exception e) {
      log.warn("discovery of OpenID Connect provider {} at {} failed: {}", p.id(), p.issuerUrl(), e.toString());
      throw new UpstreamException("server_error", "The OpenID Connect provider \"" + p.id() + "\" could not be "
          + "reached.");
    }
    metadata.put(p.id(), m);
    return m;
  }

  /** The upstream's authorization URL for one sign-in. */
  public URI authorizationUrl(OidcProvider p, URI redirectUri, String state, String nonce, String codeVerifier) {
    OIDCProviderMetadata m = metadata(p);
    return new AuthenticationRequest.Builder(new ResponseType("code"), new Scope(p.scope().toArray(String[]::new)),
        new ClientID(p.clientId()), redirectUri).state(new State(state)).nonce(new Nonce(nonce))
        .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256)
        .endpointURI(m.getAuthorizationEndpointURI()).build().toURI();
  }

  /** Exchanges the code and returns the verified ID token's claims as JSON values (dates as epoch seconds). */
  public Map<String, Object> exchange(OidcProvider p, URI redirectUri, String code, String codeVerifier,
      String nonce) {
    return tokenClaims(p, redirectUri, code, codeVerifier, nonce).toJSONObject();
  }

  private JWTClaimsSet tokenClaims(OidcProvider p, URI redirectUri, String code, String codeVerifier, String nonce) {
    OIDCProviderMetadata m = metadata(p);
    TokenResponse res;
    try {
      res = OIDCTokenResponseParser.parse(new TokenRequest(m.getTokenEndpointURI(), new ClientSecretBasic(
          new ClientID(p.clientId()), new Secret(p.clientSecret())), new AuthorizationCodeGrant(
              new AuthorizationCode(code), redirectUri, new CodeVerifier(codeVerifier))).toHTTPRequest().send());
    } catch (Exception e) {
      log.warn("token request to OpenID Connect provider {} failed: {}", p.id(), e.toString());
      throw new UpstreamException("server_error", "The OpenID Connect provider \"" + p.id() + "\" could not be "
          + "reached.");
    }
    if (!res.indicatesSuccess()) {
      ErrorObject err = res.toErrorResponse().getErrorObject();
      throw new UpstreamException(err == null || err.getCode() == null ? "server_error" : err.getCode(),
          err == null || err.getDescription() == null ? "" : err.getDescription());
    }
    JWT idToken = ((OIDCTokenResponse) res).getOIDCTokens().getIDToken();
    if (idToken == null) {
      throw new UpstreamException("invalid_id_token", "The OpenID Connect provider sent no ID token.");
    }
    return verify(p, m.getIssuer().getValue(), m.getJWKSetURI(), idToken, nonce);
  }

  /** The ID token's checks; package-private for the tests. */
  JWTClaimsSet verify(OidcProvider p, String issuer, URI jwksUri, JWT idToken, String nonce) {
    if (!(idToken instanceof SignedJWT jws)) {
      throw invalid("the ID token is not signed");
    }
    try {
      JWSHeader header = jws.getHeader();
      Key key = key(jwksUri, header, false);
      JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(header, key);
      if (!jws.verify(verifier)) {
        throw invalid("the ID token's signature does not verify");
      }
      JWTClaimsSet c = jws.getJWTClaimsSet();
      Instant now = clock.instant();
      if (!issuer.equals(c.getIssuer())) {
        throw invalid("the ID token's iss is not the provider's issuer");
      }
      List<String> aud = c.getAudience();
      if (aud == null || !aud.contains(p.clientId())) {
        throw invalid("the ID token's aud does not contain the client id");
      }
      String azp = c.getStringClaim("azp");
      if (aud.size() > 1 && azp != null && !azp.equals(p.clientId())) {
        throw invalid("the ID token's azp is another client");
      }
      Date exp = c.getExpirationTime();
      if (exp == null || !now.minus(SKEW).isBefore(exp.toInstant())) {
        throw invalid("the ID token expired");
      }
      Date iat = c.getIssueTime();
      if (iat != null && iat.toInstant().isAfter(now.plus(SKEW))) {
        throw invalid("the ID token was issued in the future");
      }
      if (!nonce.equals(c.getStringClaim("nonce"))) {
        throw invalid("the ID token's nonce is not this sign-in's");
      }
      if (c.getSubject() == null || c.getSubject().isEmpty()) {
        throw invalid("the ID token has no sub");
      }
      return c;
    } catch (UpstreamException e) {
      throw e;
    } catch (Exception e) {
      throw invalid("the ID token could not be checked (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Seeds the JWKS cache (tests). */
  void cacheKeys(URI jwksUri, JWKSet set) {
    keys.put(jwksUri, set);
  }

  /** The issuer's key for the header's {@code kid} (and algorithm family), fetching the JWKS again once if unknown. */
  private Key key(URI jwksUri, JWSHeader header, boolean refetched) throws Exception {
    JWKSet set = keys.get(jwksUri);
    if (set == null || refetched) {
      set = JWKSet.load(jwksUri.toURL(), 5000, 5000, 1024 * 1024);
      keys.put(jwksUri, set);
    }
    for (JWK k : set.getKeys()) {
      boolean kidMatches = header.getKeyID() == null || header.getKeyID().equals(k.getKeyID());
      boolean family = header.getAlgorithm().getName().startsWith("RS") || header.getAlgorithm().getName()
          .startsWith("PS") ? k.getKeyType().getValue().equals("RSA")
          : header.getAlgorithm().getName().startsWith("ES") ? k.getKeyType().getValue().equals("EC")
          : header.getAlgorithm().getName().equals("EdDSA") && k.getKeyType().getValue().equals("OKP");
      if (kidMatches && family && k instanceof AsymmetricJWK a) {
        return a.toPublicKey();
      }
    }
    if (!refetched) {
      return key(jwksUri, header, true);
    }
    throw invalid("no key of the issuer's JWKS matches the ID token's kid");
  }

  private static UpstreamException invalid(String why) {
    log.warn("ID token refused: {}", why);
    return new UpstreamException("invalid_id_token", "The ID token of the OpenID Connect provider is invalid: " + why
        + ".");
  }
}
