package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect request objects (OIDC Core 1.0 section 6, RFC 9101) over HTTP: Nimbus builds signed (RS256, ES256)
 * and unsigned request objects, passed by value ({@code request}) and by reference ({@code request_uri}).
 */
class RequestObjectHttpTest {

  private static final String REQUEST_URI = "https://client.example/docs/req.jwt";

  private TestServer s;
  private RSAKey rsa;
  private ECKey ec;
  private String clientId;
  private String secret;

  @BeforeEach
  void start() throws Exception {
    s = new TestServer();
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    JsonNode c = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid offline profile",
        "grant_types", List.of("authorization_code", "refresh_token"), "request_uris", List.of(REQUEST_URI),
        "jwks", Map.of("keys", List.of(rsa.toPublicJWK().toJSONObject(), ec.toPublicJWK().toJSONObject())))));
    clientId = c.get("client_id").asText();
    secret = c.get("client_secret").asText();
    assertEquals(List.of(REQUEST_URI), TestServer.JSON.convert(c.get("request_uris"), List.class));
  }

  @AfterEach
  void stop() {
    s.close();
  }

  /** The claims of a valid request object for the test client: state, nonce and PKCE only in the object. */
  private JWTClaimsSet.Builder claims(CodeVerifier v) {
    return new JWTClaimsSet.Builder().issuer(clientId).audience(s.base).claim("client_id", clientId)
        .claim("response_type", "code").claim("redirect_uri", TestServer.REDIRECT).claim("scope", "openid offline")
        .claim("state", "state-from-the-object").claim("nonce", "nonce-from-the-object")
        .claim("code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, v).getValue())
        .claim("code_challenge_method", "S256").claim("login_hint", "bob@example.com")
        .expirationTime(Date.from(s.clock.instant().plusSeconds(300))).issueTime(Date.from(s.clock.instant()));
  }

  private static SignedJWT sign(JWTClaimsSet claims, JWSAlgorithm alg, String kid, JWSSigner signer)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(new JOSEObjectType("oauth-authz-req+jwt"))
        .build(), claims);
    jwt.sign(signer);
    return jwt;
  }

  private SignedJWT rs256(JWTClaimsSet claims) throws Exception {
    return sign(claims, JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa));
  }

  /** A Nimbus authentication request with {@code request} set; the query has its own state and no PKCE. */
  private String byValue(String client, JWT requestObject) {
    return new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), new ClientID(client),
        URI.create(TestServer.REDIRECT)).endpointURI(URI.create(s.base + "/oauth2/auth"))
        .state(new State("state-of-the-query")).requestObject(requestObject).build().toURI().toString();
  }

  private String byReference(String uri) {
    return new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), new ClientID(clientId),
        URI.create(TestServer.REDIRECT)).endpointURI(URI.create(s.base + "/oauth2/auth"))
        .state(new State("state-of-the-query")).requestURI(URI.create(uri)).build().toURI().toString();
  }

  @Test
  void requestWhenSignedRs256ThenObjectParametersWinAndFlowCompletes() throws Exception {
    CodeVerifier v = new CodeVerifier();
    String done = s.browser().navigate(byValue(clientId, rs256(claims(v).build())));
    assertTrue(done.startsWith(TestServer.REDIRECT), done);
    assertEquals("state-from-the-object", TestServer.param(done, "state"));
    assertEquals("bob@example.com", s.lastLoginRequest.get().get("oidc_context").get("login_hint").asText());
    assertEquals("openid offline", String.join(" ", TestServer.JSON.convert(
        s.lastLoginRequest.get().get("requested_scope"), List.class)));
    OIDCTokenResponse t = s.exchange(clientId, secret, done, v);
    assertEquals("nonce-from-the-object", t.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("nonce"));
    assertTrue(t.getOIDCTokens().getRefreshToken() != null, "the object's offline scope was granted");
  }

  @Test
  void requestUriWhenRegisteredAndSignedEs256ThenFetchedAndApplied() throws Exception {
    CodeVerifier v = new CodeVerifier();
    s.documents.put("req.jwt", sign(claims(v).build(), JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec)).serialize());
    String done = s.browser().navigate(byReference(REQUEST_URI));
    assertEquals("state-from-the-object", TestServer.param(done, "state"), done);
    OIDCTokenResponse t = s.exchange(clientId, secret, done, v);
    assertEquals(clientId, t.getOIDCTokens().getIDToken().getJWTClaimsSet().getAudience().get(0));
  }

  @Test
  void requestWhenUnsignedAndClientPinsNoAlgorithmThenAcceptedAsHydra() {
    CodeVerifier v = new CodeVerifier();
    String done = s.browser().navigate(byValue(clientId, new PlainJWT(claims(v).build())));
    assertEquals("state-from-the-object", TestServer.param(done, "state"), done);
    assertTrue(TestServer.param(done, "code") != null);
  }

  private String error(String url) {
    String done = s.browser().navigate(url);
    assertTrue(done.startsWith(TestServer.REDIRECT), "errors go back to the registered redirect URI: " + done);
    assertNull(TestServer.param(done, "code"));
    return TestServer.param(done, "error");
  }

  @Test
  void requestWhenInvalidThenInvalidRequestObjectByRedirect() throws Exception {
    CodeVerifier v = new CodeVerifier();
    RSAKey other = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    assertEquals("invalid_request_object", error(byValue(clientId, sign(claims(v).build(), JWSAlgorithm.RS256,
        "rsa-1", new RSASSASigner(other)))), "signed by a key the client did not register");
    assertEquals("invalid_request_object", error(byValue(clientId, rs256(claims(v)
        .expirationTime(Date.from(s.clock.instant().minusSeconds(1))).build()))), "expired");
    assertEquals("invalid_request_object", error(byValue(clientId, rs256(claims(v)
        .notBeforeTime(Date.from(s.clock.instant().plusSeconds(60))).build()))), "not valid yet");
    assertEquals("invalid_request_object", error(byValue(clientId, rs256(claims(v).audience("https://other.example")
        .build()))), "meant for another provider");
    assertEquals("invalid_request_object", error(byValue(clientId, rs256(claims(v).claim("client_id", "someone-else")
        .build()))), "client_id differs from the query's");
    assertEquals("invalid_request_object", error(byValue(clientId, rs256(claims(v).claim("response_type", "token")
        .build()))), "response_type differs from the query's");
    assertEquals("invalid_request_object", error(byValue(clientId, rs256(claims(v).claim("request_uri", REQUEST_URI)
        .build()))), "an object must not nest request_uri");
    assertEquals("invalid_request_object", error(byValue(clientId, sign(claims(v).build(), JWSAlgorithm.HS256, null,
        new MACSigner("a-shared-secret-of-at-least-32-bytes!!")))), "HS256 is not supported");
    assertEquals("invalid_request_object", error(s.base + "/oauth2/auth?response_type=code&scope=openid&client_id="
        + clientId + "&state=state-of-the-query&request=not-a-jwt"), "malformed");
  }

  @Test
  void requestWhenClientPinsRs256ThenUnsignedAndEs256Refused() throws Exception {
    s.admin("PATCH", "/admin/clients/" + clientId, "[{\"op\":\"replace\",\"path\":\"/request_object_signing_alg\","
        + "\"value\":\"RS256\"}]");
    CodeVerifier v = new CodeVerifier();
    assertEquals("invalid_request_object", error(byValue(clientId, new PlainJWT(claims(v).build()))));
    assertEquals("invalid_request_object", error(byValue(clientId, sign(claims(v).build(), JWSAlgorithm.ES256, "ec-1",
        new ECDSASigner(ec)))));
    String done = s.browser().navigate(byValue(clientId, rs256(claims(v).build())));
    assertTrue(TestServer.param(done, "code") != null, done);
  }

  @Test
  void requestUriWhenUnregisteredOrUnreachableThenInvalidRequestUri() {
    assertEquals("invalid_request_uri", error(byReference("https://client.example/docs/other.jwt")));
    assertEquals("invalid_request_uri", error(byReference(REQUEST_URI)), "registered, but answers 404");
    s.documents.put("req.jwt", "not a jwt");
    assertEquals("invalid_request_object", error(byReference(REQUEST_URI)));
  }

  @Test
  void requestWhenBothParametersOrClientHasNoKeysThenInvalidRequest() throws Exception {
    CodeVerifier v = new CodeVerifier();
    assertEquals("invalid_request", error(byValue(clientId, rs256(claims(v).build())) + "&request_uri="
        + TestServer.enc(REQUEST_URI)));
    JsonNode keyless = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid")));
    assertEquals("invalid_request", error(byValue(keyless.get("client_id").asText(), new PlainJWT(claims(v)
        .claim("client_id", keyless.get("client_id").asText()).build()))));
  }

  @Test
  void requestWhenRedirectUriNotRegisteredThenJsonErrorNotRedirect() {
    TestServer.Browser b = s.browser();
    b.navigate(s.base + "/oauth2/auth?response_type=code&scope=openid&client_id=" + clientId
        + "&redirect_uri=" + TestServer.enc("https://evil.example/cb") + "&state=state-of-the-query&request=x");
    assertEquals(400, b.last.statusCode());
    assertEquals("invalid_request_object", TestServer.JSON.readTree(b.last.body()).get("error").asText());
  }

  @Test
  void clientWhenRequestObjectMetadataInvalidThenInvalidClientMetadata() {
    java.net.http.HttpResponse<String> alg = s.send("POST", "/admin/clients",
        "{\"request_object_signing_alg\":\"HS256\"}", "application/json");
    assertEquals(400, alg.statusCode());
    assertEquals("invalid_client_metadata", TestServer.JSON.readTree(alg.body()).get("error").asText());
    java.net.http.HttpResponse<String> uri = s.send("POST", "/admin/clients", "{\"request_uris\":[\"relative\"]}",
        "application/json");
    assertEquals("invalid_client_metadata", TestServer.JSON.readTree(uri.body()).get("error").asText());
  }

  @Test
  void discoveryWhenEnabledThenAdvertisedAndWhenDisabledThenRequestNotSupported() throws Exception {
    OIDCProviderMetadata meta = OIDCProviderMetadata.parse(s.send("GET", "/.well-known/openid-configuration", null,
        null).body());
    assertTrue(meta.supportsRequestParam());
    assertTrue(meta.supportsRequestURIParam());
    assertTrue(meta.requiresRequestURIRegistration());
    assertEquals(List.of("none", "RS256", "ES256"), meta.getRequestObjectJWSAlgs().stream().map(a -> a.getName())
        .toList());
    UnaryOperator<OAuth2Provider.Builder> off = b -> b.requestObjects(false);
    try (TestServer t = new TestServer(off)) {
      JsonNode c = t.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
          "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid", "request_uris", List.of(REQUEST_URI),
          "jwks", Map.of("keys", List.of(rsa.toPublicJWK().toJSONObject())))));
      String id = c.get("client_id").asText();
      String q = t.base + "/oauth2/auth?response_type=code&scope=openid&client_id=" + id + "&state=abcdefghij";
      assertEquals("request_not_supported", TestServer.param(t.browser().navigate(q + "&request=x"), "error"));
      assertEquals("request_uri_not_supported", TestServer.param(t.browser().navigate(q + "&request_uri="
          + TestServer.enc(REQUEST_URI)), "error"));
      OIDCProviderMetadata offMeta = OIDCProviderMetadata.parse(t.send("GET", "/.well-known/openid-configuration",
          null, null).body());
      assertFalse(offMeta.supportsRequestParam());
      assertFalse(offMeta.supportsRequestURIParam());
    }
  }
}
