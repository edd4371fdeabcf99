package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.ory4j.core.keys.KeyAlgorithm;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FAPI 2.0 Security Profile mode over HTTP with Nimbus as the client: what it switches on (PAR, PKCE S256,
 * private_key_jwt with the issuer as audience, DPoP-bound tokens, {@code iss}, 60-second codes, PS256 signing) and
 * every refusal of what the profile forbids, each with the error its spec defines.
 */
class Fapi2ProfileHttpTest {

  private TestServer s;
  private ECKey key;
  private ECKey dpopKey;
  private String clientId;

  @BeforeEach
  void start() throws Exception {
    s = new TestServer(b -> b.securitySettings(SecuritySettings.fapi2SecurityProfile())
        .tokenSettings(TokenSettings.defaults().withJwtAccessTokens(true)));
    key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    dpopKey = new ECKeyGenerator(Curve.P_256).generate();
    clientId = register(Map.of("token_endpoint_auth_method", "private_key_jwt",
        "jwks", Map.of("keys", List.of(key.toPublicJWK().toJSONObject()))));
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private String register(Map<String, Object> extra) {
    Map<String, Object> body = new java.util.HashMap<>(Map.of("redirect_uris", List.of(TestServer.REDIRECT),
        "scope", "openid offline", "grant_types", List.of("authorization_code", "refresh_token",
            "client_credentials")));
    body.putAll(extra);
    return s.admin("POST", "/admin/clients", TestServer.JSON.write(body)).get("client_id").asText();
  }

  private java.net.http.HttpResponse<String> tryRegister(Map<String, Object> body) {
    Map<String, Object> all = new java.util.HashMap<>(Map.of("redirect_uris", List.of(TestServer.REDIRECT)));
    all.putAll(body);
    return s.send("POST", "/admin/clients", TestServer.JSON.write(all), "application/json");
  }

  private URI uri(String path) {
    return URI.create(s.base + path);
  }

  /** private_key_jwt as FAPI 2.0 wants it: ES256, {@code aud} the issuer identifier. */
  private PrivateKeyJWT assertion() throws Exception {
    return assertion(clientId, key, JWSAlgorithm.ES256, new Audience(s.base));
  }

  private PrivateKeyJWT assertion(String client, com.nimbusds.jose.jwk.JWK k, JWSAlgorithm alg, Audience aud)
      throws Exception {
    JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(new ClientID(client), aud.toSingleAudienceList(),
        Date.from(s.clock.instant().plusSeconds(60)), null, Date.from(s.clock.instant()), new JWTID());
    return k instanceof RSAKey rsa ? new PrivateKeyJWT(claims, alg, rsa.toRSAPrivateKey(), rsa.getKeyID(), null)
        : new PrivateKeyJWT(claims, alg, ((ECKey) k).toECPrivateKey(), k.getKeyID(), null);
  }

  private SignedJWT proof(String htm, String path, com.nimbusds.oauth2.sdk.token.AccessToken at) throws Exception {
    return new DefaultDPoPProofFactory(dpopKey, JWSAlgorithm.ES256).createDPoPJWT(new JWTID(), htm, uri(path),
        Date.from(s.clock.instant()), at, null);
  }

  private AuthorizationRequest.Builder request(CodeVerifier v) {
    return new AuthorizationRequest.Builder(new ResponseType("code"), new ClientID(clientId))
        .redirectionURI(URI.create(TestServer.REDIRECT)).scope(new Scope("openid", "offline"))
        .state(new State("fapi-state-0123")).codeChallenge(v, CodeChallengeMethod.S256);
  }

  private HTTPResponse push(ClientAuthentication auth, AuthorizationRequest r) throws Exception {
    return new PushedAuthorizationRequest(uri("/oauth2/par"), auth, r).toHTTPRequest().send();
  }

  private HTTPResponse token(ClientAuthentication auth, AuthorizationGrant grant, SignedJWT proof) throws Exception {
    HTTPRequest r = new TokenRequest(uri("/oauth2/token"), auth, grant, null).toHTTPRequest();
    if (proof != null) {
      r.setDPoP(proof);
    }
    return r.send();
  }

  private static String error(HTTPResponse r) throws Exception {
    assertTrue(r.getStatusCode() == 400 || r.getStatusCode() == 401, r.getStatusCode() + " " + r.getBody());
    return TokenErrorResponse.parse(r).getErrorObject().getCode();
  }

  /** PAR, then the browser through login and consent: the redirect back to the client. */
  private String authorize(CodeVerifier v) throws Exception {
    HTTPResponse pushed = push(assertion(), request(v).build());
    assertEquals(201, pushed.getStatusCode(), pushed.getBody());
    URI requestUri = PushedAuthorizationResponse.parse(pushed).toSuccessResponse().getRequestURI();
    return s.browser().navigate(s.base + "/oauth2/auth?client_id=" + clientId + "&request_uri="
        + TestServer.enc(requestUri.toString()));
  }

  @Test
  void fapi2WhenCodeFlowThroughParWithDpopThenBoundTokensAndIss() throws Exception {
    CodeVerifier v = new CodeVerifier();
    String back = authorize(v);
    assertTrue(back.startsWith(TestServer.REDIRECT), back);
    assertEquals(s.base, TestServer.param(back, "iss"), "RFC 9207 iss");
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(TestServer.param(back, "code")),
        URI.create(TestServer.REDIRECT), v);
    HTTPResponse res = token(assertion(), grant, proof("POST", "/oauth2/token", null));
    assertEquals(200, res.getStatusCode(), res.getBody());
    Tokens tokens = com.nimbusds.openid.connect.sdk.OIDCTokenResponse.parse(res).toSuccessResponse().getTokens();
    assertTrue(tokens.getAccessToken() instanceof DPoPAccessToken, "token_type DPoP");
    JsonNode info = TestServer.JSON.readTree(s.send("POST", "/admin/oauth2/introspect", "token="
        + TestServer.enc(tokens.getAccessToken().getValue()), "application/x-www-form-urlencoded").body());
    assertEquals(dpopKey.computeThumbprint().toString(), info.path("cnf").path("jkt").asText());
    SignedJWT idToken = SignedJWT.parse(((com.nimbusds.openid.connect.sdk.token.OIDCTokens) tokens).getIDTokenString());
    assertEquals(JWSAlgorithm.PS256, idToken.getHeader().getAlgorithm(), "RS256 (the default) became PS256");
    JWKSet jwks = JWKSet.parse(s.send("GET", "/.well-known/jwks.json", null, null).body());
    assertTrue(idToken.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(
        jwks.getKeyByKeyId(idToken.getHeader().getKeyID()).toRSAKey())), "the ID token verifies with the JWKS");
    // refresh: still DPoP, and the old refresh token works again within the grace period (FAPI 2.0's retry)
    HTTPResponse refreshed = token(assertion(), new RefreshTokenGrant(tokens.getRefreshToken()),
        proof("POST", "/oauth2/token", null));
    assertEquals(200, refreshed.getStatusCode(), refreshed.getBody());
    HTTPResponse retried = token(assertion(), new RefreshTokenGrant(tokens.getRefreshToken()),
        proof("POST", "/oauth2/token", null));
    assertEquals(200, retried.getStatusCode(), "a client that lost the answer retries: " + retried.getBody());
  }

  @Test
  void fapi2WhenBuiltThenDiscoveryAdvertisesExactlyTheProfile() throws Exception {
    OIDCProviderMetadata m = OIDCProviderMetadata.parse(s.send("GET", "/.well-known/openid-configuration", null,
        null).body());
    assertTrue(m.requiresPushedAuthorizationRequests());
    assertEquals(List.of(new ResponseType("code")), m.getResponseTypes());
    assertEquals(List.of(com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod.PRIVATE_KEY_JWT),
        m.getTokenEndpointAuthMethods());
    assertEquals(List.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA),
        m.getTokenEndpointJWSAlgs());
    assertEquals(List.of(CodeChallengeMethod.S256), m.getCodeChallengeMethods());
    assertTrue(m.supportsAuthorizationResponseIssuerParam());
    assertEquals(List.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA), m.getDPoPJWSAlgs());
    assertEquals(List.of(JWSAlgorithm.PS256), m.getIDTokenJWSAlgs());
    TokenSettings t = s.provider.tokenSettings();
    assertEquals(Duration.ofSeconds(60), t.authorizationCodeLifespan());
    assertTrue(t.enforcePkce());
    assertEquals(KeyAlgorithm.PS256, t.signingAlgorithm());
  }

  @Test
  void fapi2WhenClientRegistersWhatTheProfileForbidsThenInvalidClientMetadata() throws Exception {
    String jwks = "{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}";
    for (Map<String, Object> forbidden : List.<Map<String, Object>>of(
        Map.of("token_endpoint_auth_method", "none"),
        Map.of("token_endpoint_auth_method", "client_secret_basic"),
        Map.of("token_endpoint_auth_method", "client_secret_jwt"),
        Map.of("token_endpoint_auth_method", "private_key_jwt", "jwks", TestServer.JSON.readTree(jwks),
            "response_types", List.of("code id_token")),
        Map.of("token_endpoint_auth_method", "private_key_jwt", "jwks", TestServer.JSON.readTree(jwks),
            "token_endpoint_auth_signing_alg", "RS256"),
        Map.of("token_endpoint_auth_method", "private_key_jwt", "jwks", TestServer.JSON.readTree(jwks),
            "redirect_uris", List.of("http://client.example/cb")))) {
      java.net.http.HttpResponse<String> r = tryRegister(forbidden);
      assertEquals(400, r.statusCode(), forbidden + ": " + r.body());
      assertTrue(r.body().contains("invalid_client_metadata") || r.body().contains("invalid_redirect_uri"),
          forbidden + ": " + r.body());
    }
  }

  @Test
  void fapi2WhenAuthorizationRequestNotPushedOrIncompleteThenRefused() throws Exception {
    CodeVerifier v = new CodeVerifier();
    String plain = s.browser().navigate(request(v).endpointURI(uri("/oauth2/auth")).build().toURI().toString());
    assertEquals("invalid_request", TestServer.param(plain, "error"), plain);
    assertNull(TestServer.param(plain, "code"));
    // no redirect_uri, no PKCE, PKCE plain: each refused at the PAR endpoint
    AuthorizationRequest noRedirect = new AuthorizationRequest.Builder(new ResponseType("code"),
        new ClientID(clientId)).scope(new Scope("openid")).state(new State("fapi-state-0123"))
        .codeChallenge(v, CodeChallengeMethod.S256).build();
    AuthorizationRequest noPkce = new AuthorizationRequest.Builder(new ResponseType("code"), new ClientID(clientId))
        .redirectionURI(URI.create(TestServer.REDIRECT)).scope(new Scope("openid")).state(new State("fapi-state-01"))
        .build();
    AuthorizationRequest plainPkce = request(v).codeChallenge(v, CodeChallengeMethod.PLAIN).build();
    for (AuthorizationRequest r : List.of(noRedirect, noPkce, plainPkce)) {
      HTTPResponse res = push(assertion(), r);
      assertEquals(400, res.getStatusCode(), res.getBody());
      assertEquals("invalid_request", PushedAuthorizationResponse.parse(res).toErrorResponse().getErrorObject()
          .getCode(), res.getBody());
    }
  }

  @Test
  void fapi2WhenClientAssertionIsNotAsTheProfileSaysThenInvalidClient() throws Exception {
    // audience: the token endpoint (accepted without FAPI), or an array holding the issuer
    assertEquals("invalid_client", error(token(assertion(clientId, key, JWSAlgorithm.ES256,
        new Audience(s.base + "/oauth2/token")), new ClientCredentialsGrant(), proof("POST", "/oauth2/token", null))));
    JWTClaimsSet arrayAud = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId)
        .audience(List.of(s.base, s.base + "/oauth2/token")).jwtID("jti-array-aud")
        .expirationTime(Date.from(s.clock.instant().plusSeconds(60))).issueTime(Date.from(s.clock.instant())).build();
    SignedJWT signed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), arrayAud);
    signed.sign(new ECDSASigner(key));
    assertEquals("invalid_client", error(token(new PrivateKeyJWT(signed), new ClientCredentialsGrant(),
        proof("POST", "/oauth2/token", null))));
    // RS256, which the profile does not allow, from a client whose key is RSA
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
    String rsaClient = register(Map.of("token_endpoint_auth_method", "private_key_jwt",
        "jwks", Map.of("keys", List.of(rsa.toPublicJWK().toJSONObject()))));
    assertEquals("invalid_client", error(token(assertion(rsaClient, rsa, JWSAlgorithm.RS256, new Audience(s.base)),
        new ClientCredentialsGrant(), proof("POST", "/oauth2/token", null))));
    HTTPResponse ps256 = token(assertion(rsaClient, rsa, JWSAlgorithm.PS256, new Audience(s.base)),
        new ClientCredentialsGrant(), proof("POST", "/oauth2/token", null));
    assertEquals(200, ps256.getStatusCode(), "PS256 with the same key passes: " + ps256.getBody());
  }

  @Test
  void fapi2WhenTokenRequestHasNoDpopProofOrAForbiddenOneThenInvalidDpopProof() throws Exception {
    assertEquals("invalid_dpop_proof", error(token(assertion(), new ClientCredentialsGrant(), null)));
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    SignedJWT rs256 = new DefaultDPoPProofFactory(rsa, JWSAlgorithm.RS256).createDPoPJWT(new JWTID(), "POST",
        uri("/oauth2/token"), Date.from(s.clock.instant()), null, null);
    assertEquals("invalid_dpop_proof", error(token(assertion(), new ClientCredentialsGrant(), rs256)));
    HTTPResponse ok = token(assertion(), new ClientCredentialsGrant(), proof("POST", "/oauth2/token", null));
    assertEquals(200, ok.getStatusCode(), ok.getBody());
    assertEquals("DPoP", TestServer.JSON.readTree(ok.getBody()).get("token_type").asText());
  }

  @Test
  void fapi2WhenCodeOlderThanSixtySecondsThenInvalidGrant() throws Exception {
    CodeVerifier v = new CodeVerifier();
    String back = authorize(v);
    s.clock.advance(Duration.ofSeconds(61));
    assertEquals("invalid_grant", error(token(assertion(), new AuthorizationCodeGrant(new AuthorizationCode(
        TestServer.param(back, "code")), URI.create(TestServer.REDIRECT), v), proof("POST", "/oauth2/token", null))));
  }

  @Test
  void fapi2WhenPushedRequestUriUsedTwiceThenInvalidRequestUri() throws Exception {
    HTTPResponse pushed = push(assertion(), request(new CodeVerifier()).build());
    URI requestUri = PushedAuthorizationResponse.parse(pushed).toSuccessResponse().getRequestURI();
    String url = s.base + "/oauth2/auth?client_id=" + clientId + "&request_uri=" + TestServer.enc(requestUri.toString());
    assertNotNull(TestServer.param(s.browser().navigate(url), "code"));
    TestServer.Browser b = s.browser();
    b.navigate(url);
    assertEquals(400, b.last.statusCode(), b.last.body());
    assertEquals("invalid_request_uri", TestServer.JSON.readTree(b.last.body()).get("error").asText());
  }

  @Test
  void fapi2WhenStoredKeysAreRs256ThenANewPs256KeySignsAndTheOldStaysPublished() throws Exception {
    io.ory4j.core.store.memory.InMemoryJwkSetStore store = new io.ory4j.core.store.memory.InMemoryJwkSetStore();
    java.util.Set<String> oldKids = new java.util.HashSet<>();
    try (TestServer plain = new TestServer(b -> b.jwkSetStore(store)
        .tokenSettings(TokenSettings.defaults().withJwtAccessTokens(true)))) {
      for (com.nimbusds.jose.jwk.JWK k : plain.provider.publicKeys().getKeys()) {
        assertEquals("RS256", k.getAlgorithm().getName(), "a deployment from before the switch");
        oldKids.add(k.getKeyID());
      }
    }
    s.close();
    s = new TestServer(b -> b.jwkSetStore(store).securitySettings(SecuritySettings.fapi2SecurityProfile())
        .tokenSettings(TokenSettings.defaults().withJwtAccessTokens(true)));
    clientId = register(Map.of("token_endpoint_auth_method", "private_key_jwt",
        "jwks", Map.of("keys", List.of(key.toPublicJWK().toJSONObject()))));
    HTTPResponse ok = token(assertion(), new ClientCredentialsGrant(), proof("POST", "/oauth2/token", null));
    assertEquals(200, ok.getStatusCode(), ok.getBody());
    SignedJWT at = SignedJWT.parse(TestServer.JSON.readTree(ok.getBody()).get("access_token").asText());
    assertEquals(JWSAlgorithm.PS256, at.getHeader().getAlgorithm());
    assertTrue(!oldKids.contains(at.getHeader().getKeyID()), "a new key signs");
    JWKSet published = JWKSet.parse(s.send("GET", "/.well-known/jwks.json", null, null).body());
    assertNotNull(published.getKeyByKeyId(at.getHeader().getKeyID()));
    for (String old : oldKids) {
      assertNotNull(published.getKeyByKeyId(old), "the RS256 keys stay published for tokens signed before");
    }
  }
}
