package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The opt-in protections of {@link SecuritySettings} (RFC 9207's {@code iss}, RFC 9700's refusal of access tokens in
 * authorization responses and of insecure redirect URIs) and Hydra's loopback redirect rule, over HTTP with Nimbus.
 */
class SecurityHardeningHttpTest {

  private static JsonNode client(TestServer t, Map<String, Object> body) {
    return t.admin("POST", "/admin/clients", TestServer.JSON.write(body));
  }

  private static String authorize(TestServer t, String clientId, String redirect, String responseType, String scope,
      CodeVerifier v) {
    AuthenticationRequest.Builder b = new AuthenticationRequest.Builder(new ResponseType(responseType.split(" ")),
        new Scope(scope.split(" ")), new ClientID(clientId), URI.create(redirect))
        .endpointURI(URI.create(t.base + "/oauth2/auth")).state(new State()).nonce(new Nonce());
    if (v != null) {
      b.codeChallenge(v, CodeChallengeMethod.S256);
    }
    return t.browser().navigate(b.build().toURI().toString());
  }

  private static java.net.http.HttpResponse<String> register(TestServer t, Map<String, Object> body) {
    return t.send("POST", "/admin/clients", TestServer.JSON.write(body), "application/json");
  }

  private static String error(java.net.http.HttpResponse<String> r) {
    assertEquals(400, r.statusCode(), r.body());
    return TestServer.JSON.readTree(r.body()).get("error").asText();
  }

  @Test
  void issWhenEnabledThenInSuccessAndErrorResponsesAndDiscovery() throws Exception {
    try (TestServer t = new TestServer(b -> b.securitySettings(SecuritySettings.defaults()
        .withAuthorizationResponseIss(true)))) {
      JsonNode c = client(t, Map.of("redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid"));
      String id = c.get("client_id").asText();
      CodeVerifier v = new CodeVerifier();
      AuthorizationSuccessResponse ok = AuthorizationResponse.parse(URI.create(authorize(t, id, TestServer.REDIRECT,
          "code", "openid", v))).toSuccessResponse();
      assertEquals(t.base, ok.getIssuer().getValue());
      AuthorizationErrorResponse denied = AuthorizationResponse.parse(URI.create(authorize(t, id, TestServer.REDIRECT,
          "code", "openid admin", v))).toErrorResponse();
      assertEquals("invalid_scope", denied.getErrorObject().getCode());
      assertEquals(t.base, denied.getIssuer().getValue());
      TestServer.Browser browser = t.browser();
      browser.navigate(t.base + "/oauth2/auth?response_type=code&scope=openid&client_id=" + id
          + "&state=abcdefghij&response_mode=form_post&code_challenge_method=S256&code_challenge="
          + com.nimbusds.oauth2.sdk.pkce.CodeChallenge.compute(CodeChallengeMethod.S256, v));
      assertEquals(200, browser.last.statusCode());
      assertTrue(browser.last.body().contains("name=\"iss\" value=\"" + t.base + "\""), browser.last.body());
      OIDCProviderMetadata meta = OIDCProviderMetadata.parse(t.send("GET", "/.well-known/openid-configuration",
          null, null).body());
      assertTrue(meta.supportsAuthorizationResponseIssuerParam());
    }
    try (TestServer plain = new TestServer()) {
      JsonNode c = client(plain, Map.of("redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid"));
      String done = authorize(plain, c.get("client_id").asText(), TestServer.REDIRECT, "code", "openid",
          new CodeVerifier());
      assertNull(TestServer.param(done, "iss"), "off by default, as in Hydra");
      assertFalse(OIDCProviderMetadata.parse(plain.send("GET", "/.well-known/openid-configuration", null, null)
          .body()).supportsAuthorizationResponseIssuerParam());
    }
  }

