package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.net.URI;
import java.net.URL;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider over HTTP on embedded Jetty, with Nimbus as the client and a test login/consent app. */
class OAuth2HttpTest {

  private TestServer s;
  private String appId;
  private String appSecret;

  @BeforeEach
  void start() throws Exception {
    s = new TestServer();
    JsonNode app = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "client_name", "web app", "redirect_uris", List.of(TestServer.REDIRECT, "https://client.example/other"),
        "grant_types", List.of("authorization_code", "refresh_token", "client_credentials"),
        "response_types", List.of("code"), "scope", "openid offline profile read write.*",
        "audience", List.of("https://api.example"),
        "post_logout_redirect_uris", List.of("https://client.example/bye"))));
    appId = app.get("client_id").asText();
    appSecret = app.get("client_secret").asText();
  }

  @AfterEach
  void stop() throws Exception {
    s.close();
  }

  private URI uri(String path) {
    return URI.create(s.base + path);
  }

  private HTTPResponse token(ClientAuthentication auth, AuthorizationGrant grant, Scope scope) throws Exception {
    return new TokenRequest(uri("/oauth2/token"), auth, grant, scope).toHTTPRequest().send();
  }

  private ClientSecretBasic basic() {
    return new ClientSecretBasic(new ClientID(appId), new Secret(appSecret));
  }

  private JsonNode introspect(String token) {
    java.net.http.HttpResponse<String> r = s.send("POST", "/admin/oauth2/introspect", "token=" + TestServer.enc(token),
        "application/x-www-form-urlencoded");
    assertEquals(200, r.statusCode(), r.body());
    return TestServer.JSON.readTree(r.body());
  }

  private static ErrorObject error(HTTPResponse r) throws Exception {
    return TokenErrorResponse.parse(r).getErrorObject();
  }

  // ---- discovery and keys

  @Test
  void discoveryWhenFetchedThenNimbusParsesItAndJwksHoldsTheSigningKey() throws Exception {
    OIDCProviderMetadata meta = OIDCProviderMetadata.resolve(new Issuer(s.base));
    assertEquals(uri("/oauth2/token"), meta.getTokenEndpointURI());
    assertEquals(List.of(CodeChallengeMethod.S256), meta.getCodeChallengeMethods());
    assertEquals(200, s.send("GET", "/health/ready", null, null).statusCode());
    assertEquals(200, s.send("GET", "/health/alive", null, null).statusCode());
    JWKSet jwks = JWKSet.load(new URL(s.base + "/.well-known/jwks.json"));
    assertEquals(1, jwks.getKeys().size());
    assertFalse(jwks.getKeys().get(0).isPrivate());
  }

  // ---- clients

  @Test
  void clientsWhenCrudThroughAdminApiThenHydraJsonAndPagination() {
    JsonNode created = s.admin("POST", "/admin/clients", "{\"client_id\":\"svc-1\",\"client_secret\":\"s3cr3t-value\","
        + "\"grant_types\":[\"client_credentials\"],\"scope\":\"read\"}");
    assertEquals("svc-1", created.get("client_id").asText());
    assertEquals("s3cr3t-value", created.get("client_secret").asText());
    assertEquals("client_secret_basic", created.get("token_endpoint_auth_method").asText());
    JsonNode got = s.admin("GET", "/admin/clients/svc-1", null);
    assertFalse(got.has("client_secret"));
    java.net.http.HttpResponse<String> page = s.send("GET", "/admin/clients?page_size=1", null, null);
    assertEquals(1, TestServer.JSON.readTree(page.body()).size());
    assertTrue(page.headers().firstValue("Link").orElseThrow().contains("rel=\"next\""));
    s.admin("POST", "/admin/clients", "{\"client_id\":\"svc-2\",\"owner\":\"team-x\"}");
    JsonNode owned = s.admin("GET", "/admin/clients?owner=team-x", null);
    assertEquals(1, owned.size());
    assertEquals("svc-2", owned.get(0).get("client_id").asText());
    JsonNode patched = s.admin("PATCH", "/admin/clients/svc-1",
        "[{\"op\":\"replace\",\"path\":\"/client_name\",\"value\":\"renamed\"}]");
    assertEquals("renamed", patched.get("client_name").asText());
    JsonNode put = s.admin("PUT", "/admin/clients/svc-1", "{\"client_name\":\"put\",\"grant_types\":"
        + "[\"client_credentials\"],\"scope\":\"read write\"}");
    assertEquals("read write", put.get("scope").asText());
    assertEquals(204, s.send("DELETE", "/admin/clients/svc-1", null, null).statusCode());
    java.net.http.HttpResponse<String> missing = s.send("GET", "/admin/clients/svc-1", null, null);
    assertEquals(404, missing.statusCode());
  }

  @Test
  void createClientWhenMetadataInvalidThen400InvalidClientMetadata() {
    java.net.http.HttpResponse<String> r = s.send("POST", "/admin/clients",
        "{\"redirect_uris\":[\"not a uri#x\"]}", "application/json");
    assertEquals(400, r.statusCode());
    assertEquals("invalid_client_metadata", TestServer.JSON.readTree(r.body()).get("error").asText());
    java.net.http.HttpResponse<String> malformed = s.send("POST", "/admin/clients", "{\"scope\": [1", "application/json");
    assertEquals(400, malformed.statusCode());
  }

  // ---- client_credentials, introspection, revocation

  @Test
  void clientCredentialsWhenSecretBasicThenOpaqueTokenIntrospectsAndRevokes() throws Exception {
    HTTPResponse r = token(basic(), new ClientCredentialsGrant(), new Scope("read", "write.files"));
    assertEquals(200, r.getStatusCode(), r.getBody());
    assertEquals("no-store", r.getHeaderValue("Cache-Control"));
    AccessToken at = com.nimbusds.oauth2.sdk.TokenResponse.parse(r).toSuccessResponse().getTokens().getAccessToken();
    assertTrue(at.getValue().startsWith("ory_at_"));
    assertNull(com.nimbusds.oauth2.sdk.TokenResponse.parse(r).toSuccessResponse().getTokens().getRefreshToken());
    JsonNode info = introspect(at.getValue());
    assertTrue(info.get("active").asBoolean());
    assertEquals(appId, info.get("client_id").asText());
    assertEquals(appId, info.get("sub").asText());
    assertEquals("read write.files", info.get("scope").asText());
    assertEquals("access_token", info.get("token_use").asText());
    assertEquals(s.base, info.get("iss").asText());
    HTTPResponse rev = new TokenRevocationRequest(uri("/oauth2/revoke"), basic(), at).toHTTPRequest().send();
    assertEquals(200, rev.getStatusCode());
    assertFalse(introspect(at.getValue()).get("active").asBoolean());
  }

  @Test
  void introspectWhenTokenTamperedOrExpiredThenInactive() throws Exception {
    HTTPResponse r = token(basic(), new ClientCredentialsGrant(), new Scope("read"));
    String at = com.nimbusds.oauth2.sdk.TokenResponse.parse(r).toSuccessResponse().getTokens().getAccessToken()
        .getValue();
    assertFalse(introspect(at.substring(0, at.length() - 2) + "xx").get("active").asBoolean());
    assertFalse(introspect("garbage").get("active").asBoolean());
    s.clock.advance(java.time.Duration.ofHours(2));
    assertFalse(introspect(at).get("active").asBoolean());
  }

  @Test
  void tokenWhenSecretWrongThen401InvalidClientWithWwwAuthenticate() throws Exception {
    HTTPResponse r = token(new ClientSecretBasic(new ClientID(appId), new Secret("wrong-secret")),
        new ClientCredentialsGrant(), new Scope("read"));
    assertEquals(401, r.getStatusCode());
    assertEquals("invalid_client", error(r).getCode());
    assertNotNull(r.getHeaderValue("WWW-Authenticate"));
    HTTPResponse unknown = token(new ClientSecretBasic(new ClientID("nobody"), new Secret("x")),
        new ClientCredentialsGrant(), new Scope("read"));
    assertEquals(401, unknown.getStatusCode());
  }

  @Test
  void tokenWhenAuthMethodNotRegisteredThenInvalidClient() throws Exception {
    HTTPResponse r = token(new ClientSecretPost(new ClientID(appId), new Secret(appSecret)),
        new ClientCredentialsGrant(), new Scope("read"));
    assertEquals(401, r.getStatusCode());
    assertEquals("invalid_client", error(r).getCode());
  }

  @Test
  void tokenWhenScopeNotAllowedThenInvalidScope() throws Exception {
    HTTPResponse r = token(basic(), new ClientCredentialsGrant(), new Scope("admin"));
    assertEquals(400, r.getStatusCode());
    assertEquals("invalid_scope", error(r).getCode());
  }

  @Test
  void tokenWhenGrantTypeUnknownOrMissingThenUnsupportedGrantTypeOrInvalidRequest() {
    String auth = "Basic " + java.util.Base64.getEncoder().encodeToString((appId + ":" + appSecret).getBytes());
    java.net.http.HttpResponse<String> r = post("/oauth2/token", "grant_type=password&username=a&password=b", auth);
    assertEquals(400, r.statusCode());
    assertEquals("unsupported_grant_type", TestServer.JSON.readTree(r.body()).get("error").asText());
    java.net.http.HttpResponse<String> otherId = post("/oauth2/token", "grant_type=client_credentials&client_id=x",
        auth);
    assertEquals("invalid_request", TestServer.JSON.readTree(otherId.body()).get("error").asText());
    java.net.http.HttpResponse<String> missing = post("/oauth2/token", "scope=read", auth);
    assertEquals("invalid_request", TestServer.JSON.readTree(missing.body()).get("error").asText());
    java.net.http.HttpResponse<String> json = s.send("POST", "/oauth2/token", "{}", "application/json");
    assertEquals(400, json.statusCode());
  }

  private java.net.http.HttpResponse<String> post(String path, String form, String authorization) {
    try {
      return s.http.send(java.net.http.HttpRequest.newBuilder(uri(path))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", authorization)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void clientCredentialsWhenClientNotAllowedTheGrantThenUnauthorizedClient() throws Exception {
    JsonNode c = s.admin("POST", "/admin/clients", "{\"grant_types\":[\"authorization_code\"],"
        + "\"redirect_uris\":[\"https://x.example/cb\"]}");
    HTTPResponse r = token(new ClientSecretBasic(new ClientID(c.get("client_id").asText()),
        new Secret(c.get("client_secret").asText())), new ClientCredentialsGrant(), null);
    assertEquals("unauthorized_client", error(r).getCode());
  }

  @Test
  void privateKeyJwtAndClientSecretJwtWhenSignedCorrectlyThenAuthenticated() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    JsonNode c = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "grant_types", List.of("client_credentials"), "scope", "read",
        "token_endpoint_auth_method", "private_key_jwt", "jwks", new JWKSet(key.toPublicJWK()).toJSONObject())));
    ClientID id = new ClientID(c.get("client_id").asText());
    PrivateKeyJWT pkj = new PrivateKeyJWT(id, uri("/oauth2/token"), JWSAlgorithm.RS256, key.toPrivateKey(), "k1",
        null);
    assertEquals(200, token(pkj, new ClientCredentialsGrant(), new Scope("read")).getStatusCode());
    HTTPResponse replay = token(pkj, new ClientCredentialsGrant(), new Scope("read"));
    assertEquals(401, replay.getStatusCode(), "a client assertion's jti is single-use");

    JsonNode hc = s.admin("POST", "/admin/clients", "{\"grant_types\":[\"client_credentials\"],\"scope\":\"read\","
        + "\"token_endpoint_auth_method\":\"client_secret_jwt\",\"client_secret\":\"a-shared-secret-of-32-bytes-len!\"}");
    ClientSecretJWT csj = new ClientSecretJWT(new ClientID(hc.get("client_id").asText()), uri("/oauth2/token"),
        JWSAlgorithm.HS256, new Secret("a-shared-secret-of-32-bytes-len!"));
    assertEquals(200, token(csj, new ClientCredentialsGrant(), new Scope("read")).getStatusCode());
    ClientSecretJWT wrong = new ClientSecretJWT(new ClientID(hc.get("client_id").asText()), uri("/oauth2/token"),
        JWSAlgorithm.HS256, new Secret("another-secret-of-32-bytes-len!!"));
    assertEquals(401, token(wrong, new ClientCredentialsGrant(), new Scope("read")).getStatusCode());
  }

  // ---- authorization code

  private record Flow(String redirect, CodeVerifier verifier, Nonce nonce, State state) {}

  private Flow authorize(TestServer.Browser b, Scope scope, Prompt prompt) {
    CodeVerifier v = new CodeVerifier();
    Nonce nonce = new Nonce();
    State state = new State();
    AuthenticationRequest.Builder req = new AuthenticationRequest.Builder(new ResponseType("code"), scope,
        new ClientID(appId), URI.create(TestServer.REDIRECT)).endpointURI(uri("/oauth2/auth")).state(state)
        .nonce(nonce).codeChallenge(v, CodeChallengeMethod.S256);
    if (prompt != null) {
      req.prompt(prompt);
    }
    return new Flow(b.navigate(req.build().toURI().toString()), v, nonce, state);
  }

  private OIDCTokenResponse exchange(Flow f) throws Exception {
    String code = TestServer.param(f.redirect(), "code");
    assertNotNull(code, f.redirect());
    HTTPResponse r = token(basic(), new AuthorizationCodeGrant(new AuthorizationCode(code),
        URI.create(TestServer.REDIRECT), f.verifier()), null);
    assertEquals(200, r.getStatusCode(), r.getBody());
    return (OIDCTokenResponse) OIDCTokenResponseParser.parse(r).toSuccessResponse();
  }

  @Test
  void authorizationCodeWhenLoginAndConsentAcceptedThenTokensAndValidIdToken() throws Exception {
    s.consent.set(req -> TestServer.Answer.accept(Map.of("grant_scope", req.get("requested_scope"),
        "session", Map.of("id_token", Map.of("email", "alice@example.com"), "access_token", Map.of("tier", "gold")))));
    TestServer.Browser b = s.browser();
    Flow f = authorize(b, new Scope("openid", "offline", "profile"), null);
    assertTrue(f.redirect().startsWith(TestServer.REDIRECT), f.redirect());
    assertEquals(f.state().getValue(), TestServer.param(f.redirect(), "state"));
    assertFalse(s.lastLoginRequest.get().get("skip").asBoolean());
    assertEquals(appId, s.lastLoginRequest.get().get("client").get("client_id").asText());
    OIDCTokenResponse tr = exchange(f);
    assertTrue(tr.getOIDCTokens().getAccessToken().getValue().startsWith("ory_at_"));
    assertTrue(tr.getOIDCTokens().getRefreshToken().getValue().startsWith("ory_rt_"));
    IDTokenValidator validator = new IDTokenValidator(new Issuer(s.base), new ClientID(appId), JWSAlgorithm.RS256,
        new URL(s.base + "/.well-known/jwks.json"));
    validator.setMaxClockSkew(Integer.MAX_VALUE);
    IDTokenClaimsSet claims = validator.validate(tr.getOIDCTokens().getIDToken(), f.nonce());
    assertEquals("alice", claims.getSubject().getValue());
    assertEquals("alice@example.com", claims.getStringClaim("email"));
    assertNotNull(claims.getAccessTokenHash());
    JsonNode info = introspect(tr.getOIDCTokens().getAccessToken().getValue());
    assertEquals("alice", info.get("sub").asText());
    assertEquals("gold", info.get("ext").get("tier").asText());
    UserInfoResponse ui = UserInfoResponse.parse(new UserInfoRequest(uri("/userinfo"),
        (BearerAccessToken) tr.getOIDCTokens().getAccessToken()).toHTTPRequest().send());
    assertEquals("alice", ui.toSuccessResponse().getUserInfo().getSubject().getValue());
    assertEquals("alice@example.com", ui.toSuccessResponse().getUserInfo().getEmailAddress());
  }

  @Test
  void authorizationCodeWhenReplayedThenInvalidGrantAndFirstTokensRevoked() throws Exception {
    Flow f = authorize(s.browser(), new Scope("openid", "offline"), null);
    OIDCTokenResponse first = exchange(f);
    HTTPResponse again = token(basic(), new AuthorizationCodeGrant(new AuthorizationCode(
        TestServer.param(f.redirect(), "code")), URI.create(TestServer.REDIRECT), f.verifier()), null);
    assertEquals(400, again.getStatusCode());
    assertEquals("invalid_grant", error(again).getCode());
    assertFalse(introspect(first.getOIDCTokens().getAccessToken().getValue()).get("active").asBoolean());
    assertFalse(introspect(first.getOIDCTokens().getRefreshToken().getValue()).get("active").asBoolean());
  }

  @Test
  void authorizationCodeWhenVerifierWrongOrRedirectDiffersThenInvalidGrant() throws Exception {
    Flow f = authorize(s.browser(), new Scope("openid"), null);
    AuthorizationCode code = new AuthorizationCode(TestServer.param(f.redirect(), "code"));
    HTTPResponse wrongVerifier = token(basic(), new AuthorizationCodeGrant(code, URI.create(TestServer.REDIRECT),
        new CodeVerifier()), null);
    assertEquals("invalid_grant", error(wrongVerifier).getCode());
    HTTPResponse wrongRedirect = token(basic(), new AuthorizationCodeGrant(code,
        URI.create("https://client.example/other"), f.verifier()), null);
    assertEquals("invalid_grant", error(wrongRedirect).getCode());
    assertEquals(200, token(basic(), new AuthorizationCodeGrant(code, URI.create(TestServer.REDIRECT),
        f.verifier()), null).getStatusCode(), "failed attempts do not consume the code");
  }

  @Test
  void refreshWhenRotatedThenOldTokenReuseRevokesTheChain() throws Exception {
    OIDCTokenResponse first = exchange(authorize(s.browser(), new Scope("openid", "offline"), null));
    RefreshToken rt1 = first.getOIDCTokens().getRefreshToken();
    HTTPResponse r = token(basic(), new RefreshTokenGrant(rt1), null);
    assertEquals(200, r.getStatusCode(), r.getBody());
    OIDCTokenResponse second = (OIDCTokenResponse) OIDCTokenResponseParser.parse(r).toSuccessResponse();
    assertNotEquals(rt1, second.getOIDCTokens().getRefreshToken());
    assertNotNull(second.getOIDCTokens().getIDToken());
    assertFalse(introspect(first.getOIDCTokens().getAccessToken().getValue()).get("active").asBoolean());
    assertTrue(introspect(second.getOIDCTokens().getAccessToken().getValue()).get("active").asBoolean());
    HTTPResponse reuse = token(basic(), new RefreshTokenGrant(rt1), null);
    assertEquals("invalid_grant", error(reuse).getCode());
    assertFalse(introspect(second.getOIDCTokens().getAccessToken().getValue()).get("active").asBoolean());
    assertFalse(introspect(second.getOIDCTokens().getRefreshToken().getValue()).get("active").asBoolean());
  }

  @Test
  void refreshWhenGracePeriodSetThenRotatedTokenUsableBrieflyThenReuseRevokesTheChain() throws Exception {
    try (TestServer t = new TestServer(b -> b.tokenSettings(TokenSettings.defaults()
        .withRefreshTokenGracePeriod(java.time.Duration.ofSeconds(30))))) {
      JsonNode c = t.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
          "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid offline",
          "grant_types", List.of("authorization_code", "refresh_token"))));
      ClientID id = new ClientID(c.get("client_id").asText());
      ClientSecretBasic auth = new ClientSecretBasic(id, new Secret(c.get("client_secret").asText()));
      CodeVerifier v = new CodeVerifier();
      String done = t.browser().navigate(new AuthenticationRequest.Builder(new ResponseType("code"),
          new Scope("openid", "offline"), id, URI.create(TestServer.REDIRECT))
          .endpointURI(URI.create(t.base + "/oauth2/auth")).state(new State()).nonce(new Nonce())
          .codeChallenge(v, CodeChallengeMethod.S256).build().toURI().toString());
      URI tokenUri = URI.create(t.base + "/oauth2/token");
      RefreshToken rt1 = com.nimbusds.oauth2.sdk.TokenResponse.parse(new TokenRequest(tokenUri, auth,
          new AuthorizationCodeGrant(new AuthorizationCode(TestServer.param(done, "code")),
              URI.create(TestServer.REDIRECT), v), (Scope) null).toHTTPRequest().send()).toSuccessResponse().getTokens()
          .getRefreshToken();
      HTTPResponse first = new TokenRequest(tokenUri, auth, new RefreshTokenGrant(rt1), (Scope) null).toHTTPRequest().send();
      assertEquals(200, first.getStatusCode(), first.getBody());
      HTTPResponse again = new TokenRequest(tokenUri, auth, new RefreshTokenGrant(rt1), (Scope) null).toHTTPRequest().send();
      assertEquals(200, again.getStatusCode(), "within the grace period: " + again.getBody());
      RefreshToken rt3 = com.nimbusds.oauth2.sdk.TokenResponse.parse(again).toSuccessResponse().getTokens()
          .getRefreshToken();
      t.clock.advance(java.time.Duration.ofSeconds(31));
      HTTPResponse late = new TokenRequest(tokenUri, auth, new RefreshTokenGrant(rt1), (Scope) null).toHTTPRequest().send();
      assertEquals("invalid_grant", error(late).getCode());
      HTTPResponse chain = new TokenRequest(tokenUri, auth, new RefreshTokenGrant(rt3), (Scope) null).toHTTPRequest().send();
      assertEquals("invalid_grant", error(chain).getCode(), "the reuse revoked the whole chain");
    }
  }

  @Test
  void authorizeWhenRememberedThenLoginAndConsentAreSkipped() {
    s.login.set(req -> TestServer.Answer.accept(Map.of("subject", "alice", "remember", true, "remember_for", 3600)));
    s.consent.set(req -> TestServer.Answer.accept(Map.of("grant_scope", req.get("requested_scope"), "remember", true)));
    TestServer.Browser b = s.browser();
    authorize(b, new Scope("openid"), null);
    assertTrue(b.cookies.containsKey("ory_hydra_session"));
    Flow second = authorize(b, new Scope("openid"), null);
    assertTrue(s.lastLoginRequest.get().get("skip").asBoolean());
    assertEquals("alice", s.lastLoginRequest.get().get("subject").asText());
    assertTrue(s.lastConsentRequest.get().get("skip").asBoolean());
    assertNotNull(TestServer.param(second.redirect(), "code"));
    Flow none = authorize(b, new Scope("openid"), new Prompt(Prompt.Type.NONE));
    assertNotNull(TestServer.param(none.redirect(), "code"), none.redirect());
    Flow forced = authorize(b, new Scope("openid"), new Prompt(Prompt.Type.LOGIN));
    assertFalse(s.lastLoginRequest.get().get("skip").asBoolean());
    assertNotNull(TestServer.param(forced.redirect(), "code"));
  }

  @Test
  void authorizeWhenPromptNoneWithoutSessionThenLoginRequiredByRedirect() {
    Flow f = authorize(s.browser(), new Scope("openid"), new Prompt(Prompt.Type.NONE));
    assertTrue(f.redirect().startsWith(TestServer.REDIRECT));
    assertEquals("login_required", TestServer.param(f.redirect(), "error"));
    assertEquals(f.state().getValue(), TestServer.param(f.redirect(), "state"));
  }

  @Test
  void authorizeWhenLoginOrConsentRejectedThenAccessDeniedByRedirect() {
    s.login.set(req -> TestServer.Answer.reject(Map.of("error", "access_denied", "error_description", "no way")));
    Flow f = authorize(s.browser(), new Scope("openid"), null);
    assertEquals("access_denied", TestServer.param(f.redirect(), "error"));
    s.login.set(req -> TestServer.Answer.accept(Map.of("subject", "alice")));
    s.consent.set(req -> TestServer.Answer.reject(Map.of("error", "access_denied")));
    Flow g = authorize(s.browser(), new Scope("openid"), null);
    assertEquals("access_denied", TestServer.param(g.redirect(), "error"));
  }

  @Test
  void authorizeWhenBadRequestsThenErrorsByRedirectOrJson() {
    TestServer.Browser b = s.browser();
    String plain = b.navigate(s.base + "/oauth2/auth?response_type=code&client_id=" + appId + "&redirect_uri="
        + TestServer.enc(TestServer.REDIRECT) + "&state=abcdefghij&code_challenge=" + "a".repeat(43)
        + "&code_challenge_method=plain");
    assertEquals("invalid_request", TestServer.param(plain, "error"));
    String token = b.navigate(s.base + "/oauth2/auth?response_type=token&client_id=" + appId + "&redirect_uri="
        + TestServer.enc(TestServer.REDIRECT) + "&state=abcdefghij");
    assertEquals("unsupported_response_type", TestServer.param(token, "error"), token);
    String scope = b.navigate(s.base + "/oauth2/auth?response_type=code&client_id=" + appId + "&redirect_uri="
        + TestServer.enc(TestServer.REDIRECT) + "&state=abcdefghij&scope=admin");
    assertEquals("invalid_scope", TestServer.param(scope, "error"));
    String shortState = b.navigate(s.base + "/oauth2/auth?response_type=code&client_id=" + appId + "&redirect_uri="
        + TestServer.enc(TestServer.REDIRECT) + "&state=abc");
    assertEquals("invalid_request", TestServer.param(shortState, "error"));
    b.navigate(s.base + "/oauth2/auth?response_type=code&client_id=" + appId
        + "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&state=abcdefghij");
    assertEquals(400, b.last.statusCode(), "an unregistered redirect URI is never redirected to");
    assertEquals("invalid_request", TestServer.JSON.readTree(b.last.body()).get("error").asText());
    b.navigate(s.base + "/oauth2/auth?response_type=code&client_id=nobody&state=abcdefghij");
    assertEquals(401, b.last.statusCode());
    String requestObject = b.navigate(s.base + "/oauth2/auth?response_type=code&client_id=" + appId
        + "&redirect_uri=" + TestServer.enc(TestServer.REDIRECT) + "&state=abcdefghij&request=eyJhbGciOiJub25lIn0.e30.");
    assertEquals("invalid_request", TestServer.param(requestObject, "error"), "a request object, but the client has no "
        + "keys (as Hydra)");
  }

  @Test
  void authorizeWhenPublicClientWithoutPkceThenInvalidRequest() {
    JsonNode pub = s.admin("POST", "/admin/clients", "{\"token_endpoint_auth_method\":\"none\","
        + "\"redirect_uris\":[\"https://spa.example/cb\"],\"scope\":\"openid\"}");
    assertFalse(pub.has("client_secret"));
    String r = s.browser().navigate(s.base + "/oauth2/auth?response_type=code&client_id="
        + pub.get("client_id").asText() + "&state=abcdefghij&scope=openid");
    assertTrue(r.startsWith("https://spa.example/cb"), r);
    assertEquals("invalid_request", TestServer.param(r, "error"));
  }

  @Test
  void authorizeWhenFormPostOrFragmentModeThenCodeDeliveredThatWay() {
    TestServer.Browser b = s.browser();
    CodeVerifier v = new CodeVerifier();
    String base = s.base + "/oauth2/auth?response_type=code&client_id=" + appId + "&redirect_uri="
        + TestServer.enc(TestServer.REDIRECT) + "&state=abcdefghij&scope=openid&code_challenge_method=S256"
        + "&code_challenge=" + com.nimbusds.oauth2.sdk.pkce.CodeChallenge.compute(CodeChallengeMethod.S256, v);
    b.navigate(base + "&response_mode=form_post");
    assertEquals(200, b.last.statusCode());
    assertTrue(b.last.body().contains("name=\"code\""), b.last.body());
    assertTrue(b.last.body().contains("action=\"" + TestServer.REDIRECT + "\""));
    String frag = b.navigate(base + "&response_mode=fragment");
    assertNotNull(URI.create(frag).getFragment());
    assertNotNull(TestServer.param(frag, "code"));
  }

  @Test
  void consentSessionsWhenRevokedThenTokensInactive() throws Exception {
    OIDCTokenResponse tr = exchange(authorize(s.browser(), new Scope("openid", "offline"), null));
    exchange(authorize(s.browser(), new Scope("openid"), null));
    JsonNode sessions = s.admin("GET", "/admin/oauth2/auth/sessions/consent?subject=alice", null);
    assertEquals(2, sessions.size());
    java.net.http.HttpResponse<String> first = s.send("GET", "/admin/oauth2/auth/sessions/consent?subject=alice"
        + "&page_size=1", null, null);
    assertEquals(1, TestServer.JSON.readTree(first.body()).size());
    String link = first.headers().firstValue("Link").orElseThrow();
    String next = link.substring(link.indexOf("<", link.indexOf("rel=\"first\"")) + 1, link.lastIndexOf(">"));
    JsonNode second = s.admin("GET", next, null);
    assertEquals(1, second.size());
    assertNotEquals(TestServer.JSON.readTree(first.body()).get(0).get("consent_request").get("challenge"),
        second.get(0).get("consent_request").get("challenge"));
    assertEquals(appId, sessions.get(0).get("consent_request").get("client").get("client_id").asText());
    assertEquals(204, s.send("DELETE", "/admin/oauth2/auth/sessions/consent?subject=alice&client=" + appId, null,
        null).statusCode());
    assertEquals(0, s.admin("GET", "/admin/oauth2/auth/sessions/consent?subject=alice", null).size());
    assertFalse(introspect(tr.getOIDCTokens().getAccessToken().getValue()).get("active").asBoolean());
  }

  @Test
  void logoutWhenRpInitiatedThenChallengeAcceptedSessionEndedAndRedirectedWithState() throws Exception {
    s.login.set(req -> TestServer.Answer.accept(Map.of("subject", "alice", "remember", true)));
    TestServer.Browser b = s.browser();
    OIDCTokenResponse tr = exchange(authorize(b, new Scope("openid"), null));
    JWT idToken = tr.getOIDCTokens().getIDToken();
    String end = b.navigate(s.base + "/oauth2/sessions/logout?id_token_hint=" + idToken.serialize()
        + "&post_logout_redirect_uri=" + TestServer.enc("https://client.example/bye") + "&state=st-123");
    assertEquals("https://client.example/bye?state=st-123", end);
    assertFalse(b.cookies.containsKey("ory_hydra_session"));
    Flow none = authorize(b, new Scope("openid"), new Prompt(Prompt.Type.NONE));
    assertEquals("login_required", TestServer.param(none.redirect(), "error"));
    b.navigate(s.base + "/oauth2/sessions/logout?post_logout_redirect_uri=" + TestServer.enc("https://evil/"));
    assertEquals(400, b.last.statusCode());
  }

  @Test
  void loginVerifierWhenUsedInAnotherBrowserThenRejectedByCsrfCheck() {
    TestServer.Browser a = s.browser();
    CodeVerifier v = new CodeVerifier();
    String auth = new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), new ClientID(appId),
        URI.create(TestServer.REDIRECT)).endpointURI(uri("/oauth2/auth")).state(new State()).nonce(new Nonce())
        .codeChallenge(v, CodeChallengeMethod.S256).build().toURI().toString();
    String loginUrl = a.step(auth);
    String challenge = TestServer.param(loginUrl, "login_challenge");
    JsonNode accepted = s.admin("PUT", "/admin/oauth2/auth/requests/login/accept?login_challenge=" + challenge,
        "{\"subject\":\"mallory\"}");
    String stolen = s.browser().navigate(accepted.get("redirect_to").asText());
    assertEquals("invalid_request", TestServer.param(stolen, "error"), stolen);
    String own = a.navigate(accepted.get("redirect_to").asText());
    assertNotNull(TestServer.param(own, "code"), own);
  }

  @Test
  void loginRequestWhenAlreadyHandledThen410() {
    TestServer.Browser a = s.browser();
    authorize(a, new Scope("openid"), null);
    String challenge = s.lastLoginRequest.get().get("challenge").asText();
    assertEquals(410, s.send("GET", "/admin/oauth2/auth/requests/login?login_challenge=" + challenge, null, null)
        .statusCode());
  }

  @Test
  void logoutWhenClientsRegisteredLogoutUrisThenBackChannelTokenSentAndFrontChannelIframesRendered()
      throws Exception {
    java.util.List<io.ory4j.oauth2.spi.BackChannelLogout.Notification> sent =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    try (TestServer t = new TestServer(b -> b.backChannelLogout(sent::add))) {
      t.login.set(req -> TestServer.Answer.accept(Map.of("subject", "bob", "remember", true)));
      JsonNode c = t.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
          "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid",
          "backchannel_logout_uri", "https://client.example/bc", "frontchannel_logout_uri", "https://client.example/fc",
          "post_logout_redirect_uris", List.of("https://client.example/bye"))));
      ClientID id = new ClientID(c.get("client_id").asText());
      TestServer.Browser b = t.browser();
      CodeVerifier v = new CodeVerifier();
      String done = b.navigate(new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), id,
          URI.create(TestServer.REDIRECT)).endpointURI(URI.create(t.base + "/oauth2/auth")).state(new State())
          .nonce(new Nonce()).codeChallenge(v, CodeChallengeMethod.S256).build().toURI().toString());
      HTTPResponse tr = new TokenRequest(URI.create(t.base + "/oauth2/token"), new ClientSecretBasic(id,
          new Secret(c.get("client_secret").asText())), new AuthorizationCodeGrant(new AuthorizationCode(
          TestServer.param(done, "code")), URI.create(TestServer.REDIRECT), v), (Scope) null).toHTTPRequest().send();
      JWT idToken = ((OIDCTokenResponse) OIDCTokenResponseParser.parse(tr).toSuccessResponse()).getOIDCTokens()
          .getIDToken();
      String sid = idToken.getJWTClaimsSet().getStringClaim("sid");
      assertNotNull(sid);
      b.navigate(t.base + "/oauth2/sessions/logout?id_token_hint=" + idToken.serialize()
          + "&post_logout_redirect_uri=" + TestServer.enc("https://client.example/bye"));
      assertEquals(200, b.last.statusCode());
      assertTrue(b.last.body().contains("https://client.example/fc?iss="), b.last.body());
      assertTrue(b.last.body().contains("url=https://client.example/bye"), b.last.body());
      assertEquals(1, sent.size());
      assertEquals(URI.create("https://client.example/bc"), sent.get(0).uri());
      SignedJWT logoutToken = SignedJWT.parse(sent.get(0).logoutToken());
      JWKSet keys = JWKSet.load(new URL(t.base + "/.well-known/jwks.json"));
      assertTrue(logoutToken.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(
          keys.getKeyByKeyId(logoutToken.getHeader().getKeyID()).toRSAKey())));
      // Nimbus parses it as an OpenID back-channel logout token (events, sid, no nonce).
      var claims = new com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet(logoutToken.getJWTClaimsSet());
      assertEquals(t.base, claims.getIssuer().getValue());
      assertEquals(id.getValue(), claims.getAudience().get(0).getValue());
      assertEquals(sid, claims.getSessionID().getValue());
      assertEquals("bob", claims.getSubject().getValue());

      // an admin revocation of the login sessions also notifies the back channel
      String again = b.navigate(new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), id,
          URI.create(TestServer.REDIRECT)).endpointURI(URI.create(t.base + "/oauth2/auth")).state(new State())
          .nonce(new Nonce()).codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build().toURI().toString());
      assertNotNull(TestServer.param(again, "code"));
      assertEquals(204, t.send("DELETE", "/admin/oauth2/auth/sessions/login?subject=bob", null, null).statusCode());
      assertEquals(2, sent.size());
    }
  }

  @Test
  void authorizeWhenImplicitAndHybridAllowedThenTokensInTheFragment() throws Exception {
    JsonNode c = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid read",
        "grant_types", List.of("authorization_code", "implicit"),
        "response_types", List.of("id_token token", "code id_token"))));
    ClientID id = new ClientID(c.get("client_id").asText());
    Nonce nonce = new Nonce();
    String implicit = s.browser().navigate(new AuthenticationRequest.Builder(new ResponseType("token", "id_token"),
        new Scope("openid", "read"), id, URI.create(TestServer.REDIRECT)).endpointURI(uri("/oauth2/auth"))
        .state(new State()).nonce(nonce).build().toURI().toString());
    assertNotNull(URI.create(implicit).getFragment(), implicit);
    String at = TestServer.param(implicit, "access_token");
    assertTrue(at.startsWith("ory_at_"));
    assertEquals("bearer", TestServer.param(implicit, "token_type"));
    IDTokenValidator validator = new IDTokenValidator(new Issuer(s.base), id, JWSAlgorithm.RS256,
        new URL(s.base + "/.well-known/jwks.json"));
    validator.setMaxClockSkew(Integer.MAX_VALUE);
    IDTokenClaimsSet claims = validator.validate(SignedJWT.parse(TestServer.param(implicit, "id_token")), nonce);
    assertNotNull(claims.getAccessTokenHash());
    assertTrue(introspect(at).get("active").asBoolean());

    String hybrid = s.browser().navigate(new AuthenticationRequest.Builder(new ResponseType("code", "id_token"),
        new Scope("openid"), id, URI.create(TestServer.REDIRECT)).endpointURI(uri("/oauth2/auth"))
        .state(new State()).nonce(nonce).build().toURI().toString());
    IDTokenClaimsSet hc = validator.validate(SignedJWT.parse(TestServer.param(hybrid, "id_token")), nonce);
    assertNotNull(hc.getCodeHash());
    assertNotNull(TestServer.param(hybrid, "code"));

    String notAllowed = s.browser().navigate(s.base + "/oauth2/auth?response_type=token&client_id=" + id
        + "&redirect_uri=" + TestServer.enc(TestServer.REDIRECT) + "&scope=openid&state=abcdefghij");
    assertEquals("unsupported_response_type", TestServer.param(notAllowed, "error"));
    String query = s.browser().navigate(s.base + "/oauth2/auth?response_type=id_token%20token&response_mode=query"
        + "&client_id=" + id + "&redirect_uri=" + TestServer.enc(TestServer.REDIRECT)
        + "&scope=openid&state=abcdefghij&nonce=abcdefghij");
    assertEquals("invalid_request", TestServer.param(query, "error"));
  }

  @Test
  void privateKeyJwtWhenKeysAtJwksUriThenFetchedAndRotationPickedUp() throws Exception {
    RSAKey k1 = new RSAKeyGenerator(2048).keyID("k1").generate();
    RSAKey k2 = new RSAKeyGenerator(2048).keyID("k2").generate();
    s.clientJwks.set(new JWKSet(k1.toPublicJWK()).toString());
    JsonNode c = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "grant_types", List.of("client_credentials"), "scope", "read",
        "token_endpoint_auth_method", "private_key_jwt", "jwks_uri", s.base + "/app/jwks.json")));
    ClientID id = new ClientID(c.get("client_id").asText());
    assertEquals(200, token(new PrivateKeyJWT(id, uri("/oauth2/token"), JWSAlgorithm.RS256, k1.toPrivateKey(), "k1",
        null), new ClientCredentialsGrant(), new Scope("read")).getStatusCode());
    s.clientJwks.set(new JWKSet(List.of(k2.toPublicJWK(), k1.toPublicJWK())).toString());
    assertEquals(200, token(new PrivateKeyJWT(id, uri("/oauth2/token"), JWSAlgorithm.RS256, k2.toPrivateKey(), "k2",
        null), new ClientCredentialsGrant(), new Scope("read")).getStatusCode());
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
    assertEquals(401, token(new PrivateKeyJWT(id, uri("/oauth2/token"), JWSAlgorithm.RS256, stranger.toPrivateKey(),
        "k1", null), new ClientCredentialsGrant(), new Scope("read")).getStatusCode());
  }

  @Test
  void authorizeWhenIdTokenHintGivenThenClaimsInOidcContextAndMismatchForcesLogin() throws Exception {
    s.login.set(req -> TestServer.Answer.accept(Map.of("subject", "alice", "remember", true)));
    TestServer.Browser b = s.browser();
    JWT idToken = exchange(authorize(b, new Scope("openid"), null)).getOIDCTokens().getIDToken();
    String base = s.base + "/oauth2/auth?response_type=code&client_id=" + appId + "&redirect_uri="
        + TestServer.enc(TestServer.REDIRECT) + "&scope=openid&state=abcdefghij&id_token_hint=";
    b.navigate(base + idToken.serialize());
    assertEquals("alice", s.lastLoginRequest.get().get("oidc_context").get("id_token_hint_claims").get("sub")
        .asText());
    assertTrue(s.lastLoginRequest.get().get("skip").asBoolean());
    String forged = b.navigate(base + idToken.serialize().substring(0, idToken.serialize().length() - 4) + "AAAA");
    assertEquals("invalid_request", TestServer.param(forged, "error"));
  }

  @Test
  void adminWhenKeysTokensAndLoginSessionsManagedThenHydraStatuses() throws Exception {
    java.net.http.HttpResponse<String> created = s.send("POST", "/admin/keys/my-set",
        "{\"alg\":\"ES256\",\"use\":\"sig\",\"kid\":\"k-1\"}", "application/json");
    assertEquals(201, created.statusCode(), created.body());
    JsonNode set = s.admin("GET", "/admin/keys/my-set", null);
    assertEquals("k-1", set.get("keys").get(0).get("kid").asText());
    assertTrue(set.get("keys").get(0).has("d"), "the admin API shows private keys, as Hydra's");
    assertEquals(204, s.send("DELETE", "/admin/keys/my-set", null, null).statusCode());
    assertEquals(404, s.send("GET", "/admin/keys/my-set", null, null).statusCode());
    assertEquals(400, s.send("POST", "/admin/keys/x", "{\"alg\":\"none\"}", "application/json").statusCode());

    String at = com.nimbusds.oauth2.sdk.TokenResponse.parse(token(basic(), new ClientCredentialsGrant(),
        new Scope("read"))).toSuccessResponse().getTokens().getAccessToken().getValue();
    assertEquals(204, s.send("DELETE", "/admin/oauth2/tokens?client_id=" + appId, null, null).statusCode());
    assertFalse(introspect(at).get("active").asBoolean());

    s.login.set(req -> TestServer.Answer.accept(Map.of("subject", "alice", "remember", true)));
    TestServer.Browser b = s.browser();
    authorize(b, new Scope("openid"), null);
    assertEquals(204, s.send("DELETE", "/admin/oauth2/auth/sessions/login?subject=alice", null, null).statusCode());
    Flow none = authorize(b, new Scope("openid"), new Prompt(Prompt.Type.NONE));
    assertEquals("login_required", TestServer.param(none.redirect(), "error"));
    TestServer.Browser b2 = s.browser();
    JWT idToken = exchange(authorize(b2, new Scope("openid"), null)).getOIDCTokens().getIDToken();
    String sid = idToken.getJWTClaimsSet().getStringClaim("sid");
    assertEquals(204, s.send("DELETE", "/admin/oauth2/auth/sessions/login?sid=" + sid, null, null).statusCode());
    Flow none2 = authorize(b2, new Scope("openid"), new Prompt(Prompt.Type.NONE));
    assertEquals("login_required", TestServer.param(none2.redirect(), "error"));
    assertEquals(400, s.send("DELETE", "/admin/oauth2/auth/sessions/login", null, null).statusCode());
  }

  @Test
  void pairwiseClientWhenSaltConfiguredThenIdTokenAndUserinfoCarryThePairwiseSubject() throws Exception {
    assertEquals(400, s.send("POST", "/admin/clients", "{\"subject_type\":\"pairwise\"}", "application/json")
        .statusCode(), "pairwise is refused without a salt");
    try (TestServer t = new TestServer(b -> b.pairwiseSalt("a-pairwise-salt"))) {
      JsonNode c = t.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
          "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid", "subject_type", "pairwise")));
      ClientID id = new ClientID(c.get("client_id").asText());
      CodeVerifier v = new CodeVerifier();
      String done = t.browser().navigate(new AuthenticationRequest.Builder(new ResponseType("code"),
          new Scope("openid"), id, URI.create(TestServer.REDIRECT)).endpointURI(URI.create(t.base + "/oauth2/auth"))
          .state(new State()).nonce(new Nonce()).codeChallenge(v, CodeChallengeMethod.S256).build().toURI()
          .toString());
      OIDCTokenResponse tr = (OIDCTokenResponse) OIDCTokenResponseParser.parse(new TokenRequest(
          URI.create(t.base + "/oauth2/token"), new ClientSecretBasic(id, new Secret(c.get("client_secret").asText())),
          new AuthorizationCodeGrant(new AuthorizationCode(TestServer.param(done, "code")),
              URI.create(TestServer.REDIRECT), v), (Scope) null).toHTTPRequest().send()).toSuccessResponse();
      String sub = tr.getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject();
      assertTrue(sub.matches("[0-9a-f]{64}"), sub);
      UserInfoResponse ui = UserInfoResponse.parse(new UserInfoRequest(URI.create(t.base + "/userinfo"),
          (BearerAccessToken) tr.getOIDCTokens().getAccessToken()).toHTTPRequest().send());
      assertEquals(sub, ui.toSuccessResponse().getUserInfo().getSubject().getValue());
      assertTrue(TestServer.JSON.readTree(t.send("GET", "/.well-known/openid-configuration", null, null).body())
          .get("subject_types_supported").toString().contains("pairwise"));
    }
  }

  @Test
  void adminWhenChallengeUnknownThen404() {
    assertEquals(404, s.send("GET", "/admin/oauth2/auth/requests/login?login_challenge=nope", null, null)
        .statusCode());
    assertEquals(400, s.send("GET", "/admin/oauth2/auth/requests/login", null, null).statusCode());
    assertEquals(404, s.send("PUT", "/admin/oauth2/auth/requests/consent/accept?consent_challenge=nope", "{}",
        "application/json").statusCode());
  }

  @Test
  void userinfoWhenTokenMissingOrInvalidThen401Bearer() {
    java.net.http.HttpResponse<String> r = s.send("GET", "/userinfo", null, null);
    assertEquals(401, r.statusCode());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
  }

  @Test
  void jwtAccessTokensWhenEnabledThenRfc9068TokenThatIntrospects() throws Exception {
    try (TestServer jwt = new TestServer(b -> b.tokenSettings(TokenSettings.defaults().withJwtAccessTokens(true)))) {
      JsonNode c = jwt.admin("POST", "/admin/clients", "{\"grant_types\":[\"client_credentials\"],\"scope\":\"read\","
          + "\"audience\":[\"https://api.example\"]}");
      HTTPResponse r = new TokenRequest.Builder(URI.create(jwt.base + "/oauth2/token"), new ClientSecretBasic(
          new ClientID(c.get("client_id").asText()), new Secret(c.get("client_secret").asText())),
          new ClientCredentialsGrant()).scope(new Scope("read")).customParameter("audience", "https://api.example")
          .build().toHTTPRequest().send();
      assertEquals(200, r.getStatusCode(), r.getBody());
      String at = com.nimbusds.oauth2.sdk.TokenResponse.parse(r).toSuccessResponse().getTokens().getAccessToken()
          .getValue();
      SignedJWT signed = SignedJWT.parse(at);
      assertEquals("at+jwt", signed.getHeader().getType().getType());
      JWKSet keys = JWKSet.load(new URL(jwt.base + "/.well-known/jwks.json"));
      assertTrue(signed.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(
          keys.getKeyByKeyId(signed.getHeader().getKeyID()).toRSAKey())));
      JWTClaimsSet claims = signed.getJWTClaimsSet();
      assertEquals(List.of("https://api.example"), claims.getAudience());
      assertEquals(jwt.base, claims.getIssuer());
      assertTrue(claims.getExpirationTime().after(new Date(0)));
      java.net.http.HttpResponse<String> info = jwt.send("POST", "/admin/oauth2/introspect", "token=" + at,
          "application/x-www-form-urlencoded");
      assertTrue(TestServer.JSON.readTree(info.body()).get("active").asBoolean(), info.body());
    }
  }
}
