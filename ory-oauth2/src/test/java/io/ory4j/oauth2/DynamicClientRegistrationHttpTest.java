package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.client.ClientDeleteRequest;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientReadRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.client.ClientUpdateRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.ory4j.oauth2.spi.StoredClient;
import io.ory4j.oauth2.store.memory.InMemoryClientStore;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dynamic client registration (RFC 7591) and its management protocol (RFC 7592) on {@code /oauth2/register}, as
 * Hydra serves them, with Nimbus as the registering client.
 */
class DynamicClientRegistrationHttpTest {

  private TestServer s;
  private final InMemoryClientStore store = new InMemoryClientStore();

  private void start(boolean enabled) throws Exception {
    s = new TestServer(b -> {
      b.clientStore(store);
      return enabled ? b.dynamicClientRegistration(DynamicClientRegistrationSettings.defaults()
          .withDefaultScope(List.of("openid", "profile"))) : b;
    });
  }

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  private URI endpoint() {
    return URI.create(s.base + "/oauth2/register");
  }

  private static ClientMetadata serviceMetadata() {
    ClientMetadata m = new ClientMetadata();
    m.setName("Registered service");
    m.setGrantTypes(Set.of(GrantType.CLIENT_CREDENTIALS));
    m.setResponseTypes(Set.of());
    m.setScope(new Scope("read", "write"));
    m.setRedirectionURI(URI.create("https://client.example/cb"));
    return m;
  }

  private ClientInformation register(ClientMetadata m) throws Exception {
    HTTPResponse r = new ClientRegistrationRequest(endpoint(), m, null).toHTTPRequest().send();
    assertEquals(201, r.getStatusCode(), r.getBody());
    ClientRegistrationResponse parsed = ClientRegistrationResponse.parse(r);
    assertTrue(parsed.indicatesSuccess(), r.getBody());
    return ((com.nimbusds.oauth2.sdk.client.ClientInformationResponse) parsed).getClientInformation();
  }

  private java.net.http.HttpResponse<String> raw(String method, String path, String token, String body)
      throws Exception {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(s.base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      b.method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method,
          java.net.http.HttpRequest.BodyPublishers.ofString(body));
    }
    return s.http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private static String error(java.net.http.HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    return TestServer.JSON.readTree(r.body()).get("error").asText();
  }

  private static String registrationError(HTTPResponse r, int status) throws Exception {
    assertEquals(status, r.getStatusCode(), r.getBody());
    ClientRegistrationResponse parsed = ClientRegistrationResponse.parse(r);
    assertFalse(parsed.indicatesSuccess(), r.getBody());
    return ((ClientRegistrationErrorResponse) parsed).getErrorObject().getCode();
  }

