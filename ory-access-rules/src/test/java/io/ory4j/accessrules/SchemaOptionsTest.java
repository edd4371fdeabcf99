package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.json.OryJson;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.accessrules.http.RulesApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Options of Oathkeeper's config schema ({@code spec/config.schema.json}) found missing in the audit of every
 * handler's config: {@code preserve_host} of the session checkers, {@code cache.max_tokens} of
 * {@code oauth2_client_credentials}, {@code request.cidr} of an error handler's {@code when}, {@code jwks_url} of
 * {@code id_token}.
 */
class SchemaOptionsTest {

  static final OryJson JSON = OryJson.create();
  @RegisterExtension
  static final JettyStub.PerClass REMOTE = new JettyStub.PerClass();
  static JettyStub stub;

  @BeforeEach
  void reset() {
    stub = REMOTE.stub();
  }

  static HttpResponse json(int status, String body) {
    return JettyStub.json(status, body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cookie_session", "bearer_token"})
  void sessionCheckWhenPreserveHostThenOriginalHostInXForwardedHost(String handler) {
    stub.routes.put("/whoami", r -> json(200, "{\"subject\":\"u1\",\"sub\":\"u1\"}"));
    for (boolean preserve : new boolean[] {true, false}) {
      stub.calls.clear();
      AccessRules rules = AccessRulesTest.defaults().enable(HandlerKind.AUTHENTICATOR, handler)
          .rules(Rule.builder("r").match("http://my-app.example/<.*>", "GET")
              .authenticator(RuleHandler.of(handler, JSON.readTree("{\"check_session_url\":\"" + stub.url("/whoami")
                  + "\",\"preserve_host\":" + preserve + "}"))).authorizer("allow").mutator("noop").build())
          .build();
      AccessDecision d = rules.decide(HttpRequest.builder().host("my-app.example").path("/x")
          .header("Cookie", "session=s1").header("Authorization", "Bearer t1").build());
      assertEquals("u1", assertInstanceOf(AccessDecision.Allowed.class, d).subject());
      assertEquals(preserve, stub.calls.get(0).header("X-Forwarded-Host").filter("my-app.example"::equals)
          .isPresent(), "preserve_host " + preserve);
    }
  }

  static AccessRules clientCredentials(String cache) {
    return AccessRulesTest.defaults().enable(HandlerKind.AUTHENTICATOR, "oauth2_client_credentials")
        .rules(Rule.builder("r").match("http://my-app/<.*>", "GET")
            .authenticator(RuleHandler.of("oauth2_client_credentials", JSON.readTree("{\"token_url\":\""
                + stub.url("/token") + "\",\"cache\":" + cache + "}"))).authorizer("allow").mutator("noop")
            .build())
        .build();
  }

  static HttpRequest basic(String id) {
    return HttpRequest.builder().host("my-app").path("/x").header("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((id + ":secret").getBytes(StandardCharsets.UTF_8))).build();
  }

  @Test
  void clientCredentialsWhenMaxTokensThenCacheHoldsNoMore() {
    stub.routes.put("/token", r -> json(200, "{\"access_token\":\"t\"}"));
    AccessRules big = clientCredentials("{\"enabled\":true}");
    AccessRules one = clientCredentials("{\"enabled\":true,\"max_tokens\":1}");
    for (AccessRules rules : new AccessRules[] {big, one}) {
      stub.calls.clear();
      for (int round = 0; round < 3; round++) {
        for (String id : new String[] {"a", "b", "c"}) {
          assertInstanceOf(AccessDecision.Allowed.class, rules.decide(basic(id)));
        }
      }
      if (rules == big) {
        assertEquals(3, stub.calls.size(), "the default bound (1000) keeps all three clients");
      } else {
        assertTrue(stub.calls.size() > 3, "one cached client at most: the others are asked again, "
            + stub.calls.size() + " calls");
      }
    }
  }

  @Test
  void introspectionWhenMaxCostThenThatManyTokensCached() {
    stub.routes.put("/introspect", r -> json(200, "{\"active\":true,\"sub\":\"" + r.formParam("token")
        .orElse("") + "\"}"));
    for (int maxCost : new int[] {3, 1}) {
      stub.calls.clear();
      AccessRules rules = AccessRulesTest.defaults().enable(HandlerKind.AUTHENTICATOR, "oauth2_introspection")
          .rules(Rule.builder("r").match("http://my-app/<.*>", "GET").authenticator(RuleHandler.of(
              "oauth2_introspection", JSON.readTree("{\"introspection_url\":\"" + stub.url("/introspect")
                  + "\",\"cache\":{\"enabled\":true,\"ttl\":\"1h\",\"max_cost\":" + maxCost + "}}")))
              .authorizer("allow").mutator("noop").build())
          .build();
      for (int round = 0; round < 3; round++) {
        for (String token : new String[] {"t1", "t2", "t3"}) {
          assertEquals(token, assertInstanceOf(AccessDecision.Allowed.class, rules.decide(HttpRequest.builder()
              .host("my-app").path("/x").header("Authorization", "Bearer " + token).build())).subject());
        }
      }
      if (maxCost == 3) {
        assertEquals(3, stub.calls.size(), "max_cost 3 holds three tokens (each costs 1, as in Oathkeeper)");
      } else {
        assertTrue(stub.calls.size() > 3, "max_cost 1 holds one token: " + stub.calls.size() + " calls");
      }
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"503,503", "500,500", "504,504", "404,404", "401,401", "400,401",
      "403,401"})
  void clientCredentialsWhenTokenEndpointRefusesThenOathkeepersStatus(int answered, int expected) {
    stub.routes.put("/token", r -> json(answered, "{\"error\":\"x\"}"));
    AccessRules rules = AccessRulesTest.defaults().sleeper(d -> { })
        .enable(HandlerKind.AUTHENTICATOR, "oauth2_client_credentials")
        .rules(Rule.builder("r").match("http://my-app/<.*>", "GET")
            .authenticator(RuleHandler.of("oauth2_client_credentials", JSON.readTree("{\"token_url\":\""
                + stub.url("/token") + "\"}"))).authorizer("allow").mutator("noop").build())
        .build();
    assertEquals(expected, ((AccessDecision.Denied) rules.decide(basic("a"))).response().status());
  }

  @Test
  void clientCredentialsWhenTokenEndpointUnreachableOrNoAccessTokenThen503() {
    stub.routes.put("/token", r -> json(200, "{\"token_type\":\"bearer\"}"));
    assertEquals(503, ((AccessDecision.Denied) clientCredentials("{}").decide(basic("a"))).response().status());
    AccessRules down = AccessRulesTest.defaults().sleeper(d -> { })
        .enable(HandlerKind.AUTHENTICATOR, "oauth2_client_credentials")
        .rules(Rule.builder("r").match("http://my-app/<.*>", "GET")
            .authenticator(RuleHandler.of("oauth2_client_credentials", JSON.readTree("{\"token_url\":"
                + "\"http://127.0.0.1:" + JettyStub.closedPort() + "/token\"}"))).authorizer("allow").mutator("noop")
            .build())
        .build();
    assertEquals(503, ((AccessDecision.Denied) down.decide(basic("a"))).response().status());
  }

  @Test
  void clientCredentialsWhenCachedThenUntilTokenExpiryOrTtlWhicheverIsFirst() {
    stub.routes.put("/token", r -> json(200, "{\"access_token\":\"t\",\"expires_in\":60}"));
    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    java.util.function.Function<String, AccessRules> rules = cache -> AccessRulesTest.defaults().clock(clock)
        .enable(HandlerKind.AUTHENTICATOR, "oauth2_client_credentials")
        .rules(Rule.builder("r").match("http://my-app/<.*>", "GET")
            .authenticator(RuleHandler.of("oauth2_client_credentials", JSON.readTree("{\"token_url\":\""
                + stub.url("/token") + "\",\"cache\":" + cache + "}"))).authorizer("allow").mutator("noop").build())
        .build();
    AccessRules byExpiry = rules.apply("{\"enabled\":true}");
    byExpiry.decide(basic("a"));
    clock.advance(Duration.ofSeconds(59));
    byExpiry.decide(basic("a"));
    assertEquals(1, stub.calls.size(), "the token's 60s are not over");
    clock.advance(Duration.ofSeconds(2));
    byExpiry.decide(basic("a"));
    assertEquals(2, stub.calls.size(), "expired with the token");

    stub.calls.clear();
    AccessRules byTtl = rules.apply("{\"enabled\":true,\"ttl\":\"10s\"}");
    byTtl.decide(basic("a"));
    clock.advance(Duration.ofSeconds(11));
    byTtl.decide(basic("a"));
    assertEquals(2, stub.calls.size(), "cache.ttl is shorter than the token's life");
  }

  @Test
  void clientCredentialsWhenMaxTokensNotPositiveThenRefusedAtLoad() {
    InvalidRulesException e = assertThrows(InvalidRulesException.class,
        () -> clientCredentials("{\"enabled\":true,\"max_tokens\":0}"));
    assertEquals("authenticators[0].config.cache.max_tokens", e.problems().get(0).field());
  }

  static AccessRules cidrRules(String cidr) {
    return AccessRulesTest.defaults().enable(HandlerKind.ERROR_HANDLER, "www_authenticate")
        .rules(AccessRulesTest.rule("a", "http://my-app/a").authorizer("deny").error(RuleHandler.of(
            "www_authenticate", JSON.readTree("{\"when\":[{\"request\":{\"cidr\":[\"" + cidr + "\"]}}]}"))).build())
        .build();
  }

  static int status(AccessRules rules, HttpRequest r) {
    return ((AccessDecision.Denied) rules.decide(r)).response().status();
  }

  @Test
  void whenRequestCidrThenRemoteAddressOrForwardedForMatches() {
    AccessRules rules = cidrRules("10.0.0.0/8");
    HttpRequest base = AccessRulesTest.get("http://my-app/a");
    assertEquals(401, status(rules, base.toBuilder().remoteAddress("10.1.2.3").build()), "www_authenticate");
    assertEquals(401, status(rules, base.toBuilder().header("X-Forwarded-For", "192.168.0.1, 10.9.9.9").build()));
    assertEquals(403, status(rules, base.toBuilder().remoteAddress("192.168.1.1").build()), "fallback json");
    assertEquals(401, status(cidrRules("::1/128"), base.toBuilder().remoteAddress("::1").build()));
  }

  @Test
  void whenRequestCidrInvalidThenRefusedAtLoad() {
    InvalidRulesException e = assertThrows(InvalidRulesException.class, () -> cidrRules("10.0.0.0"));
    assertEquals("errors[0].config.when[0].request.cidr", e.problems().get(0).field());
  }

  static AccessRules idToken(String jwksUrl, java.time.Clock clock) {
    return AccessRulesTest.defaults().clock(clock).enable(HandlerKind.MUTATOR, "id_token")
        .rules(Rule.builder("i").match("http://my-app/<.*>", "GET").authenticator("anonymous").authorizer("allow")
            .mutator(RuleHandler.of("id_token", JSON.readTree("{\"issuer_url\":\"https://my-oathkeeper/\","
                + "\"jwks_url\":\"" + jwksUrl + "\"}"))).build())
        .build();
  }

  static SignedJWT token(AccessRules rules) throws Exception {
    AccessDecision.Allowed a = assertInstanceOf(AccessDecision.Allowed.class,
        rules.decide(AccessRulesTest.get("http://my-app/x")));
    return SignedJWT.parse(a.headers().get("Authorization").get(0).substring("Bearer ".length()));
  }

  static String jwks(AccessRules rules) {
    return new RulesApi(rules).router().handle(HttpRequest.builder().path("/.well-known/jwks.json").build())
        .bodyText();
  }

  @Test
  void idTokenWhenJwksUrlIsAFileThenSignedWithItsFirstPrivateKeyAndPublicHalfPublished(@TempDir Path dir)
      throws Exception {
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    Path file = dir.resolve("id_token.jwks.json");
    Files.writeString(file, new JWKSet(java.util.List.of(rsa.toPublicJWK(), rsa, ec)).toString(false));
    AccessRules rules = idToken(file.toUri().toString(), java.time.Clock.systemUTC());
    SignedJWT jwt = token(rules);
    assertEquals("rsa-1", jwt.getHeader().getKeyID());
    assertEquals("RS256", jwt.getHeader().getAlgorithm().getName());
    assertTrue(jwt.verify(new RSASSAVerifier(rsa.toPublicJWK())));
    assertEquals("anonymous", jwt.getJWTClaimsSet().getSubject());
    String published = jwks(rules);
    assertTrue(published.contains("\"rsa-1\"") && published.contains("\"ec-1\""), published);
    assertTrue(!published.contains("\"d\"") && !published.contains("\"p\""), "no private parts: " + published);

    Files.writeString(file, new JWKSet(ec).toString(false));
    SignedJWT es = token(idToken(file.toUri().toString(), java.time.Clock.systemUTC()));
    assertEquals("ES256", es.getHeader().getAlgorithm().getName());
    assertTrue(es.verify(new ECDSAVerifier(ec.toPublicJWK())));
  }

  @Test
  void idTokenWhenJwksUrlHasNoPrivateKeyOrIsMissingThenRefusedAtLoad(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("public.json");
    Files.writeString(file, new JWKSet(new RSAKeyGenerator(2048).generate().toPublicJWK()).toString());
    for (String url : new String[] {file.toUri().toString(), dir.resolve("missing.json").toUri().toString(),
        "ftp://keys/jwks.json"}) {
      InvalidRulesException e = assertThrows(InvalidRulesException.class,
          () -> idToken(url, java.time.Clock.systemUTC()));
      assertEquals("mutators[0].config.jwks_url", e.problems().get(0).field(), url);
    }
  }

  @Test
  void idTokenWhenJwksUrlIsHttpThenFetchedCachedAndKeptWhenTheUrlDies() throws Exception {
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("remote-1").generate();
    stub.routes.put("/keys", r -> json(200, new JWKSet(rsa).toString(false)));
    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    AccessRules rules = idToken(stub.url("/keys"), clock);
    assertTrue(token(rules).verify(new RSASSAVerifier(rsa.toPublicJWK())));
    token(rules);
    assertEquals(1, stub.calls.size(), "fetched once, then cached");
    stub.routes.put("/keys", r -> json(503, "{}"));
    clock.advance(Duration.ofMinutes(8)); // past the keys' 5 minutes and the issued token's reuse (half of 15m)
    assertTrue(token(rules).verify(new RSASSAVerifier(rsa.toPublicJWK())), "the URL died: the keys it had sign");
    assertEquals(2, stub.calls.size(), "a refresh was tried");
  }
}
