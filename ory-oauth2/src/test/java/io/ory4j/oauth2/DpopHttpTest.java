package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DPoP (RFC 9449) over HTTP with Nimbus' proof factory: bound access tokens ({@code token_type DPoP}, {@code cnf.jkt}
 * in JWT access tokens and introspection), bound refresh tokens of public clients, {@code dpop_jkt} codes, userinfo
 * with DPoP, nonces, replayed proofs and wrong keys.
 */
class DpopHttpTest {

  private TestServer s;
  private ECKey key;
  private ECKey otherKey;
  private String clientId;
  private String secret;

  @BeforeEach
  void start() throws Exception {
    s = new TestServer(b -> b.dpop(DpopSettings.enabled60s())
        .tokenSettings(TokenSettings.defaults().withJwtAccessTokens(true)));
    key = new ECKeyGenerator(Curve.P_256).generate();
    otherKey = new ECKeyGenerator(Curve.P_256).generate();
    JsonNode c = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "grant_types", List.of("client_credentials", "authorization_code", "refresh_token"),
        "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid offline read")));
    clientId = c.get("client_id").asText();
    secret = c.get("client_secret").asText();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private URI uri(String path) {
    return URI.create(s.base + path);
  }

  /** A proof at the provider's clock, as a client with a synchronized clock makes it. */
  private SignedJWT proof(ECKey k, String htm, String path, AccessToken at, Nonce nonce) throws Exception {
    return new DefaultDPoPProofFactory(k, JWSAlgorithm.ES256).createDPoPJWT(new JWTID(), htm, uri(path),
        Date.from(s.clock.instant()), at, nonce);
  }

  private HTTPResponse token(ClientAuthentication auth, String client, AuthorizationGrant grant, SignedJWT proof)
      throws Exception {
    HTTPRequest r = (auth == null ? new TokenRequest(uri("/oauth2/token"), new ClientID(client), grant)
        : new TokenRequest(uri("/oauth2/token"), auth, grant, null)).toHTTPRequest();
    if (proof != null) {
      r.setDPoP(proof);
    }
    return r.send();
  }

  private ClientSecretBasic basic() {
    return new ClientSecretBasic(new ClientID(clientId), new Secret(secret));
  }

  private static Tokens ok(HTTPResponse r) throws Exception {
    assertEquals(200, r.getStatusCode(), r.getBody());
    return com.nimbusds.oauth2.sdk.TokenResponse.parse(r).toSuccessResponse().getTokens();
  }

  private static String error(HTTPResponse r) throws Exception {
    assertEquals(400, r.getStatusCode(), r.getBody());
    return TokenErrorResponse.parse(r).getErrorObject().getCode();
  }

  private JsonNode introspect(String token) {
    return TestServer.JSON.readTree(s.send("POST", "/admin/oauth2/introspect", "token=" + TestServer.enc(token),
        "application/x-www-form-urlencoded").body());
  }

  @Test
  void clientCredentialsWhenProofThenDpopBoundTokenWithCnfInJwtAndIntrospection() throws Exception {
    Tokens t = ok(token(basic(), null, new ClientCredentialsGrant(), proof(key, "POST", "/oauth2/token", null, null)));
    assertTrue(t.getAccessToken() instanceof DPoPAccessToken, "token_type DPoP");
    String jkt = key.computeThumbprint().toString();
    assertEquals(Map.of("jkt", jkt), SignedJWT.parse(t.getAccessToken().getValue()).getJWTClaimsSet()
        .getJSONObjectClaim("cnf"));
    JsonNode info = introspect(t.getAccessToken().getValue());
    assertEquals("DPoP", info.get("token_type").asText());
    assertEquals(jkt, info.get("cnf").get("jkt").asText());
    Tokens bearer = ok(token(basic(), null, new ClientCredentialsGrant(), null));
    assertEquals("Bearer", introspect(bearer.getAccessToken().getValue()).get("token_type").asText());
    assertFalse(introspect(bearer.getAccessToken().getValue()).has("cnf"));
  }

  @Test
  void proofWhenReplayedOrWrongThenInvalidDpopProof() throws Exception {
    SignedJWT p = proof(key, "POST", "/oauth2/token", null, null);
    ok(token(basic(), null, new ClientCredentialsGrant(), p));
    assertEquals("invalid_dpop_proof", error(token(basic(), null, new ClientCredentialsGrant(), p)), "replayed");
    assertEquals("invalid_dpop_proof", error(token(basic(), null, new ClientCredentialsGrant(),
        proof(key, "GET", "/oauth2/token", null, null))), "htm");
    assertEquals("invalid_dpop_proof", error(token(basic(), null, new ClientCredentialsGrant(),
        proof(key, "POST", "/oauth2/revoke", null, null))), "htu");
    assertEquals("invalid_dpop_proof", error(token(basic(), null, new ClientCredentialsGrant(),
        new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256).createDPoPJWT(new JWTID(), "POST", uri("/oauth2/token"),
            Date.from(s.clock.instant().minusSeconds(61)), null))), "iat too old");
    SignedJWT wrongKey = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
        .jwk(otherKey.toPublicJWK()).build(), new JWTClaimsSet.Builder().jwtID("j-1").claim("htm", "POST")
        .claim("htu", s.base + "/oauth2/token").issueTime(Date.from(s.clock.instant())).build());
    wrongKey.sign(new ECDSASigner(key));
    assertEquals("invalid_dpop_proof", error(token(basic(), null, new ClientCredentialsGrant(), wrongKey)),
        "signed by a key other than its jwk");
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(TestServer.JSON.write(Map.of("alg", "ES256", "typ", "dpop+jwt", "jwk",
        key.toJSONObject())).getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + b64.encodeToString(
        TestServer.JSON.write(Map.of("jti", "j-2", "htm", "POST", "htu", s.base + "/oauth2/token", "iat",
            s.clock.instant().getEpochSecond())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String privateJwk = input + "." + new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256),
        input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    HTTPRequest withPrivate = new TokenRequest(uri("/oauth2/token"), basic(), new ClientCredentialsGrant(), null)
        .toHTTPRequest();
    withPrivate.setHeader("DPoP", privateJwk);
    assertEquals("invalid_dpop_proof", error(withPrivate.send()), "a private key in the jwk header");
    SignedJWT wrongType = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
        .jwk(key.toPublicJWK()).build(), new JWTClaimsSet.Builder().jwtID("j-3").claim("htm", "POST")
        .claim("htu", s.base + "/oauth2/token").issueTime(Date.from(s.clock.instant())).build());
    wrongType.sign(new ECDSASigner(key));
    assertEquals("invalid_dpop_proof", error(token(basic(), null, new ClientCredentialsGrant(), wrongType)), "typ");
    HTTPRequest garbage = new TokenRequest(uri("/oauth2/token"), basic(), new ClientCredentialsGrant(), null)
        .toHTTPRequest();
    garbage.setHeader("DPoP", "not-a-jwt");
    assertEquals("invalid_dpop_proof", error(garbage.send()));
  }

  /** Runs a code flow for a public client; with {@code dpopJkt}, the authorization request binds the code to it. */
  private String publicCode(String id, CodeVerifier v, String dpopJkt) {
    AuthenticationRequest.Builder b = new AuthenticationRequest.Builder(new ResponseType("code"),
        new Scope("openid", "offline"), new ClientID(id), URI.create(TestServer.REDIRECT)).endpointURI(uri(
            "/oauth2/auth")).state(new State()).nonce(new Nonce()).codeChallenge(v, CodeChallengeMethod.S256);
    if (dpopJkt != null) {
      b.customParameter("dpop_jkt", dpopJkt);
    }
    return TestServer.param(s.browser().navigate(b.build().toURI().toString()), "code");
  }

  private String publicClient() {
    return s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of("token_endpoint_auth_method", "none",
        "grant_types", List.of("authorization_code", "refresh_token"), "redirect_uris", List.of(TestServer.REDIRECT),
        "scope", "openid offline"))).get("client_id").asText();
  }

  @Test
  void publicClientWhenProofThenRefreshTokenBoundToTheKey() throws Exception {
    String id = publicClient();
    CodeVerifier v = new CodeVerifier();
    Tokens t = ok(token(null, id, new AuthorizationCodeGrant(new AuthorizationCode(publicCode(id, v, null)),
        URI.create(TestServer.REDIRECT), v), proof(key, "POST", "/oauth2/token", null, null)));
    RefreshToken rt = t.getRefreshToken();
    assertEquals("invalid_dpop_proof", error(token(null, id, new RefreshTokenGrant(rt), null)), "proof required");
    assertEquals("invalid_grant", error(token(null, id, new RefreshTokenGrant(rt),
        proof(otherKey, "POST", "/oauth2/token", null, null))), "another key");
    Tokens refreshed = ok(token(null, id, new RefreshTokenGrant(rt), proof(key, "POST", "/oauth2/token", null, null)));
    assertEquals(key.computeThumbprint().toString(), introspect(refreshed.getAccessToken().getValue()).get("cnf")
        .get("jkt").asText());
  }

  @Test
  void confidentialClientWhenProofThenRefreshTokenNotBound() throws Exception {
    CodeVerifier v = new CodeVerifier();
    Tokens t = ok(token(basic(), null, new AuthorizationCodeGrant(new AuthorizationCode(publicCode(clientId, v,
        null)), URI.create(TestServer.REDIRECT), v), proof(key, "POST", "/oauth2/token", null, null)));
    Tokens refreshed = ok(token(basic(), null, new RefreshTokenGrant(t.getRefreshToken()), null));
    assertEquals("Bearer", introspect(refreshed.getAccessToken().getValue()).get("token_type").asText());
  }

  @Test
  void dpopJktWhenCodeBoundThenOnlyThatKeyRedeemsIt() throws Exception {
    String id = publicClient();
    CodeVerifier v = new CodeVerifier();
    String code = publicCode(id, v, key.computeThumbprint().toString());
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code),
        URI.create(TestServer.REDIRECT), v);
    assertEquals("invalid_dpop_proof", error(token(null, id, grant, null)));
    assertEquals("invalid_grant", error(token(null, id, grant, proof(otherKey, "POST", "/oauth2/token", null, null))));
    String code2 = publicCode(id, v, key.computeThumbprint().toString());
    ok(token(null, id, new AuthorizationCodeGrant(new AuthorizationCode(code2), URI.create(TestServer.REDIRECT), v),
        proof(key, "POST", "/oauth2/token", null, null)));
  }

  @Test
  void userinfoWhenDpopBoundThenProofWithAthAndSameKeyRequired() throws Exception {
    CodeVerifier v = new CodeVerifier();
    Tokens t = ok(token(basic(), null, new AuthorizationCodeGrant(new AuthorizationCode(publicCode(clientId, v,
        null)), URI.create(TestServer.REDIRECT), v), proof(key, "POST", "/oauth2/token", null, null)));
    DPoPAccessToken at = (DPoPAccessToken) t.getAccessToken();
    HTTPRequest good = new UserInfoRequest(uri("/userinfo"), at).toHTTPRequest();
    good.setDPoP(proof(key, "GET", "/userinfo", at, null));
    HTTPResponse r = good.send();
    assertEquals(200, r.getStatusCode(), r.getBody());
    assertEquals("alice", TestServer.JSON.readTree(r.getBody()).get("sub").asText());
    HTTPResponse asBearer = new UserInfoRequest(uri("/userinfo"), new com.nimbusds.oauth2.sdk.token
        .BearerAccessToken(at.getValue())).toHTTPRequest().send();
    assertEquals(401, asBearer.getStatusCode(), "a DPoP-bound token is not a bearer token");
    HTTPRequest otherKeyRequest = new UserInfoRequest(uri("/userinfo"), at).toHTTPRequest();
    otherKeyRequest.setDPoP(proof(otherKey, "GET", "/userinfo", at, null));
    HTTPResponse wrong = otherKeyRequest.send();
    assertEquals(401, wrong.getStatusCode());
    assertTrue(wrong.getHeaderValue("WWW-Authenticate").startsWith("DPoP "), wrong.getHeaderValue("WWW-Authenticate"));
    assertTrue(wrong.getHeaderValue("WWW-Authenticate").contains("invalid_dpop_proof"));
    HTTPRequest noAth = new UserInfoRequest(uri("/userinfo"), at).toHTTPRequest();
    noAth.setDPoP(proof(key, "GET", "/userinfo", null, null));
    assertEquals(401, noAth.send().getStatusCode(), "the proof must hash the access token (ath)");
  }

  @Test
  void dpopBoundAccessTokensClientWhenNoProofThenRefused() throws Exception {
    JsonNode c = s.admin("POST", "/admin/clients", "{\"grant_types\":[\"client_credentials\"],\"scope\":\"read\","
        + "\"dpop_bound_access_tokens\":true}");
    ClientSecretBasic auth = new ClientSecretBasic(new ClientID(c.get("client_id").asText()),
        new Secret(c.get("client_secret").asText()));
    assertEquals("invalid_dpop_proof", error(token(auth, null, new ClientCredentialsGrant(), null)));
    assertTrue(ok(token(auth, null, new ClientCredentialsGrant(), proof(key, "POST", "/oauth2/token", null, null)))
        .getAccessToken() instanceof DPoPAccessToken);
  }

  @Test
  void nonceWhenRequiredThenUseDpopNonceWithHeaderAndRetrySucceeds() throws Exception {
    try (TestServer t = new TestServer(b -> b.dpop(DpopSettings.enabled60s().withRequireNonce(true)))) {
      JsonNode c = t.admin("POST", "/admin/clients", "{\"grant_types\":[\"client_credentials\"],\"scope\":\"read\"}");
      ClientSecretBasic auth = new ClientSecretBasic(new ClientID(c.get("client_id").asText()),
          new Secret(c.get("client_secret").asText()));
      URI endpoint = URI.create(t.base + "/oauth2/token");
      DefaultDPoPProofFactory f = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
      HTTPRequest first = new TokenRequest(endpoint, auth, new ClientCredentialsGrant(), null).toHTTPRequest();
      first.setDPoP(f.createDPoPJWT(new JWTID(), "POST", endpoint, Date.from(t.clock.instant()), null));
      HTTPResponse needNonce = first.send();
      assertEquals(400, needNonce.getStatusCode());
      assertEquals("use_dpop_nonce", TokenErrorResponse.parse(needNonce).getErrorObject().getCode());
      String nonce = needNonce.getHeaderValue("DPoP-Nonce");
      assertNotNull(nonce);
      HTTPRequest retry = new TokenRequest(endpoint, auth, new ClientCredentialsGrant(), null).toHTTPRequest();
      retry.setDPoP(f.createDPoPJWT(new JWTID(), "POST", endpoint, Date.from(t.clock.instant()), null,
          new Nonce(nonce)));
      HTTPResponse done = retry.send();
      assertEquals(200, done.getStatusCode(), done.getBody());
      assertNotNull(done.getHeaderValue("DPoP-Nonce"));
      t.clock.advance(Duration.ofSeconds(150));
      HTTPRequest stale = new TokenRequest(endpoint, auth, new ClientCredentialsGrant(), null).toHTTPRequest();
      stale.setDPoP(f.createDPoPJWT(new JWTID(), "POST", endpoint, Date.from(t.clock.instant()), null,
          new Nonce(nonce)));
      assertEquals("use_dpop_nonce", TokenErrorResponse.parse(stale.send()).getErrorObject().getCode(), "stale");
    }
  }

  @Test
  void discoveryWhenEnabledThenAlgorithmsAdvertisedAndWhenDisabledProofIgnored() throws Exception {
    OIDCProviderMetadata meta = OIDCProviderMetadata.parse(s.send("GET", "/.well-known/openid-configuration", null,
        null).body());
    assertTrue(meta.getDPoPJWSAlgs().contains(JWSAlgorithm.ES256));
    try (TestServer off = new TestServer()) {
      JsonNode c = off.admin("POST", "/admin/clients", "{\"grant_types\":[\"client_credentials\"]}");
      HTTPRequest r = new TokenRequest(URI.create(off.base + "/oauth2/token"), new ClientSecretBasic(new ClientID(
          c.get("client_id").asText()), new Secret(c.get("client_secret").asText())), new ClientCredentialsGrant(),
          null).toHTTPRequest();
      r.setDPoP(new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256).createDPoPJWT(new JWTID(), "POST",
          URI.create(off.base + "/oauth2/token"), Date.from(off.clock.instant()), null));
      assertFalse(ok(r.send()).getAccessToken() instanceof DPoPAccessToken, "DPoP off: a bearer token, as Hydra");
      assertNull(OIDCProviderMetadata.parse(off.send("GET", "/.well-known/openid-configuration", null, null).body())
          .getDPoPJWSAlgs());
    }
  }
}
