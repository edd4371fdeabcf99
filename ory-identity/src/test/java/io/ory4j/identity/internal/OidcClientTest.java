package io.ory4j.identity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.identity.MutableClock;
import io.ory4j.identity.OidcProvider;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The ID token checks of social sign-in: signature by the JWKS, iss, aud/azp, exp/iat by the injected clock, nonce. */
class OidcClientTest {

  private static final String ISSUER = "https://upstream.example";
  private static final URI JWKS = URI.create("http://127.0.0.1:9/.well-known/jwks.json");
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final OidcClient client = new OidcClient(clock);
  private final OidcProvider provider = OidcProvider.generic("up", URI.create(ISSUER), "rp", "secret",
      Map.of("/email", "/email"));
  private final RSAKey key;
  private final RSAKey otherKey;

  OidcClientTest() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    client.cacheKeys(JWKS, new JWKSet(key.toPublicJWK()));
  }

  private JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience("rp").subject("user-1").claim("nonce", "n-1")
        .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
  }

  private JWT signed(UnaryOperator<JWTClaimsSet.Builder> change, RSAKey with) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(),
        change.apply(claims()).build());
    jwt.sign(new RSASSASigner(with));
    return jwt;
  }

  private String refused(JWT token) {
    return assertThrows(OidcClient.UpstreamException.class, () -> client.verify(provider, ISSUER, JWKS, token,
        "n-1")).getMessage();
  }

  @Test
  void verifyWhenValidThenClaims() throws Exception {
    JWTClaimsSet c = client.verify(provider, ISSUER, JWKS, signed(b -> b, key), "n-1");
    assertEquals("user-1", c.getSubject());
  }

  @Test
  void verifyWhenSignedByAnotherKeyThenRefused() throws Exception {
    assertTrue(refused(signed(b -> b, otherKey)).contains("signature"));
  }

  @Test
  void verifyWhenUnsignedThenRefused() {
    assertTrue(refused(new PlainJWT(claims().build())).contains("not signed"));
  }

  @Test
  void verifyWhenOtherIssuerThenRefused() throws Exception {
    assertTrue(refused(signed(b -> b.issuer("https://evil.example"), key)).contains("iss"));
  }

  @Test
  void verifyWhenOtherAudienceThenRefused() throws Exception {
    assertTrue(refused(signed(b -> b.audience("another-rp"), key)).contains("aud"));
  }

  @Test
  void verifyWhenSeveralAudiencesAndAzpOfAnotherClientThenRefused() throws Exception {
    assertTrue(refused(signed(b -> b.audience(List.of("rp", "x")).claim("azp", "x"), key)).contains("azp"));
  }

  @Test
  void verifyWhenExpiredBeyondTheSkewThenRefused() throws Exception {
    JWT token = signed(b -> b, key);
    clock.advance(Duration.ofMinutes(61));
    assertTrue(refused(token).contains("expired"));
  }

  @Test
  void verifyWhenExpiredWithinTheSkewThenAccepted() throws Exception {
    JWT token = signed(b -> b, key);
    clock.advance(Duration.ofMinutes(60).plusSeconds(30));
    assertEquals("user-1", client.verify(provider, ISSUER, JWKS, token, "n-1").getSubject());
  }

  @Test
  void verifyWhenIssuedInTheFutureThenRefused() throws Exception {
    assertTrue(refused(signed(b -> b.issueTime(Date.from(NOW.plus(Duration.ofMinutes(5)))), key))
        .contains("future"));
  }

  @Test
  void verifyWhenOtherNonceOrNoneThenRefused() throws Exception {
    assertTrue(refused(signed(b -> b.claim("nonce", "n-2"), key)).contains("nonce"));
    assertTrue(refused(signed(b -> b.claim("nonce", null), key)).contains("nonce"));
  }

  @Test
  void verifyWhenNoSubjectThenRefused() throws Exception {
    assertTrue(refused(signed(b -> b.subject(null), key)).contains("sub"));
  }

  @Test
  void verifyWhenKidUnknownAndJwksUnreachableThenRefused() throws Exception {
    RSAKey unknown = new RSAKeyGenerator(2048).keyID("k2").generate();
    assertTrue(refused(signed(b -> b, unknown)).contains("could not be checked"));
  }
}
