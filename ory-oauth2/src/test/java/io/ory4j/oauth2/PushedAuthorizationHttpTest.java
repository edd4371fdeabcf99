package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pushed authorization requests (RFC 9126) over HTTP, with Nimbus pushing and the test browser redeeming. */
class PushedAuthorizationHttpTest {

  private TestServer s;
  private String clientId;
  private String secret;

  @BeforeEach
  void start() throws Exception {
    s = new TestServer();
    JsonNode c = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid offline")));
    clientId = c.get("client_id").asText();
    secret = c.get("client_secret").asText();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private ClientSecretBasic basic() {
    return new ClientSecretBasic(new ClientID(clientId), new Secret(secret));
  }

  private AuthenticationRequest request(String client, String scope, CodeVerifier v) {
    return new AuthenticationRequest.Builder(new ResponseType("code"), new Scope(scope.split(" ")),
        new ClientID(client), URI.create(TestServer.REDIRECT)).state(new State("pushed-state-1"))
        .nonce(new Nonce("pushed-nonce-1")).codeChallenge(v, CodeChallengeMethod.S256).build();
  }

  private HTTPResponse push(ClientAuthentication auth, AuthorizationRequest request) throws Exception {
    URI par = URI.create(s.base + "/oauth2/par");
    return (auth == null ? new PushedAuthorizationRequest(par, request)
        : new PushedAuthorizationRequest(par, auth, request)).toHTTPRequest().send();
  }

  private URI pushed(ClientAuthentication auth, AuthorizationRequest request) throws Exception {
    HTTPResponse r = push(auth, request);
    assertEquals(201, r.getStatusCode(), r.getBody());
    assertEquals("no-store", r.getHeaderValue("Cache-Control"));
    PushedAuthorizationSuccessResponse ok = PushedAuthorizationResponse.parse(r).toSuccessResponse();
    assertEquals(60, ok.getLifetime());
    assertTrue(ok.getRequestURI().toString().startsWith("urn:ietf:params:oauth:request_uri:"));
    return ok.getRequestURI();
  }

  private String redeem(String client, URI requestUri) {
    return s.base + "/oauth2/auth?client_id=" + client + "&request_uri=" + TestServer.enc(requestUri.toString());
  }

  private String jsonError(String url) {
    TestServer.Browser b = s.browser();
    b.navigate(url);
    assertEquals(400, b.last.statusCode(), b.last.body());
    return TestServer.JSON.readTree(b.last.body()).get("error").asText();
  }

  private static ErrorObject error(HTTPResponse r) throws Exception {
    return PushedAuthorizationResponse.parse(r).toErrorResponse().getErrorObject();
  }

  @Test
  void parWhenPushedThenRequestUriCompletesTheFlowOnce() throws Exception {
    CodeVerifier v = new CodeVerifier();
    URI requestUri = pushed(basic(), request(clientId, "openid offline", v));
    String done = s.browser().navigate(redeem(clientId, requestUri));
    assertTrue(done.startsWith(TestServer.REDIRECT), done);
    assertEquals("pushed-state-1", TestServer.param(done, "state"));
    assertEquals("pushed-nonce-1", s.exchange(clientId, secret, done, v).getOIDCTokens().getIDToken()
        .getJWTClaimsSet().getStringClaim("nonce"));
    assertEquals("invalid_request_uri", jsonError(redeem(clientId, requestUri)), "a request_uri is used once");
  }

  @Test
  void parWhenExpiredOrOtherClientsOrUnknownThenInvalidRequestUri() throws Exception {
    JsonNode other = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid")));
    URI mine = pushed(basic(), request(clientId, "openid", new CodeVerifier()));
    assertEquals("invalid_request_uri", jsonError(redeem(other.get("client_id").asText(), mine)));
    s.clock.advance(Duration.ofSeconds(60));
    assertEquals("invalid_request_uri", jsonError(redeem(clientId, mine)), "expired after 60 s");
    assertEquals("invalid_request_uri", jsonError(redeem(clientId,
        URI.create("urn:ietf:params:oauth:request_uri:made-up"))));
  }

  @Test
  void parWhenBadPushThenJsonErrorsNeverARedirect() throws Exception {
    HTTPResponse wrongSecret = push(new ClientSecretBasic(new ClientID(clientId), new Secret("wrong-secret")),
        request(clientId, "openid", new CodeVerifier()));
    assertEquals(401, wrongSecret.getStatusCode());
    assertEquals("invalid_client", error(wrongSecret).getCode());
    HTTPResponse scope = push(basic(), request(clientId, "openid admin", new CodeVerifier()));
    assertEquals(400, scope.getStatusCode());
    assertEquals("invalid_scope", error(scope).getCode());
    HTTPResponse redirect = push(basic(), new AuthorizationRequest.Builder(new ResponseType("code"),
        new ClientID(clientId)).redirectionURI(URI.create("https://evil.example/cb")).state(new State()).build());
    assertEquals("invalid_request", error(redirect).getCode());
    com.nimbusds.oauth2.sdk.http.HTTPRequest nested = new com.nimbusds.oauth2.sdk.http.HTTPRequest(
        com.nimbusds.oauth2.sdk.http.HTTPRequest.Method.POST, URI.create(s.base + "/oauth2/par"));
    nested.setAuthorization(basic().toHTTPAuthorizationHeader());
    nested.setEntityContentType(com.nimbusds.common.contenttype.ContentType.APPLICATION_URLENCODED);
    nested.setBody("response_type=code&client_id=" + clientId
        + "&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax");
    HTTPResponse nestedResponse = nested.send();
    assertEquals(400, nestedResponse.getStatusCode(), nestedResponse.getBody());
    assertEquals("invalid_request", error(nestedResponse).getCode());
  }

  @Test
  void parWhenPrivateKeyJwtWithIssuerAudienceOrPublicClientThenAccepted() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    JsonNode jwtClient = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid", "token_endpoint_auth_method",
        "private_key_jwt", "jwks", Map.of("keys", List.of(key.toPublicJWK().toJSONObject())))));
    String id = jwtClient.get("client_id").asText();
    pushed(new PrivateKeyJWT(new ClientID(id), URI.create(s.base), JWSAlgorithm.RS256, key.toRSAPrivateKey(), "k1",
        null), request(id, "openid", new CodeVerifier()));
    JsonNode pub = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid", "token_endpoint_auth_method", "none")));
    String pubId = pub.get("client_id").asText();
    URI uri = pushed(null, request(pubId, "openid", new CodeVerifier()));
    assertTrue(TestServer.param(s.browser().navigate(redeem(pubId, uri)), "code") != null);
  }

  @Test
  void parWhenRequiredByClientThenPlainRequestRefusedByRedirect() throws Exception {
    s.admin("PATCH", "/admin/clients/" + clientId, "[{\"op\":\"replace\",\"path\":\"/require_pushed_authorization"
        + "_requests\",\"value\":true}]");
    CodeVerifier v = new CodeVerifier();
    String plain = s.browser().navigate(new AuthenticationRequest.Builder(request(clientId, "openid", v))
        .endpointURI(URI.create(s.base + "/oauth2/auth")).build().toURI().toString());
    assertTrue(plain.startsWith(TestServer.REDIRECT), plain);
    assertEquals("invalid_request", TestServer.param(plain, "error"));
    assertNull(TestServer.param(plain, "code"));
    String done = s.browser().navigate(redeem(clientId, pushed(basic(), request(clientId, "openid", v))));
    assertTrue(TestServer.param(done, "code") != null, "a pushed request passes, and its return from login too");
  }

  @Test
  void parWhenRequiredByProviderThenAdvertisedAndPlainRequestsRefused() throws Exception {
    try (TestServer t = new TestServer(b -> b.pushedAuthorizationRequests(PushedAuthorizationSettings.defaults()
        .withRequired(true)))) {
      OIDCProviderMetadata meta = OIDCProviderMetadata.parse(t.send("GET", "/.well-known/openid-configuration",
          null, null).body());
      assertEquals(URI.create(t.base + "/oauth2/par"), meta.getPushedAuthorizationRequestEndpointURI());
      assertTrue(meta.requiresPushedAuthorizationRequests());
      JsonNode c = t.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
          "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid")));
      String plain = t.browser().navigate(t.base + "/oauth2/auth?response_type=code&scope=openid&state=abcdefghij"
          + "&client_id=" + c.get("client_id").asText());
      assertEquals("invalid_request", TestServer.param(plain, "error"), plain);
    }
  }
}
