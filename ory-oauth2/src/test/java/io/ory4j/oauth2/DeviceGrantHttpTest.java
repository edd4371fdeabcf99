package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device authorization grant (RFC 8628) as Hydra runs it, over HTTP: Nimbus requests a device code and polls;
 * the test browser opens {@code /oauth2/device/verify}, the verification page submits the user code on the admin
 * API, and login and consent are answered by the test login app.
 */
class DeviceGrantHttpTest {

  private TestServer s;
  private String clientId;
  private String secret;

  @BeforeEach
  void start() throws Exception {
    s = new TestServer(b -> b.deviceAuthorization(DeviceSettings.of(URI.create("http://device.test/app/device"),
        URI.create("http://device.test/app/device/done"))));
    JsonNode c = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of("grant_types",
        List.of(OAuth2Provider.DEVICE_GRANT, "refresh_token"), "scope", "openid offline read")));
    clientId = c.get("client_id").asText();
    secret = c.get("client_secret").asText();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private DeviceAuthorizationSuccessResponse authorize(String scope) throws Exception {
    HTTPResponse r = new DeviceAuthorizationRequest.Builder(new ClientSecretBasic(new ClientID(clientId),
        new Secret(secret))).endpointURI(URI.create(s.base + "/oauth2/device/auth")).scope(new Scope(scope.split(" ")))
        .build().toHTTPRequest().send();
    assertEquals(200, r.getStatusCode(), r.getBody());
    return DeviceAuthorizationResponse.parse(r).toSuccessResponse();
  }

  private HTTPResponse poll(DeviceCode code) throws Exception {
    return new TokenRequest(URI.create(s.base + "/oauth2/token"), new ClientSecretBasic(new ClientID(clientId),
        new Secret(secret)), new DeviceCodeGrant(code), null).toHTTPRequest().send();
  }

  private static String error(HTTPResponse r) throws Exception {
    assertEquals(400, r.getStatusCode(), r.getBody());
    return TokenErrorResponse.parse(r).getErrorObject().getCode();
  }

  /** The user's browser: opens the verification URI, and is sent through the device page, login and consent. */
  private String approve(DeviceAuthorizationSuccessResponse d) {
    s.deviceUserCode.set(d.getUserCode().getValue());
    TestServer.Browser b = s.browser();
    String next = b.navigate(d.getVerificationURI().toString());
    // the device pages are configured on another origin; this browser maps them to the test app
    for (int i = 0; i < 3 && next.startsWith("http://device.test"); i++) {
      next = b.navigate(next.replace("http://device.test", s.base));
    }
    return next;
  }

  @Test
  void deviceFlowWhenUserApprovesThenPendingSlowDownThenTokensOnce() throws Exception {
    DeviceAuthorizationSuccessResponse d = authorize("openid offline read");
    assertTrue(d.getUserCode().getValue().matches("[B-Z]{4}-[B-Z]{4}"), d.getUserCode().getValue());
    assertEquals(URI.create(s.base + "/oauth2/device/verify"), d.getVerificationURI());
    assertEquals(600, d.getLifetime());
    assertEquals(5, d.getInterval());
    assertEquals("authorization_pending", error(poll(d.getDeviceCode())));
    assertEquals("slow_down", error(poll(d.getDeviceCode())), "a second poll within the interval");
    String end = approve(d);
    assertTrue(end.endsWith("/app/device/done"), end);
    assertEquals("alice", s.lastConsentRequest.get().get("subject").asText());
    s.clock.advance(Duration.ofSeconds(5));
    HTTPResponse r = poll(d.getDeviceCode());
    assertEquals(200, r.getStatusCode(), r.getBody());
    Tokens t = com.nimbusds.oauth2.sdk.TokenResponse.parse(r).toSuccessResponse().getTokens();
    assertNotNull(t.getRefreshToken(), "offline was granted");
    com.nimbusds.jwt.JWT idToken = com.nimbusds.openid.connect.sdk.OIDCTokenResponse.parse(r).toSuccessResponse()
        .getOIDCTokens().getIDToken();
    assertEquals("alice", idToken.getJWTClaimsSet().getSubject(), "openid was granted: an ID token, as Hydra");
    assertEquals(List.of(clientId), idToken.getJWTClaimsSet().getAudience());
    JsonNode info = TestServer.JSON.readTree(s.send("POST", "/admin/oauth2/introspect", "token="
        + t.getAccessToken().getValue(), "application/x-www-form-urlencoded").body());
    assertEquals("alice", info.get("sub").asText());
    assertEquals("openid offline read", info.get("scope").asText());
    s.clock.advance(Duration.ofSeconds(5));
    assertEquals("invalid_grant", error(poll(d.getDeviceCode())), "a device code is redeemed once");
  }

  @Test
  void deviceVerifierWhenFollowedInAnotherBrowserThenCsrfRefused() throws Exception {
    DeviceAuthorizationSuccessResponse d = authorize("read");
    s.deviceUserCode.set(d.getUserCode().getValue());
    TestServer.Browser victim = s.browser();
    String page = victim.navigate(d.getVerificationURI().toString());
    String verifierUrl = victim.step(page.replace("http://device.test", s.base));
    assertTrue(verifierUrl.contains("device_verifier="), verifierUrl);
    TestServer.Browser other = s.browser();
    other.navigate(verifierUrl);
    assertEquals(400, other.last.statusCode(), "the device verifier is bound to the browser that asked for it");
    assertTrue(other.last.body().contains("invalid_request"), other.last.body());
    String end = victim.navigate(verifierUrl);
    assertTrue(end.endsWith("/app/device/done"), "the right browser still finishes: " + end);
  }

  @Test
  void deviceFlowWhenLoginRejectedThenAccessDenied() throws Exception {
    DeviceAuthorizationSuccessResponse d = authorize("read");
    s.login.set(req -> TestServer.Answer.reject(Map.of("error", "access_denied")));
    approve(d);
    assertEquals("access_denied", error(poll(d.getDeviceCode())));
  }

  @Test
  void deviceFlowWhenExpiredOrWrongUserCodeOrBadRequestThenSpecErrors() throws Exception {
    DeviceAuthorizationSuccessResponse d = authorize("read");
    s.deviceUserCode.set("BCDF-GHJK");
    TestServer.Browser b = s.browser();
    String next = b.navigate(d.getVerificationURI().toString());
    b.navigate(next.replace("http://device.test", s.base));
    assertEquals(400, b.last.statusCode(), "a wrong user code is refused on the admin API");
    s.clock.advance(Duration.ofMinutes(10));
    assertEquals("expired_token", error(poll(d.getDeviceCode())));
    assertEquals("invalid_grant", error(poll(new DeviceCode("ory_dc_unknown.x"))));
    HTTPResponse scope = new DeviceAuthorizationRequest.Builder(new ClientSecretBasic(new ClientID(clientId),
        new Secret(secret))).endpointURI(URI.create(s.base + "/oauth2/device/auth")).scope(new Scope("admin"))
        .build().toHTTPRequest().send();
    assertEquals(400, scope.getStatusCode());
    JsonNode other = s.admin("POST", "/admin/clients", "{\"grant_types\":[\"client_credentials\"]}");
    HTTPResponse unauthorized = new DeviceAuthorizationRequest.Builder(new ClientSecretBasic(new ClientID(
        other.get("client_id").asText()), new Secret(other.get("client_secret").asText()))).endpointURI(
            URI.create(s.base + "/oauth2/device/auth")).build().toHTTPRequest().send();
    assertEquals(400, unauthorized.getStatusCode());
    assertTrue(unauthorized.getBody().contains("unauthorized_client"), unauthorized.getBody());
  }

  @Test
  void discoveryWhenEnabledThenDeviceEndpointAndGrantAdvertisedElseGrantRefused() throws Exception {
    OIDCProviderMetadata meta = OIDCProviderMetadata.parse(s.send("GET", "/.well-known/openid-configuration", null,
        null).body());
    assertEquals(URI.create(s.base + "/oauth2/device/auth"), meta.getDeviceAuthorizationEndpointURI());
    assertTrue(meta.getGrantTypes().stream().anyMatch(g -> g.getValue().equals(OAuth2Provider.DEVICE_GRANT)));
    try (TestServer off = new TestServer()) {
      java.net.http.HttpResponse<String> r = off.send("POST", "/admin/clients", TestServer.JSON.write(Map.of(
          "grant_types", List.of(OAuth2Provider.DEVICE_GRANT))), "application/json");
      assertEquals(400, r.statusCode(), "the device grant is off by default");
    }
  }
}
