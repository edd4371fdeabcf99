package io.ory4j.testkit.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.core.store.jdbc.JdbcJwkSetStore;
import io.ory4j.oauth2.AcceptConsent;
import io.ory4j.oauth2.AcceptLogin;
import io.ory4j.oauth2.ConsentSettings;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.oauth2.TokenResponse;
import io.ory4j.oauth2.store.jdbc.JdbcClientStore;
import io.ory4j.oauth2.store.jdbc.JdbcFlowStore;
import io.ory4j.oauth2.store.jdbc.JdbcJtiStore;
import io.ory4j.oauth2.store.jdbc.JdbcTokenStore;
import io.ory4j.testkit.TestClock;
import io.ory4j.testkit.jdbc.EphemeralDatabase;
import io.ory4j.testkit.jdbc.TestDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Two providers over one database behave as one provider; a code redeemed concurrently is redeemed once. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class SharedDatabaseProviderTest {

  private static final String ISSUER = "https://auth.example.com";
  private static final String REDIRECT = "https://app.example/cb";

  @Parameter
  TestDatabase database;

  private EphemeralDatabase db;
  private OAuth2Provider p1;
  private OAuth2Provider p2;
  private final TestClock clock = TestClock.fixed();

  @BeforeEach
  void open() {
    db = database.open().migrate("core", "oauth2");
    p1 = provider();
    p2 = provider();
  }

  private OAuth2Provider provider() {
    return OAuth2Provider.builder().issuer(ISSUER).clock(clock)
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789"))
        .clientStore(new JdbcClientStore(db.jdbc())).flowStore(new JdbcFlowStore(db.jdbc()))
        .tokenStore(new JdbcTokenStore(db.jdbc())).jwkSetStore(new JdbcJwkSetStore(db.jdbc()))
        .jtiStore(new JdbcJtiStore(db.jdbc()))
        .trustedIssuerStore(new io.ory4j.oauth2.store.jdbc.JdbcTrustedIssuerStore(db.jdbc()))
        .jwtBearerGrant(io.ory4j.oauth2.JwtBearerSettings.defaults()).dpop(io.ory4j.oauth2.DpopSettings.enabled60s())
        .dynamicClientRegistration(io.ory4j.oauth2.DynamicClientRegistrationSettings.defaults())
        .tokenExchange(io.ory4j.oauth2.TokenExchangeSettings.defaults())
        .deviceAuthorization(io.ory4j.oauth2.DeviceSettings.of(URI.create("https://login.example/device"),
            URI.create("https://login.example/done"))).consentSettings(ConsentSettings.at(URI.create("https://login.example"))).build();
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  private static String basic(CreatedClient c) {
    return "Basic " + Base64.getEncoder().encodeToString((c.client().id().value() + ":" + c.secret())
        .getBytes(StandardCharsets.UTF_8));
  }

  private static HttpRequest form(String path, String body, String authorization) {
    return HttpRequest.builder().method("POST").scheme("https").host("auth.example.com").path(path)
        .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", authorization)
        .body(body).build();
  }

  private static Map<String, String> query(String url) {
    Map<String, String> m = new LinkedHashMap<>();
    HttpRequest.parseQuery(URI.create(url).getRawQuery()).forEach((k, v) -> m.put(k, v.get(0)));
    return m;
  }

  private static HttpResponse browse(OAuth2Provider p, String url, Map<String, String> cookies) {
    URI u = URI.create(url);
    HttpRequest.Builder b = HttpRequest.builder().method("GET").scheme("https").host("auth.example.com")
        .target(u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    cookies.forEach(b::cookie);
    HttpResponse r = p.publicApi().handle(b.build());
    for (List<String> values : List.of(r.headers().getOrDefault("Set-Cookie", List.of()))) {
      for (String sc : values) {
        String nv = sc.split(";", 2)[0];
        cookies.put(nv.substring(0, nv.indexOf('=')), nv.substring(nv.indexOf('=') + 1));
      }
    }
    return r;
  }

  /** Runs a flow that starts on p1, is answered on p2 and p1, and finishes on p2; returns the code. */
  private String code(CreatedClient c) {
    Map<String, String> cookies = new LinkedHashMap<>();
    HttpResponse r = browse(p1, ISSUER + "/oauth2/auth?response_type=code&client_id=" + c.client().id()
        + "&redirect_uri=" + REDIRECT + "&scope=openid%20offline&state=state-12345", cookies);
    assertEquals(302, r.status());
    String login = query(r.header("Location").orElseThrow()).get("login_challenge");
    String next = p2.acceptLogin(login, AcceptLogin.subject("alice")).redirectTo();
    r = browse(p1, next, cookies);
    String consent = query(r.header("Location").orElseThrow()).get("consent_challenge");
    next = p1.acceptConsent(consent, AcceptConsent.scopes(List.of("openid", "offline"))).redirectTo();
    r = browse(p2, next, cookies);
    assertEquals(303, r.status(), r.bodyText());
    return query(r.header("Location").orElseThrow()).get("code");
  }

  private CreatedClient client() {
    return p1.createClient(OAuth2Client.builder().grantTypes("authorization_code", "refresh_token",
        "client_credentials").redirectUris(REDIRECT).scope("openid offline read").build());
  }

  @Test
  void dynamicClientWhenRegisteredOnOneProviderThenManagedOnTheOtherWithTheRotatedToken() {
    io.ory4j.core.json.OryJson json = io.ory4j.core.json.OryJson.create();
    io.ory4j.oauth2.RegisteredClient r = p1.registerClient(json.readTree("{\"grant_types\":[\"client_credentials\"],"
        + "\"scope\":\"read\"}"));
    String id = r.client().id().value();
    assertEquals(r.client(), p2.registeredClient(id, r.registrationAccessToken()).client());
    io.ory4j.oauth2.RegisteredClient updated = p2.updateRegisteredClient(id, r.registrationAccessToken(),
        json.readTree("{\"grant_types\":[\"client_credentials\"],\"scope\":\"read\","
            + "\"client_name\":\"renamed\"}"));
    OAuth2Exception old = org.junit.jupiter.api.Assertions.assertThrows(OAuth2Exception.class,
        () -> p1.registeredClient(id, r.registrationAccessToken()));
    assertEquals("invalid_token", old.toOAuth2Error().error(), "the rotated token is refused on the other provider");
    assertEquals("renamed", p1.registeredClient(id, updated.registrationAccessToken()).client().clientName());
    assertTrue(p2.clientCredentials(r.client().id(), r.secret(), List.of("read"), List.of()).accessToken()
        .startsWith("ory_at_"), "the secret from the registration works on the other provider");
    p1.deleteRegisteredClient(id, updated.registrationAccessToken());
    assertTrue(p2.getClient(r.client().id()).isEmpty());
  }

  @Test
  void tokenExchangeWhenSubjectTokenFromOneProviderThenExchangedOnTheOther() {
    CreatedClient subjectClient = client();
    CreatedClient gateway = p1.createClient(OAuth2Client.builder()
        .grantTypes("urn:ietf:params:oauth:grant-type:token-exchange").scope("read").build());
    TokenResponse subject = p1.clientCredentials(subjectClient.client().id(), subjectClient.secret(), List.of("read"),
        List.of());
    TokenResponse exchanged = p2.token(form("/oauth2/token", "grant_type="
        + "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=" + subject.accessToken()
        + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token", basic(gateway)));
    assertEquals("urn:ietf:params:oauth:token-type:access_token", exchanged.issuedTokenType());
    assertEquals(subjectClient.client().id().value(), p1.introspect(exchanged.accessToken()).sub());
  }

  @Test
  void tokenWhenIssuedByOneProviderThenIntrospectedAndRevokedByTheOther() {
    CreatedClient c = client();
    TokenResponse t = p1.clientCredentials(c.client().id(), c.secret(), List.of("read"), List.of());
    assertTrue(p2.introspect(t.accessToken()).active());
    p2.revoke(c.client().id(), t.accessToken());
    assertFalse(p1.introspect(t.accessToken()).active());
  }

  @Test
  void jwtAccessTokenWhenRs256ThenStoredIntrospectedAndRevokedAcrossProviders() {
    OAuth2Provider j1 = OAuth2Provider.builder().issuer(ISSUER).clock(clock)
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789"))
        .tokenSettings(io.ory4j.oauth2.TokenSettings.defaults().withJwtAccessTokens(true))
        .clientStore(new JdbcClientStore(db.jdbc())).flowStore(new JdbcFlowStore(db.jdbc()))
        .tokenStore(new JdbcTokenStore(db.jdbc())).jwkSetStore(new JdbcJwkSetStore(db.jdbc())).build();
    CreatedClient c = client();
    TokenResponse t = j1.clientCredentials(c.client().id(), c.secret(), List.of("read"), List.of());
    assertEquals(3, t.accessToken().split("\\.").length);
    assertTrue(p2.introspect(t.accessToken()).active());
    p2.revoke(c.client().id(), t.accessToken());
    assertFalse(j1.introspect(t.accessToken()).active());
  }

  @Test
  void flowWhenStartedOnOneProviderThenFinishesOnTheOther() {
    CreatedClient c = client();
    String code = code(c);
    TokenResponse t = p1.token(form("/oauth2/token", "grant_type=authorization_code&code=" + code
        + "&redirect_uri=" + REDIRECT, basic(c)));
    assertTrue(p2.introspect(t.accessToken()).active());
    assertEquals("alice", p2.introspect(t.accessToken()).sub());
    TokenResponse refreshed = p2.token(form("/oauth2/token", "grant_type=refresh_token&refresh_token="
        + t.refreshToken(), basic(c)));
    assertFalse(p1.introspect(t.accessToken()).active());
    assertTrue(p1.introspect(refreshed.accessToken()).active());
  }

  @Test
  void codeWhenRedeemedInParallelOnTwoProvidersThenExactlyOneWins() throws Exception {
    CreatedClient c = client();
    List<TokenResponse> wins = tokenRace(c, "grant_type=authorization_code&code=" + code(c) + "&redirect_uri="
        + REDIRECT);
    assertEquals(1, wins.size());
    assertFalse(p1.introspect(wins.get(0).accessToken()).active(), "the replays revoked what the first use issued");
    assertFalse(p2.introspect(wins.get(0).refreshToken()).active());
  }

  /**
   * Sends {@code body} to the token endpoint from six threads released at once, alternating the two providers;
   * answers the successful responses (every refusal must be {@code invalid_grant}).
   */
  private List<TokenResponse> tokenRace(CreatedClient c, String body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<TokenResponse>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        OAuth2Provider p = i % 2 == 0 ? p1 : p2;
        Callable<TokenResponse> task = () -> {
          go.await();
          try {
            return p.token(form("/oauth2/token", body, basic(c)));
          } catch (OAuth2Exception e) {
            assertEquals("invalid_grant", e.toOAuth2Error().error());
            return null;
          }
        };
        results.add(pool.submit(task));
      }
      go.countDown();
      List<TokenResponse> wins = new ArrayList<>();
      for (Future<TokenResponse> f : results) {
        TokenResponse t = f.get();
        if (t != null) {
          wins.add(t);
        }
      }
      return wins;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refreshTokenWhenRotatedInParallelOnTwoProvidersThenAtMostOneWinsAndNoSuccessorStaysLive()
      throws Exception {
    CreatedClient c = client();
    TokenResponse first = p1.token(form("/oauth2/token", "grant_type=authorization_code&code=" + code(c)
        + "&redirect_uri=" + REDIRECT, basic(c)));
    List<TokenResponse> wins = tokenRace(c, "grant_type=refresh_token&refresh_token=" + first.refreshToken());
    assertTrue(wins.size() <= 1, "never two rotations: " + wins.size());
    assertFalse(p1.introspect(first.accessToken()).active(), "the rotated-from token is gone");
    // the others were reuses of a rotated refresh token: Hydra revokes the whole chain, so a successor that was
    // stored while they revoked must not stay live either (before the chain mark, one did on PostgreSQL)
    for (TokenResponse w : wins) {
      assertFalse(p2.introspect(w.accessToken()).active());
      assertFalse(p1.introspect(w.refreshToken()).active());
    }
  }

  @Test
  void clientAssertionWhenReplayedToTheOtherProviderThenRefused() throws Exception {
    com.nimbusds.jose.jwk.RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("k1").generate();
    CreatedClient c = p1.createClient(OAuth2Client.builder().grantTypes("client_credentials").scope("read")
        .tokenEndpointAuthMethod("private_key_jwt").jwks(Map.of("keys", List.of(key.toPublicJWK().toJSONObject()))).build());
    String id = c.client().id().value();
    com.nimbusds.jwt.SignedJWT assertion = new com.nimbusds.jwt.SignedJWT(
        new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256).keyID("k1").build(),
        new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(id).subject(id).audience(ISSUER + "/oauth2/token")
            .expirationTime(java.util.Date.from(clock.instant().plusSeconds(300))).jwtID("jti-shared-1").build());
    assertion.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
    HttpRequest request = HttpRequest.builder().method("POST").scheme("https").host("auth.example.com")
        .path("/oauth2/token").header("Content-Type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&scope=read&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3A"
            + "client-assertion-type%3Ajwt-bearer&client_assertion=" + assertion.serialize()).build();
    assertTrue(p2.introspect(p1.token(request).accessToken()).active());
    OAuth2Exception replay = org.junit.jupiter.api.Assertions.assertThrows(OAuth2Exception.class,
        () -> p2.token(request));
    assertEquals("invalid_client", replay.toOAuth2Error().error());
    assertEquals(401, replay.toOAuth2Error().status());
  }

  @Test
  void pushedRequestWhenPushedToOneProviderThenRedeemedOnceOnTheOther() {
    CreatedClient c = client();
    String requestUri = p1.pushAuthorizationRequest(form("/oauth2/par", "response_type=code&scope=openid&state="
        + "state-12345&redirect_uri=" + REDIRECT, basic(c))).get("request_uri").toString();
    String url = ISSUER + "/oauth2/auth?client_id=" + c.client().id() + "&request_uri="
        + java.net.URLEncoder.encode(requestUri, StandardCharsets.UTF_8);
    HttpResponse started = browse(p2, url, new LinkedHashMap<>());
    assertEquals(302, started.status(), started.bodyText());
    assertTrue(started.header("Location").orElseThrow().contains("login_challenge="));
    HttpResponse again = browse(p1, url, new LinkedHashMap<>());
    assertEquals(400, again.status());
    assertTrue(again.bodyText().contains("invalid_request_uri"), again.bodyText());
  }

  @Test
  void dpopProofWhenReplayedToTheOtherProviderThenRefused() throws Exception {
    CreatedClient c = client();
    com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
        com.nimbusds.jose.jwk.Curve.P_256).generate();
    String proof = new com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory(key,
        com.nimbusds.jose.JWSAlgorithm.ES256).createDPoPJWT(new com.nimbusds.oauth2.sdk.id.JWTID(), "POST",
        URI.create(ISSUER + "/oauth2/token"), java.util.Date.from(clock.instant()), null).serialize();
    HttpRequest request = form("/oauth2/token", "grant_type=client_credentials&scope=read", basic(c)).toBuilder()
        .header("DPoP", proof).build();
    assertEquals("DPoP", p1.token(request).tokenType());
    OAuth2Exception replay = org.junit.jupiter.api.Assertions.assertThrows(OAuth2Exception.class,
        () -> p2.token(request));
    assertEquals("invalid_dpop_proof", replay.toOAuth2Error().error());
  }

  @Test
  void deviceFlowWhenStepsAlternateBetweenProvidersThenOneGrant() {
    CreatedClient c = p1.createClient(OAuth2Client.builder().grantTypes(OAuth2Provider.DEVICE_GRANT)
        .scope("read").build());
    Map<String, Object> d = p1.deviceAuthorization(form("/oauth2/device/auth", "scope=read", basic(c)));
    String deviceCode = d.get("device_code").toString();
    HttpRequest poll = form("/oauth2/token", "grant_type=" + java.net.URLEncoder.encode(OAuth2Provider.DEVICE_GRANT,
        StandardCharsets.UTF_8) + "&device_code=" + deviceCode, basic(c));
    OAuth2Exception pending = org.junit.jupiter.api.Assertions.assertThrows(OAuth2Exception.class,
        () -> p2.token(poll));
    assertEquals("authorization_pending", pending.toOAuth2Error().error());
    Map<String, String> cookies = new LinkedHashMap<>();
    HttpResponse r = browse(p2, ISSUER + "/oauth2/device/verify", cookies);
    String challenge = query(r.header("Location").orElseThrow()).get("device_challenge");
    String next = p1.acceptDeviceRequest(challenge, d.get("user_code").toString()).redirectTo();
    r = browse(p2, next, cookies);
    String login = query(r.header("Location").orElseThrow()).get("login_challenge");
    r = browse(p1, p2.acceptLogin(login, AcceptLogin.subject("alice")).redirectTo(), cookies);
    String consent = query(r.header("Location").orElseThrow()).get("consent_challenge");
    r = browse(p2, p1.acceptConsent(consent, AcceptConsent.scopes(List.of("read"))).redirectTo(), cookies);
    assertEquals("https://login.example/done", r.header("Location").orElseThrow());
    clock.advance(java.time.Duration.ofSeconds(5));
    TokenResponse t = p1.token(poll);
    assertEquals("alice", p2.introspect(t.accessToken()).sub());
    clock.advance(java.time.Duration.ofSeconds(5));
    OAuth2Exception again = org.junit.jupiter.api.Assertions.assertThrows(OAuth2Exception.class,
        () -> p2.token(poll));
    assertEquals("invalid_grant", again.toOAuth2Error().error());
  }

  @Test
  void jwtBearerWhenTrustedOnOneProviderThenGrantedOnTheOtherAndReplayRefusedOnEither() throws Exception {
    com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
        .keyID("idp-1").generate();
    p1.trustJwtGrantIssuer(io.ory4j.core.json.OryJson.create().readTree(io.ory4j.core.json.OryJson.create().write(
        Map.of("issuer", "https://idp.example", "subject", "alice", "scope", List.of("read"),
            "jwk", key.toPublicJWK().toJSONObject(), "expires_at", clock.instant().plusSeconds(3600).toString()))));
    assertEquals(1, p2.listTrustedJwtGrantIssuers(io.ory4j.core.storage.PageRequest.first(), null).items().size());
    CreatedClient c = p1.createClient(OAuth2Client.builder().grantTypes("urn:ietf:params:oauth:grant-type:jwt-bearer")
        .scope("read").build());
    com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(
        com.nimbusds.jose.JWSAlgorithm.ES256).keyID("idp-1").build(), new com.nimbusds.jwt.JWTClaimsSet.Builder()
        .issuer("https://idp.example").subject("alice").audience(ISSUER + "/oauth2/token").jwtID("jti-1")
        .issueTime(java.util.Date.from(clock.instant()))
        .expirationTime(java.util.Date.from(clock.instant().plusSeconds(60))).build());
    jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
    String body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&scope=read&assertion="
        + jwt.serialize();
    TokenResponse t = p2.token(form("/oauth2/token", body, basic(c)));
    assertTrue(p1.introspect(t.accessToken()).active());
    OAuth2Exception replay = org.junit.jupiter.api.Assertions.assertThrows(OAuth2Exception.class,
        () -> p1.token(form("/oauth2/token", body, basic(c))));
    assertEquals("jti_known", replay.toOAuth2Error().error());
  }
}
