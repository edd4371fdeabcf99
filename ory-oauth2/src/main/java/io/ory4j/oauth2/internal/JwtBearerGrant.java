package io.ory4j.oauth2.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.core.error.OAuth2Error;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.oauth2.JwtBearerSettings;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.TrustedJwtGrantIssuer;
import io.ory4j.oauth2.spi.JtiStore;
import io.ory4j.oauth2.spi.TrustedIssuerStore;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWT bearer authorization grant (RFC 7523 section 2.1) as Hydra validates it: the assertion's issuer and subject
 * must have a live trust relationship whose key verifies the signature; {@code aud} must name the token endpoint;
 * {@code exp}, {@code nbf}, {@code iat} (and the maximum lifetime) and a single-use {@code jti} are checked; the
 * requested scopes must lie within the relationship's scopes (Hydra does not consult the client's scopes here), and
 * the token's audience is the assertion's {@code aud}. Errors carry Hydra's hints.
 */
public final class JwtBearerGrant {

  /** The grant type. */
  public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  private static final Logger log = LoggerFactory.getLogger(JwtBearerGrant.class);
  private static final String IN = "The JWT in \"assertion\" request parameter ";

  /** What an accepted assertion grants: its subject, the requested scopes and (as Hydra) the assertion's audience. */
  public record Grant(String subject, List<String> scope, List<String> audience) {
    public Grant {
      Objects.requireNonNull(subject, "subject");
      scope = List.copyOf(scope);
      audience = List.copyOf(audience);
    }
  }

  private final JwtBearerSettings settings;
  private final TrustedIssuerStore trust;
  private final JtiStore jtis;
  private final Clock clock;
  private final String tokenEndpoint;
  private final boolean wildcardScopes;