  private AccessTokenResponse clientCredentials(ClientInformation info) throws Exception {
    HTTPResponse r = new TokenRequest(URI.create(s.base + "/oauth2/token"), new ClientSecretBasic(info.getID(),
        info.getSecret()), new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest().send();
    TokenResponse t = TokenResponse.parse(r);
    assertTrue(t.indicatesSuccess(), r.getBody());
    return t.toSuccessResponse();
  }

  @Test
  void registerWhenDisabledThenNotFoundAndNotInDiscovery() throws Exception {
    start(false);
    HTTPResponse r = new ClientRegistrationRequest(endpoint(), serviceMetadata(), null).toHTTPRequest().send();
    assertEquals(404, r.getStatusCode(), r.getBody());
    assertEquals(404, raw("GET", "/oauth2/register/some-id", "ory_at_x.y", null).statusCode());
    OIDCProviderMetadata meta = OIDCProviderMetadata.parse(TestServer.JSON.write(s.provider.discovery()));
    assertNull(meta.getRegistrationEndpointURI());
  }

  @Test
  void registerWhenEnabledThenServerChosenCredentialsWorkAtTheTokenEndpoint() throws Exception {
    start(true);
    OIDCProviderMetadata meta = OIDCProviderMetadata.parse(TestServer.JSON.write(s.provider.discovery()));
    assertEquals(endpoint(), meta.getRegistrationEndpointURI());
    ClientInformation info = register(serviceMetadata());
    assertNotNull(info.getID());
    assertNotNull(info.getSecret());
    assertNotNull(info.getRegistrationAccessToken());
    assertTrue(info.getRegistrationAccessToken().getValue().startsWith("ory_at_"));
    assertEquals(URI.create(s.base + "/oauth2/register/" + info.getID().getValue()), info.getRegistrationURI());
    assertEquals(new Scope("read", "write"), info.getMetadata().getScope());
    assertEquals("read", clientCredentials(info).getTokens().getAccessToken().getScope().toString());
    // only the signature of the registration access token is kept
    StoredClient stored = store.find(new ClientId(info.getID().getValue())).orElseThrow();
    String token = info.getRegistrationAccessToken().getValue();
    assertNotNull(stored.registrationTokenSignature());
    assertFalse(token.equals(stored.registrationTokenSignature()));
    assertFalse(TestServer.JSON.write(stored).contains(token), "the token itself is never stored");
    // the admin API sees the client; the secret is not in its JSON
    JsonNode admin = s.admin("GET", "/admin/clients/" + info.getID().getValue(), null);
    assertFalse(admin.has("client_secret"));
    assertFalse(admin.has("registration_access_token"));
  }

  @Test
  void registerWhenClientIdOrNoScopeGivenThenServerIdAndDefaultScope() throws Exception {
    start(true);
    java.net.http.HttpResponse<String> r = raw("POST", "/oauth2/register", null,
        TestServer.JSON.write(Map.of("client_id", "chosen-by-me", "redirect_uris",
            List.of("https://client.example/cb"))));
    assertEquals(201, r.statusCode(), r.body());
    JsonNode body = TestServer.JSON.readTree(r.body());
    assertNotEquals("chosen-by-me", body.get("client_id").asText());
    assertEquals("openid profile", body.get("scope").asText(), "oidc.dynamic_client_registration.default_scope");
    assertEquals(0, body.get("client_secret_expires_at").asInt());
    assertEquals(body.get("registration_client_uri").asText(), r.headers().firstValue("Location").orElseThrow());
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
    assertFalse(body.has("metadata"));
  }

  @Test
  void readWhenRegistrationTokenThenClientWithoutSecretsElseInvalidToken() throws Exception {
    start(true);
    ClientInformation a = register(serviceMetadata());
    ClientInformation b = register(serviceMetadata());
    HTTPResponse ok = new ClientReadRequest(a.getRegistrationURI(), a.getRegistrationAccessToken()).toHTTPRequest()
        .send();
    assertEquals(200, ok.getStatusCode(), ok.getBody());
    ClientInformationResponse read = ClientInformationResponse.parse(ok);
    assertEquals(a.getID(), read.getClientInformation().getID());
    assertNull(read.getClientInformation().getSecret());
    assertNull(read.getClientInformation().getRegistrationAccessToken());
    assertEquals(a.getRegistrationURI(), read.getClientInformation().getRegistrationURI());
    // another client's token, a forged token, no token, an unknown client: the same 401 invalid_token
    for (HTTPResponse bad : List.of(
        new ClientReadRequest(a.getRegistrationURI(), b.getRegistrationAccessToken()).toHTTPRequest().send(),
        new ClientReadRequest(a.getRegistrationURI(), new BearerAccessToken(
            a.getRegistrationAccessToken().getValue() + "x")).toHTTPRequest().send(),
        new ClientReadRequest(URI.create(endpoint() + "/unknown"), a.getRegistrationAccessToken()).toHTTPRequest()
            .send())) {
      assertEquals("invalid_token", registrationError(bad, 401));
      assertTrue(bad.getHeaderValue("WWW-Authenticate").startsWith("Bearer "), bad.getHeaderValue("WWW-Authenticate"));
    }
    assertEquals("invalid_token", error(raw("GET", "/oauth2/register/" + a.getID().getValue(), null, null), 401));
    // a client made on the admin API has no registration access token
    JsonNode adminClient = s.admin("POST", "/admin/clients", "{}");
    assertEquals("invalid_token", error(raw("GET", "/oauth2/register/" + adminClient.get("client_id").asText(),
        a.getRegistrationAccessToken().getValue(), null), 401));
  }

  @Test
  void updateWhenRegistrationTokenThenMetadataReplacedTokenRotatedSecretKept() throws Exception {
    start(true);
    ClientInformation a = register(serviceMetadata());
    ClientMetadata changed = serviceMetadata();
    changed.setName("Renamed");
    changed.setScope(new Scope("read"));
    HTTPResponse r = new ClientUpdateRequest(a.getRegistrationURI(), a.getID(), a.getRegistrationAccessToken(),
        changed, null).toHTTPRequest().send();
    assertEquals(200, r.getStatusCode(), r.getBody());
    ClientInformation updated = ClientInformationResponse.parse(r).getClientInformation();
    assertEquals("Renamed", updated.getMetadata().getName());
    assertNotNull(updated.getRegistrationAccessToken());
    assertNotEquals(a.getRegistrationAccessToken(), updated.getRegistrationAccessToken(), "rotated on update");
    assertEquals("invalid_token", registrationError(new ClientReadRequest(a.getRegistrationURI(),
        a.getRegistrationAccessToken()).toHTTPRequest().send(), 401), "the old token stops working");
    assertEquals(200, new ClientReadRequest(a.getRegistrationURI(), updated.getRegistrationAccessToken())
        .toHTTPRequest().send().getStatusCode());
    assertEquals("read", clientCredentials(a).getTokens().getAccessToken().getScope().toString(), "secret kept");
    // a client_secret in an update is refused (403, as Hydra), and so is another client's id
    HTTPResponse withSecret = new ClientUpdateRequest(a.getRegistrationURI(), a.getID(),
        updated.getRegistrationAccessToken(), changed, new com.nimbusds.oauth2.sdk.auth.Secret("my-own-secret"))
        .toHTTPRequest().send();
    assertEquals("request_forbidden", registrationError(withSecret, 403));
    HTTPResponse otherId = new ClientUpdateRequest(a.getRegistrationURI(), new com.nimbusds.oauth2.sdk.id.ClientID(
        "someone-else"), updated.getRegistrationAccessToken(), changed, null).toHTTPRequest().send();
    assertEquals("invalid_request", registrationError(otherId, 400));
    assertEquals("invalid_redirect_uri", error(raw("PUT", "/oauth2/register/" + a.getID().getValue(),
        updated.getRegistrationAccessToken().getValue(), TestServer.JSON.write(Map.of("redirect_uris",
            List.of("https://client.example/cb#fragment")))), 400));
    // a refused update leaves the token and the client as they were
    assertEquals("Renamed", ClientInformationResponse.parse(new ClientReadRequest(a.getRegistrationURI(),
        updated.getRegistrationAccessToken()).toHTTPRequest().send()).getClientInformation().getMetadata().getName());
  }

  @Test
  void deleteWhenRegistrationTokenThenClientAndItsTokensGone() throws Exception {
    start(true);
    ClientInformation a = register(serviceMetadata());
    String access = clientCredentials(a).getTokens().getAccessToken().getValue();
    HTTPResponse wrong = new ClientDeleteRequest(a.getRegistrationURI(), new BearerAccessToken("ory_at_a.b"))
        .toHTTPRequest().send();
    assertEquals("invalid_token", registrationError(wrong, 401));
    HTTPResponse r = new ClientDeleteRequest(a.getRegistrationURI(), a.getRegistrationAccessToken()).toHTTPRequest()
        .send();
    assertEquals(204, r.getStatusCode(), r.getBody());
    assertTrue(s.provider.getClient(new ClientId(a.getID().getValue())).isEmpty());
    assertFalse(s.provider.introspect(access).active());
    assertEquals("invalid_token", registrationError(new ClientReadRequest(a.getRegistrationURI(),
        a.getRegistrationAccessToken()).toHTTPRequest().send(), 401));
  }

  @Test
  void registerWhenFieldsTheServerControlsThenRefusedWithTheirErrors() throws Exception {
    start(true);
    record Case(Map<String, Object> body, int status, String error) {}
    List<Case> cases = List.of(
        new Case(Map.of("client_secret", "my-own-secret"), 400, "invalid_request"),
        new Case(Map.of("metadata", Map.of("tier", "gold")), 400, "invalid_client_metadata"),
        new Case(Map.of("access_token_strategy", "jwt"), 400, "invalid_request"),
        new Case(Map.of("skip_consent", true), 400, "invalid_request"),
        new Case(Map.of("redirect_uris", List.of("https://client.example/cb#frag")), 400, "invalid_redirect_uri"),
        new Case(Map.of("redirect_uris", List.of("relative/cb")), 400, "invalid_redirect_uri"),
        new Case(Map.of("token_endpoint_auth_method", "magic"), 400, "invalid_client_metadata"),
        new Case(Map.of("grant_types", List.of("password")), 400, "invalid_client_metadata"),
        new Case(Map.of("redirect_uris", "not-a-list"), 400, "invalid_client_metadata"));
    for (Case c : cases) {
      java.net.http.HttpResponse<String> r = raw("POST", "/oauth2/register", null, TestServer.JSON.write(c.body()));
      assertEquals(c.error(), error(r, c.status()), c.body() + " -> " + r.body());
    }
    assertEquals("invalid_request", error(raw("POST", "/oauth2/register", null, "[1, 2]"), 400));
    assertEquals("invalid_request", error(raw("POST", "/oauth2/register", null, "{not json"), 400));
    assertEquals(0, store.list(io.ory4j.core.storage.PageRequest.first(10)).items().size(), "nothing was created");
    // Nimbus reads the RFC 7591 error
    ClientMetadata bad = serviceMetadata();
    bad.setCustomField("metadata", Map.of("tier", "gold"));
    assertEquals("invalid_client_metadata", registrationError(new ClientRegistrationRequest(endpoint(), bad, null)
        .toHTTPRequest().send(), 400));
  }
}
