package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.sun.net.httpserver.HttpServer;
import io.ory4j.oauth2.spi.TokenHookResult;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hydra's token hooks ({@code oauth2.token_hook}, {@code oauth2.refresh_token_hook}) against a real HTTP server, and
 * the in-process {@link io.ory4j.oauth2.spi.TokenHook}, through the token endpoint with Nimbus as the client.
 */
class TokenHookHttpTest {

  /** What the hook server answers next, and what it was sent. */
  record Answer(int status, String body) {}

  record Call(String path, JsonNode body, String apiKeyHeader, String cookie) {}

  private HttpServer hookServer;
  private String hookBase;
  private final AtomicReference<Answer> answer = new AtomicReference<>(new Answer(204, ""));
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private TestServer s;
  private String appId;
  private String appSecret;

  @BeforeEach
  void startHookServer() throws Exception {
    hookServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hookServer.createContext("/", ex -> {
      byte[] in = ex.getRequestBody().readAllBytes();
      calls.add(new Call(ex.getRequestURI().getPath(), TestServer.JSON.readTree(in),
          ex.getRequestHeaders().getFirst("X-Hook-Key"), ex.getRequestHeaders().getFirst("Cookie")));
      if (ex.getRequestURI().getPath().equals("/stuck")) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Answer a = answer.get();
      byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(a.status(), a.status() == 204 ? -1 : out.length);
      if (a.status() != 204) {
        ex.getResponseBody().write(out);
      }
      ex.close();
    });
    hookServer.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    hookServer.start();
    hookBase = "http://127.0.0.1:" + hookServer.getAddress().getPort();
  }