  @Test
  void accessTokensInAuthorizationResponseWhenRefusedThenNotRegisteredRequestedNorAdvertised() throws Exception {
    try (TestServer t = new TestServer(b -> b.securitySettings(SecuritySettings.defaults()
        .withRefuseAccessTokensInAuthorizationResponse(true)))) {
      assertEquals("invalid_client_metadata", error(register(t, Map.of("redirect_uris", List.of(TestServer.REDIRECT),
          "grant_types", List.of("implicit"), "response_types", List.of("id_token token")))));
      JsonNode c = client(t, Map.of("redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid",
          "grant_types", List.of("authorization_code", "implicit"), "response_types", List.of("code", "id_token")));
      String id = c.get("client_id").asText();
      assertEquals("unsupported_response_type", TestServer.param(t.browser().navigate(new com.nimbusds.oauth2.sdk
          .AuthorizationRequest.Builder(new ResponseType("token"), new ClientID(id)).redirectionURI(URI.create(
              TestServer.REDIRECT)).state(new State()).endpointURI(URI.create(t.base + "/oauth2/auth")).build()
          .toURI().toString()), "error"));
      assertEquals("unsupported_response_type", TestServer.param(authorize(t, id, TestServer.REDIRECT,
          "code id_token token", "openid", null), "error"));
      String idToken = authorize(t, id, TestServer.REDIRECT, "id_token", "openid", null);
      assertTrue(TestServer.param(idToken, "id_token") != null, "an ID token alone is still allowed: " + idToken);
      OIDCProviderMetadata meta = OIDCProviderMetadata.parse(t.send("GET", "/.well-known/openid-configuration",
          null, null).body());
      assertTrue(meta.getResponseTypes().stream().noneMatch(r -> r.contains(ResponseType.Value.TOKEN)),
          meta.getResponseTypes().toString());
    }
  }

  @Test
  void redirectUrisWhenSecureRequiredThenHttpsLoopbackOrPrivateUseSchemeOnly() throws Exception {
    try (TestServer t = new TestServer(b -> b.securitySettings(SecuritySettings.bestCurrentPractice()))) {
      for (String bad : List.of("http://client.example/cb", "http://localhost/cb", "javascript:alert(1)",
          "myapp:/cb")) {
        assertEquals("invalid_redirect_uri", error(register(t, Map.of("redirect_uris", List.of(bad)))), bad);
      }
      for (String good : List.of("https://client.example/cb", "http://127.0.0.1/cb", "http://[::1]:8080/cb",
          "com.example.app:/oauth2redirect")) {
        assertEquals(201, register(t, Map.of("redirect_uris", List.of(good))).statusCode(), good);
      }
      java.net.http.HttpResponse<String> patched = t.send("PUT", "/admin/clients/" + client(t, Map.of(
          "redirect_uris", List.of(TestServer.REDIRECT))).get("client_id").asText(), TestServer.JSON.write(Map.of(
          "redirect_uris", List.of("http://client.example/cb"))), "application/json");
      assertEquals("invalid_redirect_uri", error(patched), "checked on update too");
    }
  }

  @Test
  void loopbackRedirectWhenPortDiffersThenMatchesAsHydraButPathAndNamesMustMatch() {
    try (TestServer t = new TestServer()) {
      JsonNode c = client(t, Map.of("redirect_uris", List.of("http://127.0.0.1/callback"), "scope", "openid offline",
          "grant_types", List.of("authorization_code", "refresh_token")));
      String id = c.get("client_id").asText();
      CodeVerifier v = new CodeVerifier();
      String done = authorize(t, id, "http://127.0.0.1:53117/callback", "code", "openid", v);
      assertTrue(done.startsWith("http://127.0.0.1:53117/callback?"), done);
      assertEquals(id, t.exchange(id, c.get("client_secret").asText(), done, v).getOIDCTokens().getIDToken()
          .getJWTClaimsSet().getAudience().get(0), "the code is redeemed with the redirect URI it was sent to");
      TestServer.Browser b = t.browser();
      b.navigate(t.base + "/oauth2/auth?response_type=code&scope=openid&state=abcdefghij&client_id=" + id
          + "&redirect_uri=" + TestServer.enc("http://127.0.0.1:53117/other"));
      assertEquals(400, b.last.statusCode(), "another path is not the registered URI");
      b.navigate(t.base + "/oauth2/auth?response_type=code&scope=openid&state=abcdefghij&client_id=" + id
          + "&redirect_uri=" + TestServer.enc("http://localhost:53117/callback"));
      assertEquals(400, b.last.statusCode(), "a name is not a loopback IP literal");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
