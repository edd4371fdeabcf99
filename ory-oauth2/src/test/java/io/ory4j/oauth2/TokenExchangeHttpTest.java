package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.ory4j.oauth2.spi.TokenExchangeContext;
import io.ory4j.oauth2.spi.TokenExchangeDecision;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** OAuth 2.0 Token Exchange (RFC 8693) over HTTP, with Nimbus's {@link TokenExchangeGrant} as the client. */
class TokenExchangeHttpTest {

  private static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
  private static final String BACKEND = "https://backend.example";
  private static final String IDP = "https://partner-idp.example";

  private TestServer s;
  private String frontendId;
  private String frontendSecret;
  private String gatewayId;
  private String gatewaySecret;
  private final AtomicReference<Function<TokenExchangeContext, TokenExchangeDecision>> policy =
      new AtomicReference<>(ctx -> TokenExchangeDecision.permit());
  private final AtomicReference<TokenExchangeContext> lastContext = new AtomicReference<>();

  private void start(UnaryOperator<TokenExchangeSettings> settings) throws Exception {
    start(settings, true);
  }

  private void start(UnaryOperator<TokenExchangeSettings> settings, boolean enabled) throws Exception {
    TokenExchangeSettings ts = settings.apply(TokenExchangeSettings.defaults().withPolicy(ctx -> {
      lastContext.set(ctx);
      return policy.get().apply(ctx);
    }));
    s = new TestServer(b -> {
      b.tokenSettings(TokenSettings.defaults().withJwtAccessTokens(true)).jwtBearerGrant(JwtBearerSettings.defaults());
      return enabled ? b.tokenExchange(ts) : b;
    });
    JsonNode frontend = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "grant_types", List.of("client_credentials"), "scope", "read write admin")));
    frontendId = frontend.get("client_id").asText();
    frontendSecret = frontend.get("client_secret").asText();
    if (enabled) {
      JsonNode gateway = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
          "grant_types", List.of(GRANT, "client_credentials", "refresh_token"), "scope", "read write",
          "audience", List.of(BACKEND, "https://other.example"))));
      gatewayId = gateway.get("client_id").asText();
      gatewaySecret = gateway.get("client_secret").asText();
    }
  }

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  private String clientToken(String id, String secret, String scope) throws Exception {
    HTTPResponse r = new TokenRequest(URI.create(s.base + "/oauth2/token"), new ClientSecretBasic(new ClientID(id),
        new Secret(secret)), new ClientCredentialsGrant(), new Scope(scope.split(" "))).toHTTPRequest().send();
    assertEquals(200, r.getStatusCode(), r.getBody());
    return TokenResponse.parse(r).toSuccessResponse().getTokens().getAccessToken().getValue();
  }

  private String subjectToken() throws Exception {
    return clientToken(frontendId, frontendSecret, "read write");
  }

  private HTTPResponse exchange(String id, String secret, TokenExchangeGrant grant, Scope scope, URI... resources)
      throws Exception {
    TokenRequest.Builder b = new TokenRequest.Builder(URI.create(s.base + "/oauth2/token"),
        new ClientSecretBasic(new ClientID(id), new Secret(secret)), grant).scope(scope);
    if (resources.length > 0) {
      b.resources(resources);
    }
    return b.build().toHTTPRequest().send();
  }

  private HTTPResponse exchange(TokenExchangeGrant grant, Scope scope, URI... resources) throws Exception {
    return exchange(gatewayId, gatewaySecret, grant, scope, resources);
  }

  private static TokenExchangeGrant grant(String subject, TokenTypeURI type) {
    return new TokenExchangeGrant(new BearerAccessToken(subject), type);
  }

  private static TokenExchangeGrant grant(String subject, String actor, List<Audience> audience) {
    return new TokenExchangeGrant(new BearerAccessToken(subject), TokenTypeURI.ACCESS_TOKEN,
        actor == null ? null : new BearerAccessToken(actor), actor == null ? null : TokenTypeURI.ACCESS_TOKEN, null,
        audience);
  }

  private static AccessTokenResponse ok(HTTPResponse r) throws Exception {
    assertEquals(200, r.getStatusCode(), r.getBody());
    return TokenResponse.parse(r).toSuccessResponse();
  }

  private static void assertError(HTTPResponse r, String code) throws Exception {
    assertEquals(400, r.getStatusCode(), r.getBody());
    assertEquals(code, TokenErrorResponse.parse(r).getErrorObject().getCode(), r.getBody());
  }

  private JsonNode introspect(String token) {
    return TestServer.JSON.readTree(s.send("POST", "/admin/oauth2/introspect", "token=" + TestServer.enc(token),
        "application/x-www-form-urlencoded").body());
  }

  @Test
  void exchangeWhenDisabledThenUnsupportedGrantTypeAndNotAdvertised() throws Exception {
    start(UnaryOperator.identity(), false);
    HTTPResponse r = exchange(frontendId, frontendSecret, grant(subjectToken(), TokenTypeURI.ACCESS_TOKEN), null);
    assertError(r, "unsupported_grant_type");
    assertFalse(OIDCProviderMetadata.parse(TestServer.JSON.write(s.provider.discovery())).getGrantTypes().stream()
        .anyMatch(g -> g.getValue().equals(GRANT)));
  }

  @Test
  void exchangeWhenImpersonatingThenNarrowedTokenForTheTarget() throws Exception {
    start(UnaryOperator.identity());
    assertTrue(OIDCProviderMetadata.parse(TestServer.JSON.write(s.provider.discovery())).getGrantTypes().stream()
        .anyMatch(g -> g.getValue().equals(GRANT)));
    String subject = subjectToken();
    AccessTokenResponse r = ok(exchange(grant(subject, null, List.of(new Audience(BACKEND))), new Scope("read")));
    assertEquals(TokenTypeURI.ACCESS_TOKEN, r.getTokens().getAccessToken().getIssuedTokenType());
    assertNull(r.getTokens().getRefreshToken());
    String issued = r.getTokens().getAccessToken().getValue();
    JsonNode info = introspect(issued);
    assertTrue(info.get("active").asBoolean());
    assertEquals(frontendId, info.get("sub").asText(), "the new token is about the subject");
    assertEquals(gatewayId, info.get("client_id").asText());
    assertEquals("read", info.get("scope").asText());
    assertEquals(List.of(BACKEND), List.of(info.get("aud").get(0).asText()));
    assertFalse(info.has("act"), "impersonation: no actor");
    assertNull(SignedJWT.parse(issued).getJWTClaimsSet().getClaim("act"));
    TokenExchangeContext ctx = lastContext.get();
    assertEquals(frontendId, ctx.subject());
    assertEquals(new ClientId(frontendId), ctx.subjectClientId());
    assertEquals(s.base, ctx.subjectIssuer());
    assertEquals(List.of("read", "write"), ctx.subjectScopes());
    // no scope asked: the subject token's scopes the client may have
    AccessTokenResponse all = ok(exchange(grant(subject, TokenTypeURI.JWT), null, URI.create(BACKEND)));
    assertEquals(new Scope("read", "write"), all.getTokens().getAccessToken().getScope());
  }

  @Test
  void exchangeWhenActorThenActClaimNestedAlongTheDelegationChain() throws Exception {
    start(UnaryOperator.identity());
    String subject = subjectToken();
    String gatewayOwn = clientToken(gatewayId, gatewaySecret, "read");
    String first = ok(exchange(grant(subject, gatewayOwn, List.of()), new Scope("read", "write"))).getTokens()
        .getAccessToken().getValue();
    @SuppressWarnings("unchecked")
    Map<String, Object> act = (Map<String, Object>) SignedJWT.parse(first).getJWTClaimsSet().getClaim("act");
    assertEquals(gatewayId, act.get("sub"));
    assertEquals(gatewayId, introspect(first).get("act").get("sub").asText());
    assertEquals(gatewayId, lastContext.get().actor());
    // the delegated token is exchanged again with another actor: the first actor is nested (RFC 8693 section 4.1)
    String frontendOwn = clientToken(frontendId, frontendSecret, "read");
    String second = ok(exchange(grant(first, frontendOwn, List.of()), new Scope("read"))).getTokens()
        .getAccessToken().getValue();
    JsonNode nested = introspect(second).get("act");
    assertEquals(frontendId, nested.get("sub").asText());
    assertEquals(gatewayId, nested.get("act").get("sub").asText());
    assertEquals(frontendId, introspect(second).get("sub").asText());
  }

  @Test
  void exchangeWhenRequestInvalidThenRfc8693Errors() throws Exception {
    start(UnaryOperator.identity());
    String subject = subjectToken();
    String token = s.base + "/oauth2/token";
    Map<String, String> base = Map.of("grant_type", GRANT, "subject_token", subject, "subject_token_type",
        TokenTypeURI.ACCESS_TOKEN.getURI().toString());
    record Case(Map<String, String> change, String error) {}
    List<Case> cases = List.of(
        new Case(Map.of("subject_token", ""), "invalid_request"),
        new Case(Map.of("subject_token_type", ""), "invalid_request"),
        new Case(Map.of("subject_token", "ory_at_unknown.token"), "invalid_request"),
        new Case(Map.of("subject_token", "not-a-token"), "invalid_request"),
        new Case(Map.of("subject_token_type", "urn:ietf:params:oauth:token-type:saml2"), "invalid_request"),
        new Case(Map.of("subject_token_type", TokenTypeURI.JWT.getURI().toString(), "subject_token",
            "ory_at_a.b"), "invalid_request"),
        new Case(Map.of("actor_token", subject), "invalid_request"),
        new Case(Map.of("actor_token_type", TokenTypeURI.ACCESS_TOKEN.getURI().toString()), "invalid_request"),
        new Case(Map.of("requested_token_type", TokenTypeURI.REFRESH_TOKEN.getURI().toString()), "invalid_request"),
        new Case(Map.of("requested_token_type", TokenTypeURI.SAML2.getURI().toString()), "invalid_request"),
        new Case(Map.of("scope", "admin"), "invalid_scope"),
        new Case(Map.of("scope", "read delete"), "invalid_scope"),
        new Case(Map.of("audience", "https://not-allowed.example"), "invalid_target"),
        new Case(Map.of("resource", "https://backend.example#frag"), "invalid_target"),
        new Case(Map.of("resource", "relative/path"), "invalid_target"),
        new Case(Map.of("resource", "https://unlisted.example"), "invalid_target"));
    for (Case c : cases) {
      Map<String, String> form = new LinkedHashMap<>(base);
      form.putAll(c.change());
      StringBuilder body = new StringBuilder();
      form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
          .append(TestServer.enc(v)));
      java.net.http.HttpResponse<String> r = s.http.send(java.net.http.HttpRequest.newBuilder(URI.create(token))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("Authorization", new ClientSecretBasic(new ClientID(gatewayId), new Secret(gatewaySecret))
              .toHTTPAuthorizationHeader())
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString())).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(400, r.statusCode(), c + " -> " + r.body());
      assertEquals(c.error(), TestServer.JSON.readTree(r.body()).get("error").asText(), c + " -> " + r.body());
    }
    // expired and revoked subject tokens
    s.provider.revoke(new ClientId(frontendId), subject);
    assertError(exchange(grant(subject, TokenTypeURI.ACCESS_TOKEN), null), "invalid_request");
    String fresh = subjectToken();
    s.clock.advance(Duration.ofHours(2));
    assertError(exchange(grant(fresh, TokenTypeURI.ACCESS_TOKEN), null), "invalid_request");
  }

  @Test
  void exchangeWhenClientNotAllowedOrPolicyRefusesThenUnauthorizedClientOrItsError() throws Exception {
    start(UnaryOperator.identity());
    String subject = subjectToken();
    assertError(exchange(frontendId, frontendSecret, grant(subject, TokenTypeURI.ACCESS_TOKEN), null),
        "unauthorized_client");
    policy.set(ctx -> TokenExchangeDecision.invalidTarget("No tokens for the backend."));
    HTTPResponse target = exchange(grant(subject, null, List.of(new Audience(BACKEND))), null);
    assertError(target, "invalid_target");
    assertTrue(target.getBody().contains("No tokens for the backend."));
    policy.set(ctx -> TokenExchangeDecision.unauthorizedClient("Not this client."));
    assertError(exchange(grant(subject, TokenTypeURI.ACCESS_TOKEN), null), "unauthorized_client");
    policy.set(ctx -> ctx.actor() == null ? TokenExchangeDecision.invalidRequest("An actor is required.")
        : TokenExchangeDecision.permit());
    assertError(exchange(grant(subject, TokenTypeURI.ACCESS_TOKEN), null), "invalid_request");
    assertEquals(200, exchange(grant(subject, clientToken(gatewayId, gatewaySecret, "read"), List.of()), null)
        .getStatusCode());
    JsonNode publicClient = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "grant_types", List.of(GRANT), "token_endpoint_auth_method", "none", "scope", "read")));
    java.net.http.HttpResponse<String> r = s.send("POST", "/oauth2/token", "grant_type=" + TestServer.enc(GRANT)
        + "&client_id=" + publicClient.get("client_id").asText() + "&subject_token=" + TestServer.enc(subject)
        + "&subject_token_type=" + TestServer.enc(TokenTypeURI.ACCESS_TOKEN.getURI().toString()),
        "application/x-www-form-urlencoded");
    assertEquals("unauthorized_client", TestServer.JSON.readTree(r.body()).get("error").asText(), r.body());
  }

  @Test
  void exchangeWhenRefreshTokenAllowedThenIssuedWithTheActorKeptOnRefresh() throws Exception {
    start(t -> t.withRefreshTokens(true));
    String subject = subjectToken();
    TokenExchangeGrant g = new TokenExchangeGrant(new BearerAccessToken(subject), TokenTypeURI.ACCESS_TOKEN,
        new BearerAccessToken(clientToken(gatewayId, gatewaySecret, "read")), TokenTypeURI.ACCESS_TOKEN,
        TokenTypeURI.REFRESH_TOKEN, null);
    HTTPResponse raw = exchange(g, new Scope("read"));
    AccessTokenResponse r = ok(raw);
    assertEquals(TokenExchangeGrant.GRANT_TYPE.getValue(), GRANT);
    assertEquals(TokenTypeURI.REFRESH_TOKEN.getURI().toString(),
        TestServer.JSON.readTree(raw.getBody()).get("issued_token_type").asText());
    assertNotNull(r.getTokens().getRefreshToken());
    AccessTokenResponse refreshed = ok(new TokenRequest(URI.create(s.base + "/oauth2/token"), new ClientSecretBasic(
        new ClientID(gatewayId), new Secret(gatewaySecret)), new RefreshTokenGrant(r.getTokens().getRefreshToken()))
        .toHTTPRequest().send());
    JsonNode info = introspect(refreshed.getTokens().getAccessToken().getValue());
    assertEquals(gatewayId, info.get("act").get("sub").asText(), "the actor survives a refresh");
    assertEquals(frontendId, info.get("sub").asText());
  }

  private SignedJWT partnerJwt(ECKey key, String sub, Map<String, Object> mayAct) throws Exception {
    JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(IDP).subject(sub).audience(s.base)
        .issueTime(Date.from(s.clock.instant())).expirationTime(Date.from(s.clock.instant().plusSeconds(300)));
    if (mayAct != null) {
      c.claim("may_act", mayAct);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), c.build());
    jwt.sign(new ECDSASigner(key));
    return jwt;
  }

  @Test
  void exchangeWhenTrustedIssuerJwtThenAcceptedWithinTheRelationshipAndMayAct() throws Exception {
    start(t -> t.withTrustedIssuerJwts(true));
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("partner-1").generate();
    s.admin("POST", "/admin/trust/grants/jwt-bearer/issuers", TestServer.JSON.write(Map.of("issuer", IDP,
        "subject", "bob", "scope", List.of("read"), "jwk", key.toPublicJWK().toJSONObject(),
        "expires_at", s.clock.instant().plus(Duration.ofDays(1)).toString())));
    String jwt = partnerJwt(key, "bob", null).serialize();
    AccessTokenResponse r = ok(exchange(grant(jwt, TokenTypeURI.JWT), new Scope("read")));
    JsonNode info = introspect(r.getTokens().getAccessToken().getValue());
    assertEquals("bob", info.get("sub").asText());
    assertEquals(IDP, lastContext.get().subjectIssuer());
    assertNull(lastContext.get().subjectClientId());
    assertError(exchange(grant(jwt, TokenTypeURI.JWT), new Scope("write")), "invalid_scope");
    assertError(exchange(grant(partnerJwt(key, "carol", null).serialize(), TokenTypeURI.JWT), null),
        "invalid_request");
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("partner-1").generate();
    assertError(exchange(grant(partnerJwt(stranger, "bob", null).serialize(), TokenTypeURI.JWT), null),
        "invalid_request");
    assertError(exchange(grant(jwt, TokenTypeURI.ACCESS_TOKEN), null), "invalid_request");
    // may_act names who may act for bob
    String actor = clientToken(gatewayId, gatewaySecret, "read");
    String onlyFrontend = partnerJwt(key, "bob", Map.of("sub", frontendId)).serialize();
    TokenExchangeGrant delegated = new TokenExchangeGrant(new BearerAccessToken(onlyFrontend), TokenTypeURI.JWT,
        new BearerAccessToken(actor), TokenTypeURI.ACCESS_TOKEN, null, null);
    assertError(exchange(delegated, null), "invalid_request");
    String gatewayMay = partnerJwt(key, "bob", Map.of("sub", gatewayId)).serialize();
    assertEquals(200, exchange(new TokenExchangeGrant(new BearerAccessToken(gatewayMay), TokenTypeURI.JWT,
        new BearerAccessToken(actor), TokenTypeURI.ACCESS_TOKEN, null, null), null).getStatusCode());
    s.clock.advance(Duration.ofMinutes(10));
    assertError(exchange(grant(jwt, TokenTypeURI.JWT), null), "invalid_request");
  }

  private SignedJWT proof(com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory f, URI endpoint) throws Exception {
    return f.createDPoPJWT(new com.nimbusds.oauth2.sdk.id.JWTID(), "POST", endpoint, Date.from(s.clock.instant()),
        null);
  }

  @Test
  void exchangeWhenSubjectTokenIsDpopBoundThenOnlyWithAProofOfItsKey() throws Exception {
    s = new TestServer(b -> b.dpop(DpopSettings.enabled60s()).tokenExchange(TokenExchangeSettings.defaults()));
    JsonNode frontend = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "grant_types", List.of("client_credentials"), "scope", "read")));
    JsonNode gateway = s.admin("POST", "/admin/clients", TestServer.JSON.write(Map.of(
        "grant_types", List.of(GRANT), "scope", "read")));
    ECKey key = new ECKeyGenerator(Curve.P_256).generate();
    URI endpoint = URI.create(s.base + "/oauth2/token");
    com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory proofs =
        new com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
    com.nimbusds.oauth2.sdk.http.HTTPRequest cc = new TokenRequest(endpoint, new ClientSecretBasic(
        new ClientID(frontend.get("client_id").asText()), new Secret(frontend.get("client_secret").asText())),
        new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest();
    cc.setDPoP(proof(proofs, endpoint));
    String bound = ok(cc.send()).getTokens().getAccessToken().getValue();
    assertNotNull(introspect(bound).get("cnf").get("jkt"));
    TokenRequest exchange = new TokenRequest(endpoint, new ClientSecretBasic(
        new ClientID(gateway.get("client_id").asText()), new Secret(gateway.get("client_secret").asText())),
        grant(bound, TokenTypeURI.ACCESS_TOKEN), null);
    assertError(exchange.toHTTPRequest().send(), "invalid_request");
    com.nimbusds.oauth2.sdk.http.HTTPRequest otherKey = exchange.toHTTPRequest();
    otherKey.setDPoP(proof(new com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256)
        .generate(), JWSAlgorithm.ES256), endpoint));
    assertError(otherKey.send(), "invalid_request");
    com.nimbusds.oauth2.sdk.http.HTTPRequest withProof = exchange.toHTTPRequest();
    withProof.setDPoP(proof(proofs, endpoint));
    String exchanged = ok(withProof.send()).getTokens().getAccessToken().getValue();
    assertEquals(introspect(bound).get("cnf").get("jkt"), introspect(exchanged).get("cnf").get("jkt"),
        "the exchanged token stays bound to the key");
  }

  @Test
  void exchangeWhenTrustedIssuerJwtsOffThenRefused() throws Exception {
    start(UnaryOperator.identity());
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("partner-1").generate();
    s.admin("POST", "/admin/trust/grants/jwt-bearer/issuers", TestServer.JSON.write(Map.of("issuer", IDP,
        "subject", "bob", "scope", List.of("read"), "jwk", key.toPublicJWK().toJSONObject(),
        "expires_at", s.clock.instant().plus(Duration.ofDays(1)).toString())));
    assertError(exchange(grant(partnerJwt(key, "bob", null).serialize(), TokenTypeURI.JWT), null),
        "invalid_request");
  }
}