  private void start(UnaryOperator<OAuth2Provider.Builder> customize) throws Exception {
    s = new TestServer(customize);
    JsonNode app = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "redirect_uris", List.of(TestServer.REDIRECT),
        "grant_types", List.of("authorization_code", "refresh_token", "client_credentials"),
        "response_types", List.of("code"), "scope", "openid offline read", "audience", List.of("https://api.example"),
        "token_endpoint_auth_method", "client_secret_post")));
    appId = app.get("client_id").asText();
    appSecret = app.get("client_secret").asText();
  }

  private TokenHookSettings hook(String path) {
    return TokenHookSettings.at(URI.create(hookBase + path));
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (s != null) {
      s.close();
    }
    hookServer.stop(0);
  }

  private ClientAuthentication post() {
    return new ClientSecretPost(new ClientID(appId), new Secret(appSecret));
  }

  private HTTPResponse token(AuthorizationGrant grant, Scope scope) throws Exception {
    return new TokenRequest(URI.create(s.base + "/oauth2/token"), post(), grant, scope).toHTTPRequest().send();
  }

  private JsonNode introspect(String token) {
    return TestServer.JSON.readTree(s.send("POST", "/admin/oauth2/introspect", "token=" + TestServer.enc(token),
        "application/x-www-form-urlencoded").body());
  }

  private static void assertError(HTTPResponse r, int status, String code) throws Exception {
    assertEquals(status, r.getStatusCode(), r.getBody());
    assertEquals(code, TokenErrorResponse.parse(r).getErrorObject().getCode(), r.getBody());
  }

  /** Runs login and consent (with session claims) and returns the code and its verifier. */
  private Map.Entry<String, CodeVerifier> code() {
    s.consent.set(req -> TestServer.Answer.accept(Map.of("grant_scope", req.get("requested_scope"),
        "session", Map.of("access_token", Map.of("tier", "gold"), "id_token", Map.of("email", "a@example.com")))));
    CodeVerifier v = new CodeVerifier();
    String done = s.browser().navigate(new AuthenticationRequest.Builder(new ResponseType("code"),
        new Scope("openid", "offline"), new ClientID(appId), URI.create(TestServer.REDIRECT))
        .endpointURI(URI.create(s.base + "/oauth2/auth")).state(new State()).nonce(new Nonce())
        .codeChallenge(v, CodeChallengeMethod.S256).build().toURI().toString());
    String code = TestServer.param(done, "code");
    assertNotNull(code, done);
    return Map.entry(code, v);
  }

  private HTTPResponse redeem(Map.Entry<String, CodeVerifier> code) throws Exception {
    return token(new AuthorizationCodeGrant(new AuthorizationCode(code.getKey()), URI.create(TestServer.REDIRECT),
        code.getValue()), null);
  }

  @Test
  void tokenHookWhen200ThenClaimsReplacedAndHookSeesHydraRequestWithoutSecrets() throws Exception {
    start(b -> b.tokenHook(hook("/token").withAuth(new TokenHookSettings.ApiKey(TokenHookSettings.In.HEADER,
        "X-Hook-Key", "hook-api-key"))));
    answer.set(new Answer(200, "{\"session\":{\"access_token\":{\"tier\":\"gold\",\"role\":\"admin\"},"
        + "\"id_token\":{\"nickname\":\"al\"}}}"));
    HTTPResponse r = redeem(code());
    assertEquals(200, r.getStatusCode(), r.getBody());
    OIDCTokenResponse tr = (OIDCTokenResponse) OIDCTokenResponseParser.parse(r).toSuccessResponse();
    JsonNode info = introspect(tr.getOIDCTokens().getAccessToken().getValue());
    assertEquals("admin", info.get("ext").get("role").asText());
    assertEquals("gold", info.get("ext").get("tier").asText());
    var idClaims = SignedJWT.parse(tr.getOIDCTokens().getIDTokenString()).getJWTClaimsSet();
    assertEquals("al", idClaims.getStringClaim("nickname"));
    assertNull(idClaims.getClaim("email"), "Hydra overwrites the ID token's extra claims with the hook's");
    Call c = calls.get(0);
    assertEquals("hook-api-key", c.apiKeyHeader());
    JsonNode req = c.body().get("request");
    assertEquals(appId, req.get("client_id").asText());
    assertEquals(List.of("authorization_code"), strings(req.get("grant_types")));
    assertEquals(List.of("openid", "offline"), strings(req.get("granted_scopes")));
    assertTrue(req.get("granted_audience").isArray());
    assertEquals(List.of("authorization_code"), strings(req.get("payload").get("grant_type")));
    assertFalse(req.get("payload").has("client_secret"), "never a credential");
    assertFalse(req.get("payload").has("code"), "only Hydra's sanitized parameters");
    assertFalse(c.body().toString().contains(appSecret));
    JsonNode session = c.body().get("session");
    assertEquals("gold", session.get("extra").get("tier").asText());
    assertEquals("a@example.com", session.get("id_token").get("id_token_claims").get("ext").get("email").asText());
    assertEquals("alice", session.get("id_token").get("subject").asText());
    assertEquals(appId, session.get("client_id").asText());
    // the refresh grant runs the hook too, with the claims it set
    HTTPResponse refreshed = token(new RefreshTokenGrant(tr.getOIDCTokens().getRefreshToken()), null);
    assertEquals(200, refreshed.getStatusCode(), refreshed.getBody());
    assertEquals(List.of("refresh_token"), strings(calls.get(1).body().get("request").get("grant_types")));
    assertEquals("admin", calls.get(1).body().get("session").get("extra").get("role").asText());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void tokenHookWhen204ThenSessionKeptAndEveryGrantCallsIt() throws Exception {
    start(b -> b.tokenHook(hook("/token").withAuth(new TokenHookSettings.ApiKey(TokenHookSettings.In.COOKIE,
        "hook_key", "cookie-secret"))));
    answer.set(new Answer(204, ""));
    HTTPResponse r = redeem(code());
    assertEquals(200, r.getStatusCode(), r.getBody());
    String at = OIDCTokenResponseParser.parse(r).toSuccessResponse().getTokens().getAccessToken().getValue();
    assertEquals("gold", introspect(at).get("ext").get("tier").asText());
    assertEquals("hook_key=cookie-secret", calls.get(0).cookie());
    HTTPResponse cc = token(new ClientCredentialsGrant(), new Scope("read"));
    assertEquals(200, cc.getStatusCode(), cc.getBody());
    JsonNode req = calls.get(1).body().get("request");
    assertEquals(List.of("client_credentials"), strings(req.get("grant_types")));
    assertEquals(List.of("read"), strings(req.get("payload").get("scope")));
    assertEquals(List.of(appId), strings(req.get("payload").get("client_id")));
  }

  @Test
  void tokenHookWhen403ThenAccessDeniedAndTheCodeIsNotConsumed() throws Exception {
    start(b -> b.tokenHook(hook("/token")));
    Map.Entry<String, CodeVerifier> code = code();
    answer.set(new Answer(403, "{}"));
    HTTPResponse denied = redeem(code);
    assertError(denied, 403, "access_denied");
    assertTrue(TestServer.JSON.readTree(denied.getBody()).get("error_description").asText()
        .contains("The token hook target responded with an error."));
    assertError(token(new ClientCredentialsGrant(), new Scope("read")), 403, "access_denied");
    answer.set(new Answer(204, ""));
    assertEquals(200, redeem(code).getStatusCode(), "a denied request wrote nothing; the code is still good");
  }

  @Test
  void tokenHookWhenErrorStatusBadBodyOrTimeoutThenServerError() throws Exception {
    start(b -> b.tokenHook(hook("/token")).refreshTokenHook(hook("/stuck").withTimeout(Duration.ofMillis(300))));
    for (Answer bad : List.of(new Answer(500, "{}"), new Answer(401, ""), new Answer(200, "not json"),
        new Answer(200, "{\"session\":{\"access_token\":\"a string\"}}"))) {
      answer.set(bad);
      HTTPResponse r = token(new ClientCredentialsGrant(), new Scope("read"));
      assertError(r, 500, "server_error");
      assertTrue(TestServer.JSON.readTree(r.getBody()).get("error_description").asText()
          .contains("The token hook target responded with an error."), r.getBody());
    }
    // the refresh token hook never answers in time: server_error, and the refresh token is not rotated
    answer.set(new Answer(204, ""));
    RefreshToken rt = ((OIDCTokenResponse) OIDCTokenResponseParser.parse(redeem(code())).toSuccessResponse())
        .getOIDCTokens().getRefreshToken();
    HTTPResponse timedOut = token(new RefreshTokenGrant(rt), null);
    assertError(timedOut, 500, "server_error");
    release.countDown();
    assertTrue(introspect(rt.getValue()).get("active").asBoolean(), "the refresh token is still live");
  }

  @Test
  void refreshTokenHookWhenRefreshThenOlderHydraBodyAndOnlyForThatGrant() throws Exception {
    start(b -> b.refreshTokenHook(hook("/refresh")));
    answer.set(new Answer(204, ""));
    OIDCTokenResponse tr = (OIDCTokenResponse) OIDCTokenResponseParser.parse(redeem(code())).toSuccessResponse();
    assertTrue(calls.isEmpty(), "not called for authorization_code");
    answer.set(new Answer(200, "{\"session\":{\"access_token\":{\"refreshed\":true}}}"));
    HTTPResponse r = token(new RefreshTokenGrant(tr.getOIDCTokens().getRefreshToken()), null);
    assertEquals(200, r.getStatusCode(), r.getBody());
    JsonNode body = calls.get(0).body();
    assertEquals("/refresh", calls.get(0).path());
    assertEquals("alice", body.get("subject").asText());
    assertEquals(appId, body.get("client_id").asText());
    assertEquals(List.of("openid", "offline"), strings(body.get("granted_scopes")));
    assertEquals(List.of("refresh_token"), strings(body.get("requester").get("grant_types")));
    assertEquals("gold", body.get("session").get("extra").get("tier").asText());
    String at = OIDCTokenResponseParser.parse(r).toSuccessResponse().getTokens().getAccessToken().getValue();
    assertTrue(introspect(at).get("ext").get("refreshed").asBoolean());
  }

  @Test
  void inProcessHookWhenAddedThenClaimsAddedDeniedOrFailedWithoutHttp() throws Exception {
    AtomicReference<String> mode = new AtomicReference<>("add");
    start(b -> b.tokenSettings(TokenSettings.defaults().withJwtAccessTokens(true)).addTokenHook(ctx ->
        switch (mode.get()) {
          case "add" -> {
            Map<String, Object> claims = new java.util.HashMap<>(ctx.accessTokenClaims());
            claims.put("department", "research");
            claims.put("grant", ctx.grantTypes().get(0));
            yield TokenHookResult.claims(claims, ctx.idTokenClaims());
          }
          case "deny" -> TokenHookResult.deny("The client is suspended.");
          default -> throw new IllegalStateException("hook bug");
        }));
    HTTPResponse ok = token(new ClientCredentialsGrant(), new Scope("read"));
    assertEquals(200, ok.getStatusCode(), ok.getBody());
    String jwt = OIDCTokenResponseParser.parse(ok).toSuccessResponse().getTokens().getAccessToken().getValue();
    @SuppressWarnings("unchecked")
    Map<String, Object> ext = (Map<String, Object>) SignedJWT.parse(jwt).getJWTClaimsSet().getClaim("ext");
    assertEquals("research", ext.get("department"));
    assertEquals("client_credentials", ext.get("grant"));
    mode.set("deny");
    HTTPResponse denied = token(new ClientCredentialsGrant(), new Scope("read"));
    assertError(denied, 403, "access_denied");
    assertTrue(denied.getBody().contains("The client is suspended."), denied.getBody());
    mode.set("throw");
    assertError(token(new ClientCredentialsGrant(), new Scope("read")), 500, "server_error");
    assertFalse(s.provider.introspect(jwt).ext().isEmpty());
  }

  @Test
  void settingsWhenInvalidThenRefusedNamingTheKey() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> TokenHookSettings.at(URI.create("ftp://hooks.example/x")));
    assertTrue(e.getMessage().contains("oauth2.token_hook.url"));
    assertTrue(new TokenHookSettings.ApiKey(TokenHookSettings.In.HEADER, "X-Key", "s3cret").toString()
        .contains("redacted"));
    assertFalse(new TokenHookSettings.ApiKey(TokenHookSettings.In.HEADER, "X-Key", "s3cret").toString()
        .contains("s3cret"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new TokenHookSettings.ApiKey(TokenHookSettings.In.HEADER, "Bad Name", "v"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> TokenHookSettings.In.parse("query"));
  }
}
