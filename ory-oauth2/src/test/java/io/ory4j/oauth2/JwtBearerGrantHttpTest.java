package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JWT bearer grant (RFC 7523 section 2.1) and Hydra's {@code /admin/trust/grants/jwt-bearer/issuers} over HTTP,
 * with Nimbus building and signing the assertions and sending the token requests.
 */
class JwtBearerGrantHttpTest {

  private static final String TRUST = "/admin/trust/grants/jwt-bearer/issuers";
  private static final String IDP = "https://jwt-idp.example.com";

  private TestServer s;
  private String clientId;
  private String secret;
  private ECKey key;

  private void start(UnaryOperator<OAuth2Provider.Builder> customize) throws Exception {
    s = new TestServer(customize);
    key = new ECKeyGenerator(Curve.P_256).keyID("idp-key-1").generate();
    JsonNode c = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "grant_types", List.of(JwtBearerGrantHttpTest.GRANT), "scope", "read write admin",
        "audience", List.of("https://api.example"))));
    clientId = c.get("client_id").asText();
    secret = c.get("client_secret").asText();
  }

  private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  private void start() throws Exception {
    start(b -> b.jwtBearerGrant(JwtBearerSettings.defaults()));
  }

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  private Map<String, Object> trustBody(String subject, boolean any, List<String> scope, ECKey k, Instant expires) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("issuer", IDP);
    if (subject != null) {
      m.put("subject", subject);
    }
    m.put("allow_any_subject", any);
    m.put("scope", scope);
    m.put("jwk", k.toPublicJWK().toJSONObject());
    m.put("expires_at", expires.toString());
    return m;
  }

  private JsonNode trust(String subject, boolean any, List<String> scope) {
    return s.admin("POST", TRUST, TestServer.JSON.write(trustBody(subject, any, scope, key,
        s.clock.instant().plus(Duration.ofDays(1)))));
  }

  private JWTClaimsSet.Builder claims(String sub) {
    Instant now = s.clock.instant();
    return new JWTClaimsSet.Builder().issuer(IDP).subject(sub).audience(s.base + "/oauth2/token")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
        .jwtID(java.util.UUID.randomUUID().toString());
  }

  private static SignedJWT sign(ECKey k, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(k.getKeyID()).build(), claims);
    jwt.sign(new ECDSASigner(k));
    return jwt;
  }

  private HTTPResponse exchange(SignedJWT assertion, String scope) throws Exception {
    return new TokenRequest(URI.create(s.base + "/oauth2/token"), new ClientSecretBasic(new ClientID(clientId),
        new Secret(secret)), new JWTBearerGrant(assertion), scope == null ? null : new Scope(scope.split(" ")))
        .toHTTPRequest().send();
  }

  private static ErrorObject error(HTTPResponse r, int status, String code) throws Exception {
    assertEquals(status, r.getStatusCode(), r.getBody());
    ErrorObject e = TokenResponse.parse(r).toErrorResponse().getErrorObject();
    assertEquals(code, e.getCode(), r.getBody());
    return e;
  }

  private JsonNode introspect(String token) {
    return TestServer.JSON.readTree(s.send("POST", "/admin/oauth2/introspect", "token=" + TestServer.enc(token),
        "application/x-www-form-urlencoded").body());
  }

  /** A token request the client sends with HTTP Basic authentication and a hand-written form. */
  private java.net.http.HttpResponse<String> rawToken(String form) throws Exception {
    return s.http.send(java.net.http.HttpRequest.newBuilder(URI.create(s.base + "/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", new ClientSecretBasic(new ClientID(clientId), new Secret(secret))
            .toHTTPAuthorizationHeader())
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  // -------------------------------------------------------------------------------------------------------------
  // Admin API

  @Test
  void trustWhenCreatedThenHydraJsonAndGetListDelete() throws Exception {
    start();
    java.net.http.HttpResponse<String> created = s.send("POST", TRUST, TestServer.JSON.write(trustBody("alice",
        false, List.of("read", "write"), key, Instant.parse("2026-02-01T10:00:00.4Z"))), "application/json");
    assertEquals(201, created.statusCode(), created.body());
    JsonNode t = TestServer.JSON.readTree(created.body());
    String id = t.get("id").asText();
    assertEquals(TRUST + "/" + id, created.headers().firstValue("Location").orElseThrow());
    assertEquals(IDP, t.get("issuer").asText());
    assertEquals("alice", t.get("subject").asText());
    assertFalse(t.get("allow_any_subject").asBoolean());
    assertEquals(List.of("read", "write"), TestServer.JSON.read(t.get("scope").toString(), List.class));
    assertEquals(IDP, t.at("/public_key/set").asText());
    assertEquals("idp-key-1", t.at("/public_key/kid").asText());
    assertEquals("2026-01-01T00:00:00Z", t.get("created_at").asText());
    assertEquals("2026-02-01T10:00:00Z", t.get("expires_at").asText(), "rounded to the second, as Hydra");
    assertEquals(java.util.Set.of("id", "issuer", "subject", "allow_any_subject", "scope", "public_key",
        "created_at", "expires_at"), java.util.Set.copyOf(iterable(t.fieldNames())));

    assertEquals(t, s.admin("GET", TRUST + "/" + id, null));
    JsonNode second = s.admin("POST", TRUST, TestServer.JSON.write(trustBody(null, true, List.of("read"),
        new ECKeyGenerator(Curve.P_256).keyID("idp-key-2").generate(), s.clock.instant().plusSeconds(60))));
    java.net.http.HttpResponse<String> page = s.send("GET", TRUST + "?page_size=1", null, null);
    assertEquals(200, page.statusCode());
    assertEquals(1, TestServer.JSON.readTree(page.body()).size());
    assertTrue(page.headers().firstValue("Link").orElseThrow().contains("rel=\"next\""));
    assertEquals(2, s.admin("GET", TRUST, null).size());
    assertEquals(0, s.admin("GET", TRUST + "?issuer=" + TestServer.enc("https://other.example"), null).size());
    assertEquals(2, s.admin("GET", TRUST + "?issuer=" + TestServer.enc(IDP), null).size());

    assertEquals(204, s.send("DELETE", TRUST + "/" + id, null, null).statusCode());
    assertEquals(404, s.send("GET", TRUST + "/" + id, null, null).statusCode());
    assertEquals(404, s.send("DELETE", TRUST + "/" + id, null, null).statusCode());
    assertEquals(1, s.admin("GET", TRUST, null).size());
    assertEquals(second.get("id"), s.admin("GET", TRUST, null).get(0).get("id"));
  }

  private static <T> List<T> iterable(java.util.Iterator<T> it) {
    List<T> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private void assertRefused(Map<String, Object> body, int status, String error, String hint) {
    java.net.http.HttpResponse<String> r = s.send("POST", TRUST, TestServer.JSON.write(body), "application/json");
    assertEquals(status, r.statusCode(), r.body());
    JsonNode e = TestServer.JSON.readTree(r.body());
    if (error != null) {
      assertEquals(error, e.get("error").asText(), r.body());
    }
    if (hint != null) {
      assertTrue(r.body().contains(hint), r.body());
    }
  }

  @Test
  void trustWhenInvalidThenHydraErrors() throws Exception {
    start();
    Instant exp = s.clock.instant().plusSeconds(3600);
    Map<String, Object> ok = trustBody("alice", false, List.of("read"), key, exp);
    Map<String, Object> b = new LinkedHashMap<>(ok);
    b.remove("issuer");
    assertRefused(b, 400, "missing_required_parameter", "Field 'issuer' is required.");
    b = new LinkedHashMap<>(ok);
    b.remove("subject");
    assertRefused(b, 400, "missing_required_parameter", "One of 'subject' or 'allow_any_subject' field must be set.");
    b = new LinkedHashMap<>(ok);
    b.put("allow_any_subject", true);
    assertRefused(b, 400, "missing_required_parameter",
        "Both 'subject' and 'allow_any_subject' fields cannot be set at the same time.");
    b = new LinkedHashMap<>(ok);
    b.remove("expires_at");
    assertRefused(b, 400, "missing_required_parameter", "Field 'expires_at' is required.");
    b = new LinkedHashMap<>(ok);
    Map<String, Object> noKid = new LinkedHashMap<>(key.toPublicJWK().toJSONObject());
    noKid.remove("kid");
    b.put("jwk", noKid);
    assertRefused(b, 400, "missing_required_parameter", "Field 'jwk' must contain JWK with kid header.");
    b = new LinkedHashMap<>(ok);
    b.put("jwk", key.toJSONObject());
    assertRefused(b, 400, "invalid_request", "public");
    b = new LinkedHashMap<>(ok);
    b.put("jwk", Map.of("kty", "oct", "kid", "k", "k", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"));
    assertRefused(b, 400, "invalid_request", "public");
    b = new LinkedHashMap<>(ok);
    b.put("expires_at", "tomorrow");
    assertRefused(b, 400, "invalid_request", "expires_at");
    b = new LinkedHashMap<>(ok);
    b.put("scope", "read write");
    assertRefused(b, 400, "invalid_request", "scope");
    java.net.http.HttpResponse<String> r = s.send("POST", TRUST, "{not json", "application/json");
    assertEquals(400, r.statusCode(), r.body());
    s.admin("POST", TRUST, TestServer.JSON.write(ok));
    assertRefused(ok, 409, null, "exists already");
    assertEquals(1, s.admin("GET", TRUST, null).size(), "the duplicate was not stored");
  }

  // -------------------------------------------------------------------------------------------------------------
  // The grant

  @Test
  void grantWhenTrustedThenAccessTokenForTheAssertionSubject() throws Exception {
    start();
    trust("alice", false, List.of("read", "write"));
    HTTPResponse r = exchange(sign(key, claims("alice").build()), "read");
    assertEquals(200, r.getStatusCode(), r.getBody());
    AccessTokenResponse ok = TokenResponse.parse(r).toSuccessResponse();
    assertNull(ok.getTokens().getRefreshToken(), "no refresh token, as Hydra");
    assertEquals("Bearer", ok.getTokens().getAccessToken().getType().getValue());
    JsonNode info = introspect(ok.getTokens().getAccessToken().getValue());
    assertTrue(info.get("active").asBoolean());
    assertEquals("alice", info.get("sub").asText());
    assertEquals("read", info.get("scope").asText());
    assertEquals(clientId, info.get("client_id").asText());
  }

  @Test
  void grantWhenAnySubjectAllowedThenEverySubjectAndTheAssertionAudience() throws Exception {
    start();
    trust(null, true, List.of("read"));
    HTTPResponse r = new TokenRequest.Builder(URI.create(s.base + "/oauth2/token"), new ClientSecretBasic(
        new ClientID(clientId), new Secret(secret)), new JWTBearerGrant(sign(key, claims("bob")
        .audience(List.of(s.base + "/oauth2/token", "https://resource.example")).build())))
        .scope(new Scope("read")).customParameter("audience", "https://api.example").build().toHTTPRequest().send();
    assertEquals(200, r.getStatusCode(), r.getBody());
    JsonNode info = introspect(TokenResponse.parse(r).toSuccessResponse().getTokens().getAccessToken().getValue());
    assertEquals("bob", info.get("sub").asText());
    assertEquals(List.of(s.base + "/oauth2/token", "https://resource.example"),
        TestServer.JSON.read(info.get("aud").toString(), List.class), "the assertion's audience, as Hydra");
    HTTPResponse bad = new TokenRequest.Builder(URI.create(s.base + "/oauth2/token"), new ClientSecretBasic(
        new ClientID(clientId), new Secret(secret)), new JWTBearerGrant(sign(key, claims("bob").build())))
        .customParameter("audience", "https://elsewhere.example").build().toHTTPRequest().send();
    error(bad, 400, "invalid_request");
  }

  @Test
  void grantWhenAssertionClaimsAreWrongThenHydraErrors() throws Exception {
    start();
    trust("alice", false, List.of("read"));
    Instant now = s.clock.instant();
    assertTrue(error(exchange(sign(key, claims("alice").issuer(null).build()), null), 400, "invalid_grant")
        .getDescription().contains("(issuer) claim"));
    assertTrue(error(exchange(sign(key, claims("alice").subject(null).build()), null), 400, "invalid_grant")
        .getDescription().contains("(subject) claim"));
    assertTrue(error(exchange(sign(key, claims("carol").build()), null), 400, "invalid_grant")
        .getDescription().contains("No public JWK was registered for issuer"));
    assertTrue(error(exchange(sign(key, claims("alice").issuer("https://evil.example").build()), null), 400,
        "invalid_grant").getDescription().contains("No public JWK"));
    ECKey other = new ECKeyGenerator(Curve.P_256).keyID("idp-key-1").generate();
    assertTrue(error(exchange(sign(other, claims("alice").build()), null), 400, "invalid_grant")
        .getDescription().contains("Unable to verify the integrity"));
    ECKey unknownKid = new ECKeyGenerator(Curve.P_256).keyID("idp-key-9").generate();
    error(exchange(sign(unknownKid, claims("alice").build()), null), 400, "invalid_grant");
    assertTrue(error(exchange(sign(key, claims("alice").audience(List.of()).build()), null), 400, "invalid_grant")
        .getDescription().contains("(audience) claim."));
    assertTrue(error(exchange(sign(key, claims("alice").audience(s.base).build()), null), 400, "invalid_grant")
        .getDescription().contains(s.base + "/oauth2/token"));
    assertTrue(error(exchange(sign(key, claims("alice").expirationTime(null).build()), null), 400, "invalid_grant")
        .getDescription().contains("(expiration time) claim."));
    assertTrue(error(exchange(sign(key, claims("alice").issueTime(Date.from(now.minusSeconds(600)))
        .expirationTime(Date.from(now.minusSeconds(1))).build()), null), 400, "invalid_grant")
        .getDescription().contains("expired"));
    assertTrue(error(exchange(sign(key, claims("alice").notBeforeTime(Date.from(now.plusSeconds(30))).build()), null),
        400, "invalid_grant").getDescription().contains("(not before) claim"));
    assertTrue(error(exchange(sign(key, claims("alice").issueTime(null).build()), null), 400, "invalid_grant")
        .getDescription().contains("(issued at) claim"));
    assertTrue(error(exchange(sign(key, claims("alice").expirationTime(Date.from(now.plus(Duration.ofHours(721))))
        .build()), null), 400, "invalid_grant").getDescription().contains("unreasonably far in the future"));
    assertTrue(error(exchange(sign(key, claims("alice").jwtID(null).build()), null), 400, "invalid_grant")
        .getDescription().contains("(JWT ID) claim"));
    HTTPResponse garbage = new TokenRequest(URI.create(s.base + "/oauth2/token"), new ClientSecretBasic(
        new ClientID(clientId), new Secret(secret)), new com.nimbusds.oauth2.sdk.JWTBearerGrant(
        SignedJWT.parse(sign(key, claims("alice").build()).serialize().replaceFirst("\\.[^.]*$", ".AAAA"))), null)
        .toHTTPRequest().send();
    error(garbage, 400, "invalid_grant");
    java.net.http.HttpResponse<String> none = rawToken("grant_type=" + TestServer.enc(GRANT));
    assertEquals(400, none.statusCode(), none.body());
    assertEquals("invalid_request", TestServer.JSON.readTree(none.body()).get("error").asText());
    java.net.http.HttpResponse<String> notJwt = rawToken("grant_type=" + TestServer.enc(GRANT)
        + "&assertion=not.a.jwt");
    assertEquals("invalid_grant", TestServer.JSON.readTree(notJwt.body()).get("error").asText(), notJwt.body());
    assertTrue(notJwt.body().contains("Unable to parse JSON Web Token"), notJwt.body());
  }

  @Test
  void grantWhenAssertionReplayedThenJtiKnown() throws Exception {
    start();
    trust("alice", false, List.of("read"));
    SignedJWT assertion = sign(key, claims("alice").build());
    assertEquals(200, exchange(assertion, "read").getStatusCode());
    error(exchange(assertion, "read"), 400, "jti_known");
  }

  @Test
  void grantWhenScopeOutsideTrustThenInvalidScopeAndTheClientScopesAreNotConsulted() throws Exception {
    start();
    trust("alice", false, List.of("read", "other"));
    assertTrue(error(exchange(sign(key, claims("alice").build()), "write"), 400, "invalid_scope").getDescription()
        .contains("is not allowed to request scope"));
    assertEquals(200, exchange(sign(key, claims("alice").build()), "other").getStatusCode(),
        "as Hydra, the relationship's scopes bound the request, not the client's");
    SignedJWT fresh = sign(key, claims("alice").build());
    error(exchange(fresh, "write"), 400, "invalid_scope");
    assertEquals(200, exchange(fresh, "read").getStatusCode(), "a refused request does not use up the jti");
  }

  @Test
  void grantWhenTrustExpiredOrDeletedThenInvalidGrant() throws Exception {
    start();
    JsonNode t = trust("alice", false, List.of("read"));
    s.clock.advance(Duration.ofDays(1).plusSeconds(1));
    error(exchange(sign(key, claims("alice").build()), null), 400, "invalid_grant");
    assertEquals(1, s.provider.janitor());
    assertEquals(404, s.send("GET", TRUST + "/" + t.get("id").asText(), null, null).statusCode());
  }

  @Test
  void grantWhenClientNotAllowedOrNotAuthenticatedThenRefused() throws Exception {
    start();
    trust("alice", false, List.of("read"));
    JsonNode cc = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of("grant_types",
        List.of("client_credentials"))));
    HTTPResponse r = new TokenRequest(URI.create(s.base + "/oauth2/token"), new ClientSecretBasic(new ClientID(
        cc.get("client_id").asText()), new Secret(cc.get("client_secret").asText())), new JWTBearerGrant(
        sign(key, claims("alice").build())), null).toHTTPRequest().send();
    error(r, 400, "unauthorized_client");
    HTTPResponse wrong = new TokenRequest(URI.create(s.base + "/oauth2/token"), new ClientSecretBasic(
        new ClientID(clientId), new Secret("wrong-secret")), new JWTBearerGrant(sign(key, claims("alice").build())),
        null).toHTTPRequest().send();
    error(wrong, 401, "invalid_client");
  }

  @Test
  void grantWhenOptionalIatAndJtiThenAcceptedWithoutThem() throws Exception {
    start(b -> b.jwtBearerGrant(JwtBearerSettings.defaults().withIatOptional(true).withJtiOptional(true)
        .withMaxTtl(Duration.ofMinutes(10))));
    trust("alice", false, List.of("read"));
    Instant now = s.clock.instant();
    assertEquals(200, exchange(sign(key, claims("alice").issueTime(null).jwtID(null).build()), "read")
        .getStatusCode());
    error(exchange(sign(key, claims("alice").issueTime(null).expirationTime(Date.from(now.plusSeconds(601)))
        .build()), null), 400, "invalid_grant");
  }

  @Test
  void discoveryWhenEnabledThenListsTheGrantElseUnsupported() throws Exception {
    start();
    OIDCProviderMetadata meta = OIDCProviderMetadata.parse(s.send("GET", "/.well-known/openid-configuration", null,
        null).body());
    assertTrue(meta.getGrantTypes().contains(com.nimbusds.oauth2.sdk.GrantType.JWT_BEARER));
    s.close();
    s = new TestServer();
    OIDCProviderMetadata off = OIDCProviderMetadata.parse(s.send("GET", "/.well-known/openid-configuration", null,
        null).body());
    assertFalse(off.getGrantTypes().contains(com.nimbusds.oauth2.sdk.GrantType.JWT_BEARER));
    java.net.http.HttpResponse<String> client = s.send("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "grant_types", List.of(GRANT))), "application/json");
    assertEquals(400, client.statusCode(), client.body());
    assertEquals("invalid_client_metadata", TestServer.JSON.readTree(client.body()).get("error").asText());
    JsonNode cc = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of("grant_types",
        List.of("client_credentials"))));
    java.net.http.HttpResponse<String> r = s.send("POST", "/oauth2/token", "grant_type=" + TestServer.enc(GRANT)
        + "&assertion=a.b.c&client_id=" + cc.get("client_id").asText() + "&client_secret="
        + cc.get("client_secret").asText(), "application/x-www-form-urlencoded");
    assertEquals("unsupported_grant_type", TestServer.JSON.readTree(r.body()).get("error").asText(), r.body());
  }
}
