package io.ory4j.oauth2.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.core.error.OAuth2Error;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.secrets.ConstantTime;
import io.ory4j.oauth2.DpopSettings;
import io.ory4j.oauth2.spi.JtiStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies DPoP proofs (RFC 9449 section 4.3): a {@code dpop+jwt} signed with an asymmetric algorithm by the public
 * key in its {@code jwk} header, for this method and URL, fresh, with a {@code jti} used once (in the shared
 * {@link JtiStore}) and, when required, a current server nonce. Nonces are stateless: a time step and its HMAC under
 * the system secret, valid for the current and the previous step.
 */
public final class DpopProofs {

  private static final Logger log = LoggerFactory.getLogger(DpopProofs.class);

  /** The algorithms accepted for proofs (asymmetric only). */
  public static final List<String> ALGORITHMS = List.of("RS256", "PS256", "ES256", "EdDSA");

  private final DpopSettings settings;
  private final Clock clock;
  private final JtiStore jtis;
  private final TokenCodec codec;

  private final List<String> algorithms;

  public DpopProofs(DpopSettings settings, Clock clock, JtiStore jtis, TokenCodec codec) {
    this(settings, clock, jtis, codec, ALGORITHMS);
  }

  /** Proofs signed with one of {@code algorithms} only (a subset of {@link #ALGORITHMS}, FAPI 2.0's say). */
  public DpopProofs(DpopSettings settings, Clock clock, JtiStore jtis, TokenCodec codec, List<String> algorithms) {
    this.algorithms = List.copyOf(algorithms);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.jtis = Objects.requireNonNull(jtis, "jtis");
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /** The algorithms accepted for proofs here (discovery's {@code dpop_signing_alg_values_supported}). */
  public List<String> algorithms() {
    return algorithms;
  }

  /** {@code invalid_dpop_proof} (RFC 9449 section 5). */
  public static OAuth2Exception invalidProof(String hint) {
    return new OAuth2Exception(new OAuth2Error("invalid_dpop_proof", "The DPoP proof is invalid.", hint, null, 400));
  }

  /** {@code use_dpop_nonce} (RFC 9449 section 8): the client must retry with the nonce of the DPoP-Nonce header. */
  public static OAuth2Exception useNonce() {
    return new OAuth2Exception(new OAuth2Error("use_dpop_nonce", "Authorization server requires nonce in DPoP proof.",
        null, null, 400));
  }

  /** The nonce to send in {@code DPoP-Nonce}, or null when nonces are not required. */
  public @Nullable String currentNonce() {
    if (!settings.requireNonce()) {
      return null;
    }
    return nonceFor(step(clock.instant()));
  }

  private long step(Instant t) {
    return t.getEpochSecond() / settings.proofLifetime().toSeconds();
  }

  private String nonceFor(long step) {
    String s = Long.toString(step);
    return s + "." + codec.mac("dpop-nonce:" + s).substring(0, 22);
  }

  private boolean nonceValid(@Nullable String nonce) {
    if (nonce == null) {
      return false;
    }
    long now = step(clock.instant());
    return ConstantTime.equals(nonce, nonceFor(now)) || ConstantTime.equals(nonce, nonceFor(now - 1));
  }

  /**
   * Verifies the {@code DPoP} header of {@code request} for {@code method} and {@code url}; returns the JWK SHA-256
   * thumbprint of its key, or null when the request has no DPoP header.
   *
   * @param accessToken for a resource request, the access token the proof's {@code ath} must hash; else null
   */
  public @Nullable String verify(HttpRequest request, String method, URI url, @Nullable String accessToken) {
    List<String> headers = request.headers().getOrDefault("DPoP", List.of());
    if (headers.isEmpty()) {
      return null;
    }
    if (headers.size() > 1) {
      throw invalidProof("Exactly one DPoP header is allowed (RFC 9449, section 4.3).");
    }
    SignedJWT proof;
    try {
      proof = SignedJWT.parse(headers.get(0));
    } catch (java.text.ParseException e) {
      throw invalidProof("The DPoP proof is not a signed JWT.");
    }
    if (!new JOSEObjectType("dpop+jwt").equals(proof.getHeader().getType())) {
      throw invalidProof("The DPoP proof must have the JOSE header typ 'dpop+jwt'.");
    }
    JWSAlgorithm alg = proof.getHeader().getAlgorithm();
    if (!algorithms.contains(alg.getName())) {
      throw invalidProof("The DPoP proof algorithm '" + alg + "' is not supported; use one of " + algorithms + ".");
    }
    JWK jwk = proof.getHeader().getJWK();
    if (jwk == null) {
      throw invalidProof("The DPoP proof has no 'jwk' header.");
    }
    if (jwk.isPrivate()) {
      throw invalidProof("The 'jwk' header of the DPoP proof must not contain a private key.");
    }
    try {
      if (!proof.verify(io.ory4j.core.keys.JwsKeys.verifier(jwk))) {
        throw invalidProof("The signature of the DPoP proof does not verify with its 'jwk'.");
      }
    } catch (JOSEException | IllegalArgumentException e) {
      throw invalidProof("The signature of the DPoP proof does not verify with its 'jwk'.");
    }
    JWTClaimsSet claims;
    try {
      claims = proof.getJWTClaimsSet();
    } catch (java.text.ParseException e) {
      throw invalidProof("The claims of the DPoP proof are malformed.");
    }
    String jti = claims.getJWTID();
    Object htm = claims.getClaim("htm");
    Object htu = claims.getClaim("htu");
    if (jti == null || jti.isEmpty() || !(htm instanceof String) || !(htu instanceof String)
        || claims.getIssueTime() == null) {
      throw invalidProof("The DPoP proof must have the claims 'jti', 'htm', 'htu' and 'iat'.");
    }
    if (!method.equals(htm)) {
      throw invalidProof("Claim 'htm' of the DPoP proof must be '" + method + "'.");
    }
    if (!sameUrl(url, (String) htu)) {
      throw invalidProof("Claim 'htu' of the DPoP proof must be '" + url + "'.");
    }
    Instant now = clock.instant();
    Instant iat = claims.getIssueTime().toInstant();
    if (iat.isBefore(now.minus(settings.proofLifetime())) || iat.isAfter(now.plus(settings.proofLifetime()))) {
      throw invalidProof("Claim 'iat' of the DPoP proof is too far from the current time.");
    }
    if (accessToken != null) {
      Object ath = claims.getClaim("ath");
      if (!(ath instanceof String a) || !ConstantTime.equals(a, sha256(accessToken))) {
        throw invalidProof("Claim 'ath' of the DPoP proof must be the hash of the access token.");
      }
    }
    if (settings.requireNonce()) {
      Object nonce = claims.getClaim("nonce");
      if (!nonceValid(nonce instanceof String n ? n : null)) {
        throw useNonce();
      }
    }
    String thumbprint;
    try {
      thumbprint = jwk.computeThumbprint().toString();
    } catch (JOSEException e) {
      throw invalidProof("The 'jwk' of the DPoP proof has no thumbprint.");
    }
    if (!jtis.markUsed(ClientAuthenticator.jtiSignature("dpop", thumbprint, jti),
        iat.plus(settings.proofLifetime()).plus(settings.proofLifetime()), now)) {
      log.warn("DPoP proof replayed (key {})", thumbprint);
      throw invalidProof("The DPoP proof has been used before.");
    }
    return thumbprint;
  }

  /** RFC 9449 section 4.3: compare without query and fragment, scheme and host case-insensitively. */
  private static boolean sameUrl(URI expected, String htu) {
    try {
      URI u = new URI(htu);
      return u.getScheme() != null && u.getHost() != null && u.getScheme().equalsIgnoreCase(expected.getScheme())
          && u.getHost().equalsIgnoreCase(expected.getHost()) && port(u) == port(expected)
          && Objects.equals(u.getRawPath().isEmpty() ? "/" : u.getRawPath(),
              expected.getRawPath().isEmpty() ? "/" : expected.getRawPath());
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /** base64url(SHA-256(value)), the {@code ath} of an access token. */
  public static String sha256(String value) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