  public JwtBearerGrant(JwtBearerSettings settings, TrustedIssuerStore trust, JtiStore jtis, Clock clock,
      String tokenEndpoint, boolean wildcardScopes) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.trust = Objects.requireNonNull(trust, "trust");
    this.jtis = Objects.requireNonNull(jtis, "jtis");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tokenEndpoint = Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
    this.wildcardScopes = wildcardScopes;
  }

  /** Validates {@code assertion} for {@code client} (already authenticated and allowed the grant type). */
  public Grant validate(OAuth2Client client, @Nullable String assertion, List<String> requestedScope) {
    if (assertion == null || assertion.isEmpty()) {
      throw OAuth2Exception.invalidRequest("The assertion request parameter must be set when using grant_type of '"
          + GRANT_TYPE + "'.");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(assertion);
    } catch (ParseException | RuntimeException e) {
      throw OAuth2Exception.invalidGrant("Unable to parse JSON Web Token passed in \"assertion\" request parameter.");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw OAuth2Exception.invalidGrant("Looks like there are no claims in JWT in \"assertion\" request parameter.");
    }
    String iss = claims.getIssuer();
    String sub = claims.getSubject();
    if (iss == null || iss.isEmpty()) {
      throw OAuth2Exception.invalidGrant(IN + "MUST contain an \"iss\" (issuer) claim.");
    }
    if (sub == null || sub.isEmpty()) {
      throw OAuth2Exception.invalidGrant(IN + "MUST contain a \"sub\" (subject) claim.");
    }
    Instant now = clock.instant();
    TrustedJwtGrantIssuer relationship = verifiedBy(jwt, iss, sub, now);
    checkClaims(claims, now);
    for (String s : requestedScope) {
      if (!Scopes.matches(wildcardScopes, relationship.scope(), s)) {
        throw OAuth2Exception.invalidScope("The public key registered for issuer \"" + iss + "\" and subject \""
            + sub + "\" is not allowed to request scope \"" + s + "\".");
      }
    }
    String jti = claims.getJWTID();
    if (jti != null && !jti.isEmpty() && !jtis.markUsed(ClientAuthenticator.jtiSignature("jwt_bearer", iss, jti),
        claims.getExpirationTime().toInstant(), now)) {
      log.warn("JWT bearer assertion replayed: issuer {} client {}", iss, client.id().value());
      throw new OAuth2Exception(new OAuth2Error("jti_known", "The JTI is already used.", null, null, 400));
    }
    log.debug("JWT bearer grant accepted: issuer {} relationship {} client {}", iss, relationship.id(),
        client.id().value());
    return new Grant(sub, requestedScope, claims.getAudience());
  }

  /** The live relationship of {@code iss} and {@code sub} whose key (by {@code kid} when given) verifies the JWT. */
  private TrustedJwtGrantIssuer verifiedBy(SignedJWT jwt, String iss, String sub, Instant now) {
    String kid = jwt.getHeader().getKeyID();
    List<TrustedJwtGrantIssuer> candidates = new ArrayList<>();
    for (TrustedJwtGrantIssuer t : trust.findActive(iss, sub, now)) {
      if (kid == null || kid.isEmpty() || t.keyId().equals(kid)) {
        candidates.add(t);
      }
    }
    if (candidates.isEmpty()) {
      throw noKey(iss, sub);
    }
    for (TrustedJwtGrantIssuer t : candidates) {
      if (verifies(jwt, t)) {
        return t;
      }
    }
    log.warn("JWT bearer assertion signature does not verify: issuer {}", iss);
    throw kid != null && !kid.isEmpty()
        ? OAuth2Exception.invalidGrant("Unable to verify the integrity of the 'assertion' value.")
        : noKey(iss, sub);
  }

  private static OAuth2Exception noKey(String iss, String sub) {
    return OAuth2Exception.invalidGrant("No public JWK was registered for issuer \"" + iss + "\" and subject \"" + sub
        + "\", and public key is required to check signature of JWT in \"assertion\" request parameter.");
  }

  /** True when the relationship's key (of the JWT's algorithm) verifies the JWT's signature. */
  static boolean verifies(SignedJWT jwt, TrustedJwtGrantIssuer t) {
    try {
      JWK key = JWK.parse(t.publicJwk());
      if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(jwt.getHeader().getAlgorithm()
          .getName())) {
        return false;
      }
      return jwt.verify(io.ory4j.core.keys.JwsKeys.verifier(key));
    } catch (ParseException | JOSEException | RuntimeException e) {
      return false;
    }
  }

  private void checkClaims(JWTClaimsSet claims, Instant now) {
    List<String> aud = claims.getAudience();
    if (aud == null || aud.isEmpty()) {
      throw OAuth2Exception.invalidGrant(IN + "MUST contain an \"aud\" (audience) claim.");
    }
    if (!aud.contains(tokenEndpoint)) {
      throw OAuth2Exception.invalidGrant(IN + "MUST contain an \"aud\" (audience) claim containing a value \""
          + tokenEndpoint + "\" that identifies the authorization server as an intended audience.");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw OAuth2Exception.invalidGrant(IN + "MUST contain an \"exp\" (expiration time) claim.");
    }
    if (exp.toInstant().isBefore(now)) {
      throw OAuth2Exception.invalidGrant(IN + "expired.");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && !nbf.toInstant().isBefore(now)) {
      throw OAuth2Exception.invalidGrant(IN + "contains an \"nbf\" (not before) claim, that identifies the time '"
          + nbf.toInstant() + "' before which the token MUST NOT be accepted.");
    }
    Date iat = claims.getIssueTime();
    if (iat == null && !settings.iatOptional()) {
      throw OAuth2Exception.invalidGrant(IN + "MUST contain an \"iat\" (issued at) claim.");
    }
    Instant issued = iat != null ? iat.toInstant() : now;
    if (exp.toInstant().isAfter(issued.plus(settings.maxTtl()))) {
      throw OAuth2Exception.invalidGrant(IN + "contains an \"exp\" (expiration time) claim with value \""
          + exp.toInstant() + "\" that is unreasonably far in the future, considering token issued at \"" + issued
          + "\".");
    }
    String jti = claims.getJWTID();
    if ((jti == null || jti.isEmpty()) && !settings.jtiOptional()) {
      throw OAuth2Exception.invalidGrant(IN + "MUST contain an \"jti\" (JWT ID) claim.");
    }
  }
}
