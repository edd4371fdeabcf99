package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.keys.JwkSetManager;
import io.ory4j.core.secrets.SecretCipher;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.core.store.memory.InMemoryJwkSetStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every remote handler against a stub server on embedded Jetty. */
class RemoteHandlersTest {

  static final OryJson JSON = OryJson.create();
  static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  @RegisterExtension
  static final JettyStub.PerClass REMOTE = new JettyStub.PerClass();
  static JettyStub stub;
  static RSAKey rsa;

  @BeforeAll
  static void start() throws Exception {
    stub = REMOTE.stub();
    rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
  }

  static HttpResponse json(int status, String body) {
    return JettyStub.json(status, body);
  }

  static AccessRules.Builder builder() {
    // the clock stands still and retries do not wait: the retry budget is counted from the delays alone
    return AccessRulesTest.defaults().clock(CLOCK).sleeper(d -> { });
  }

  static Rule.Builder rule(String authenticator, String config) {
    return Rule.builder("r").match("http://my-app/<.*>", "GET", "POST")
        .authenticator(RuleHandler.of(authenticator, JSON.readTree(config))).authenticator("unauthorized")
        .authorizer("allow").mutator(RuleHandler.of("header", JSON.readTree(
            "{\"headers\":{\"X-User\":\"{{ print .Subject }}\",\"X-Extra\":\"{{ .Extra | toJson }}\"}}")));
  }

  static AccessDecision decide(AccessRules rules, HttpRequest r) {
    return rules.decide(r);
  }

  static HttpRequest get(String url) {
    return AccessRulesTest.get(url);
  }

  static int status(AccessDecision d) {
    return d instanceof AccessDecision.Denied x ? x.response().status() : 200;
  }

  static String header(AccessDecision d, String name) {
    return ((AccessDecision.Allowed) d).headers().get(name).get(0);
  }

  // ---------------------------------------------------------------- cookie_session / bearer_token

  @Test
  void cookieSessionWhenKratosAnswersThenSubjectAndExtraFromPaths() {
    stub.routes.put("/sessions/whoami", r -> r.cookie("ory_session").filter("valid"::equals).isPresent()
        ? json(200, "{\"identity\":{\"id\":\"u1\",\"traits\":{\"email\":\"a@b.c\"}}}") : json(401, "{}"));
    AccessRules rules = builder().enable(HandlerKind.AUTHENTICATOR, "cookie_session")
        .rules(rule("cookie_session", "{\"check_session_url\":\"" + stub.url("/sessions/whoami") + "\","
            + "\"subject_from\":\"identity.id\",\"extra_from\":\"identity.traits\",\"only\":[\"ory_session\"]}")
            .build()).build();
    AccessDecision ok = decide(rules, get("http://my-app/x").toBuilder().header("Cookie", "ory_session=valid").build());
    assertEquals("u1", header(ok, "X-User"));
    assertEquals("{\"email\":\"a@b.c\"}", header(ok, "X-Extra"));
    assertEquals(401, status(decide(rules, get("http://my-app/x").toBuilder().header("Cookie", "ory_session=bad")
        .build())));
    assertEquals(401, status(decide(rules, get("http://my-app/x").toBuilder().header("Cookie", "other=1")
        .build())));
    assertEquals(2, stub.calls.size(), "a request without the `only` cookie is not forwarded");
    assertEquals("ory_session=valid", stub.calls.get(0).header("Cookie").orElseThrow());
  }

  @Test
  void bearerTokenWhenTokenFromQueryAndPrefixThenChecked() {
    stub.routes.put("/whoami", r -> r.header("Authorization").filter("Bearer ory_st_good"::equals).isPresent()
        || r.queryParam("token").filter("ory_st_good"::equals).isPresent()
        ? json(200, "{\"sub\":\"u2\",\"extra\":{\"role\":\"admin\"}}") : json(401, "{}"));
    AccessRules rules = builder().enable(HandlerKind.AUTHENTICATOR, "bearer_token")
        .rules(rule("bearer_token", "{\"check_session_url\":\"" + stub.url("/whoami") + "\",\"prefix\":\"ory_st_\"}")
            .build()).build();
    AccessDecision ok = decide(rules, get("http://my-app/x").toBuilder().header("Authorization",
        "Bearer ory_st_good").build());
    assertEquals("u2", header(ok, "X-User"));
    assertEquals("{\"role\":\"admin\"}", header(ok, "X-Extra"));
    assertEquals(401, status(decide(rules, get("http://my-app/x").toBuilder().header("Authorization",
        "Bearer ory_st_bad").build())));
    stub.calls.clear();
    assertEquals(401, status(decide(rules, get("http://my-app/x").toBuilder().header("Authorization",
        "Bearer other_prefix").build())));
    assertEquals(0, stub.calls.size(), "a token without the prefix is not this authenticator's");
  }

  @Test
  void bearerTokenWhenCheckUrlDownThen500WithoutTrace() {
    AccessRules rules = builder().enable(HandlerKind.AUTHENTICATOR, "bearer_token")
        .rules(rule("bearer_token", "{\"check_session_url\":\"http://127.0.0.1:" + JettyStub.closedPort()
            + "/whoami\"}").build()).build();
    AccessDecision.Denied d = assertInstanceOf(AccessDecision.Denied.class, decide(rules,
        get("http://my-app/x").toBuilder().header("Authorization", "Bearer t").build()));
    assertEquals(500, d.response().status());
    assertTrue(!d.response().bodyText().contains("Exception"), d.response().bodyText());
  }

  // ---------------------------------------------------------------- oauth2_introspection

  void introspectionStub() {
    stub.routes.put("/introspect", r -> switch (r.formParam("token").orElse("")) {
      case "good" -> json(200, "{\"active\":true,\"sub\":\"alice\",\"client_id\":\"app\",\"scope\":\"read write "
          + "photos.read\",\"aud\":[\"api\"],\"iss\":\"https://issuer\",\"token_use\":\"access_token\","
          + "\"exp\":" + (NOW.getEpochSecond() + 60) + ",\"ext\":{\"tenant\":\"t1\"}}");
      case "expired" -> json(200, "{\"active\":true,\"sub\":\"alice\",\"exp\":" + (NOW.getEpochSecond() - 1) + "}");
      case "refresh" -> json(200, "{\"active\":true,\"sub\":\"alice\",\"token_use\":\"refresh_token\"}");
      default -> json(200, "{\"active\":false}");
    });
  }

  AccessRules introspection(String config) {
    return builder().enable(HandlerKind.AUTHENTICATOR, "oauth2_introspection", "{\"introspection_url\":\""
        + stub.url("/introspect") + "\"}").rules(rule("oauth2_introspection", config).build()).build();
  }

  static HttpRequest bearer(String token) {
    return get("http://my-app/x").toBuilder().header("Authorization", "Bearer " + token).build();
  }

  @Test
  void introspectionWhenActiveThenSubjectAndExtraAsOathkeeper() {
    introspectionStub();
    AccessDecision d = decide(introspection("{}"), bearer("good"));
    assertEquals("alice", header(d, "X-User"));
    JsonNode extra = JSON.readTree(header(d, "X-Extra"));
    assertEquals("t1", extra.get("tenant").asText());
    assertEquals("app", extra.get("client_id").asText());
    assertEquals("api", extra.get("aud").get(0).asText());
  }

  @Test
  void introspectionWhenInactiveExpiredOrNotAccessTokenThen401() {
    introspectionStub();
    AccessRules rules = introspection("{}");
    assertEquals(401, status(decide(rules, bearer("nope"))));
    assertEquals(401, status(decide(rules, bearer("expired"))));
    assertEquals(401, status(decide(rules, bearer("refresh"))));
    assertEquals(401, status(decide(rules, get("http://my-app/x"))), "no token: next authenticator");
  }

  @Test
  void introspectionWhenScopeStrategiesThenChecked() {
    introspectionStub();
    assertEquals(200, status(decide(introspection("{\"scope_strategy\":\"exact\",\"required_scope\":[\"read\"]}"),
        bearer("good"))));
    assertEquals(403, status(decide(introspection("{\"scope_strategy\":\"exact\",\"required_scope\":[\"admin\"]}"),
        bearer("good"))));
    assertEquals(200, status(decide(introspection("{\"scope_strategy\":\"hierarchic\",\"required_scope\":"
        + "[\"read.own\"]}"), bearer("good"))));
    assertEquals(200, status(decide(introspection("{\"scope_strategy\":\"wildcard\",\"required_scope\":"
        + "[\"photos.read\"]}"), bearer("good"))));
    stub.calls.clear();
    assertEquals(200, status(decide(introspection("{\"required_scope\":[\"read\"]}"), bearer("good"))));
    assertEquals("read", stub.calls.get(0).formParam("scope").orElseThrow(),
        "without a local strategy the scope goes to the introspection endpoint");
  }

  @Test
  void introspectionWhenAudienceOrIssuerWrongThen403() {
    introspectionStub();
    assertEquals(200, status(decide(introspection("{\"target_audience\":[\"api\"],\"trusted_issuers\":"
        + "[\"https://issuer\"]}"), bearer("good"))));
    assertEquals(403, status(decide(introspection("{\"target_audience\":[\"other\"]}"), bearer("good"))));
    assertEquals(403, status(decide(introspection("{\"trusted_issuers\":[\"https://evil\"]}"), bearer("good"))));
  }

  @Test
  void introspectionWhenCacheEnabledThenOneRemoteCall() {
    introspectionStub();
    AccessRules rules = introspection("{\"cache\":{\"enabled\":true,\"ttl\":\"1m\"}}");
    for (int i = 0; i < 3; i++) {
      assertEquals(200, status(decide(rules, bearer("good"))));
    }
    assertEquals(1, stub.calls.size());
  }

  @Test
  void introspectionWhenInProcessIntrospectorThenNoHttp() {
    AccessRules rules = builder().enable(HandlerKind.AUTHENTICATOR, "oauth2_introspection")
        .tokenIntrospector((token, scopes) -> new io.ory4j.accessrules.spi.IntrospectionResult(token.equals("t"),
            "bob", "", "c", "", List.of(), "", "access_token", "", null, Map.of()))
        .rules(rule("oauth2_introspection", "{}").build()).build();
    assertEquals("bob", header(decide(rules, bearer("t")), "X-User"));
    assertEquals(401, status(decide(rules, bearer("x"))));
  }

  // ---------------------------------------------------------------- oauth2_client_credentials

  @Test
  void clientCredentialsWhenTokenEndpointAcceptsThenSubjectIsClientId() {
    String good = "Basic " + java.util.Base64.getEncoder().encodeToString("my-client:s3cret".getBytes());
    stub.routes.put("/oauth2/token", r -> r.header("Authorization").filter(good::equals).isPresent()
        && r.formParam("grant_type").filter("client_credentials"::equals).isPresent()
        ? json(200, "{\"access_token\":\"at\",\"token_type\":\"bearer\"}") : json(401, "{\"error\":\"invalid_client\"}"));
    AccessRules rules = builder().enable(HandlerKind.AUTHENTICATOR, "oauth2_client_credentials")
        .rules(rule("oauth2_client_credentials", "{\"token_url\":\"" + stub.url("/oauth2/token") + "\","
            + "\"required_scope\":[\"a\"]}").build()).build();
    assertEquals("my-client", header(decide(rules, get("http://my-app/x").toBuilder().header("Authorization", good)
        .build()), "X-User"));
    assertEquals("a", stub.calls.get(0).formParam("scope").orElseThrow());
    assertEquals(401, status(decide(rules, get("http://my-app/x").toBuilder().header("Authorization",
        "Basic " + java.util.Base64.getEncoder().encodeToString("my-client:wrong".getBytes())).build())));
  }

  // ---------------------------------------------------------------- jwt

  static String jwt(JWTClaimsSet claims) throws Exception {
    SignedJWT j = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
    j.sign(new RSASSASigner(rsa));
    return j.serialize();
  }

  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().subject("carol").issuer("https://issuer").audience(List.of("api"))
        .expirationTime(Date.from(NOW.plusSeconds(60))).issueTime(Date.from(NOW.minusSeconds(5)))
        .claim("scp", List.of("read", "write"));
  }

  AccessRules jwtRules(String config) {
    stub.routes.put("/.well-known/jwks.json", r -> json(200, new JWKSet(rsa.toPublicJWK()).toString()));
    return builder().enable(HandlerKind.AUTHENTICATOR, "jwt", "{\"jwks_urls\":[\"" + stub.url("/.well-known/jwks.json")
        + "\"]}").rules(rule("jwt", config).build()).build();
  }

  @Test
  void jwtWhenValidThenSubjectAndClaimsAsExtra() throws Exception {
    AccessRules rules = jwtRules("{\"required_scope\":[\"read\"],\"target_audience\":[\"api\"],"
        + "\"trusted_issuers\":[\"https://issuer\"]}");
    AccessDecision d = decide(rules, bearer(jwt(claims().build())));
    assertEquals("carol", header(d, "X-User"));
    assertEquals("https://issuer", JSON.readTree(header(d, "X-Extra")).get("iss").asText());
    decide(rules, bearer(jwt(claims().build())));
    assertEquals(1, stub.calls.size(), "the JWKS is cached");
  }

  @Test
  void jwtWhenInvalidThen401() throws Exception {
    AccessRules rules = jwtRules("{\"required_scope\":[\"read\"],\"target_audience\":[\"api\"],"
        + "\"trusted_issuers\":[\"https://issuer\"]}");
    assertEquals(401, status(decide(rules, bearer("not.a.jwt"))));
    assertEquals(401, status(decide(rules, bearer(jwt(claims().expirationTime(Date.from(NOW.minusSeconds(1)))
        .build())))));
    assertEquals(401, status(decide(rules, bearer(jwt(claims().notBeforeTime(Date.from(NOW.plusSeconds(30)))
        .build())))));
    assertEquals(401, status(decide(rules, bearer(jwt(claims().issuer("https://evil").build())))));
    assertEquals(401, status(decide(rules, bearer(jwt(claims().audience("other").build())))));
    assertEquals(401, status(decide(rules, bearer(jwt(claims().claim("scp", "write").build())))));
    RSAKey other = new RSAKeyGenerator(2048).keyID("k1").generate();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims().build());
    forged.sign(new RSASSASigner(other));
    assertEquals(401, status(decide(rules, bearer(forged.serialize()))));
    SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
    hs.sign(new MACSigner(new byte[32]));
    assertEquals(401, status(decide(rules, bearer(hs.serialize()))), "HS256 is not an allowed algorithm");
  }

  @Test
  void jwtWhenKeyRotatesThenTheNewKeyIdIsFetchedAtOnce() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    stub.routes.put("/.well-known/jwks.json", r -> json(200, new JWKSet(rsa.toPublicJWK()).toString()));
    AccessRules rules = builder().clock(clock).enable(HandlerKind.AUTHENTICATOR, "jwt", "{\"jwks_urls\":[\""
        + stub.url("/.well-known/jwks.json") + "\"]}").rules(rule("jwt", "{}").build()).build();
    assertEquals("carol", header(decide(rules, bearer(jwt(claims().build()))), "X-User"));
    RSAKey next = new RSAKeyGenerator(2048).keyID("k2").generate();
    stub.routes.put("/.well-known/jwks.json", r -> json(200, new JWKSet(List.of(rsa.toPublicJWK(),
        next.toPublicJWK())).toString()));
    SignedJWT rotated = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k2").build(),
        claims().build());
    rotated.sign(new RSASSASigner(next));
    assertEquals("carol", header(decide(rules, bearer(rotated.serialize())), "X-User"),
        "an unknown key id makes the sets be fetched again, without waiting for jwks_ttl");
    assertEquals(2, stub.calls.size());
    SignedJWT unknown = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k9").build(),
        claims().build());
    unknown.sign(new RSASSASigner(next));
    assertEquals(401, status(decide(rules, bearer(unknown.serialize()))));
    assertEquals(2, stub.calls.size(), "within a second of the last refresh, a made-up key id fetches nothing");
    clock.advance(java.time.Duration.ofSeconds(1));
    assertEquals(401, status(decide(rules, bearer(unknown.serialize()))));
    assertEquals(401, status(decide(rules, bearer(unknown.serialize()))));
    assertEquals(3, stub.calls.size(), "made-up key ids refresh at most once a second");
  }

  @Test
  void jwtWhenTokenHasNoKeyIdThen401AsOathkeeper() throws Exception {
    AccessRules rules = jwtRules("{}");
    SignedJWT noKid = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims().build());
    noKid.sign(new RSASSASigner(rsa));
    AccessDecision.Denied d = assertInstanceOf(AccessDecision.Denied.class, decide(rules, bearer(noKid.serialize())));
    assertEquals(401, d.response().status());
    assertTrue(d.error().error().reason().contains("kid"), d.error().error().reason());
  }

  // ---------------------------------------------------------------- authorizers

  @Test
  void ketoWhenTemplatesThenRequestFromCaptureGroupsAndSubject() {
    stub.routes.put("/engines/acp/ory/exact/allowed", r -> {
      JsonNode body = JSON.readTree(r.body());
      boolean ok = body.get("subject").asText().equals("anonymous") && body.get("action").asText().equals("read")
          && body.get("resource").asText().equals("blog:posts:42");
      return json(ok ? 200 : 403, "{\"allowed\":" + ok + "}");
    });
    AccessRules rules = builder().enable(HandlerKind.AUTHORIZER, "keto_engine_acp_ory", "{\"base_url\":\""
        + stub.url("/") + "\"}").rules(Rule.builder("k").match("http://my-app/posts/<[0-9]+>", "GET")
            .authenticator("anonymous").authorizer(RuleHandler.of("keto_engine_acp_ory", JSON.readTree(
                "{\"required_action\":\"read\",\"required_resource\":\"blog:posts:{{ printIndex "
                    + ".MatchContext.RegexpCaptureGroups 0 }}\",\"flavor\":\"exact\"}")))
            .mutator("noop").build()).build();
    assertEquals(200, status(decide(rules, get("http://my-app/posts/42"))));
    assertEquals(403, status(decide(rules, get("http://my-app/posts/43"))));
    assertTrue(stub.calls.get(0).bodyText().contains("\"remoteIpAddress\""));
  }

  @Test
  void ketoWhenInProcessDeciderThenUsed() {
    AccessRules rules = builder().enable(HandlerKind.AUTHORIZER, "keto_engine_acp_ory")
        .acpDecider((flavor, req) -> flavor.equals("regex") && req.resource().equals("r"))
        .rules(Rule.builder("k").match("http://my-app/a", "GET").authenticator("anonymous")
            .authorizer(RuleHandler.of("keto_engine_acp_ory", JSON.readTree("{\"required_resource\":\"r\"}")))
            .mutator("noop").build()).build();
    assertEquals(200, status(decide(rules, get("http://my-app/a"))));
  }

  @Test
  void remoteWhenAllowedThenForwardedResponseHeadersReachUpstream() {
    stub.routes.put("/authz", r -> r.header("X-Subject").filter("anonymous"::equals).isPresent()
        ? HttpResponse.builder(200).header("X-Granted", "yes").build() : json(403, "{}"));
    AccessRules rules = builder().enable(HandlerKind.AUTHORIZER, "remote")
        .rules(Rule.builder("r").match("http://my-app/<.*>", "GET").authenticator("anonymous")
            .authorizer(RuleHandler.of("remote", JSON.readTree("{\"remote\":\"" + stub.url("/authz") + "\","
                + "\"headers\":{\"X-Subject\":\"{{ print .Subject }}\"},"
                + "\"forward_response_headers_to_upstream\":[\"X-Granted\"]}")))
            .mutator("noop").build()).build();
    assertEquals("yes", header(decide(rules, get("http://my-app/a")), "X-Granted"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"remote", "remote_json"})
  void remoteWhenCalledThenAuthorizationPassedEmptyHeadersSkippedMissingForwardedEmpty(String handler) {
    stub.routes.put("/authz", r -> HttpResponse.builder(200).build());
    String payload = handler.equals("remote_json") ? "\"payload\":\"{}\"," : "";
    AccessRules rules = builder().enable(HandlerKind.AUTHORIZER, handler)
        .rules(Rule.builder("r").match("http://my-app/<.*>", "GET").authenticator("noop")
            .authorizer(RuleHandler.of(handler, JSON.readTree("{" + payload + "\"remote\":\"" + stub.url("/authz")
                + "\",\"headers\":{\"X-Empty\":\"{{ print .Subject }}\",\"X-Fixed\":\"f\"},"
                + "\"forward_response_headers_to_upstream\":[\"X-Missing\"]}")))
            .mutator("noop").build()).build();
    AccessDecision d = decide(rules, get("http://my-app/a").toBuilder().header("Authorization", "Bearer t").build());
    HttpRequest call = stub.calls.get(0);
    assertEquals("Bearer t", call.header("Authorization").orElseThrow(), "the request's Authorization is passed on");
    assertEquals("f", call.header("X-Fixed").orElseThrow());
    assertTrue(call.header("X-Empty").isEmpty(), "a header whose template renders empty is not sent");
    assertEquals("", header(d, "X-Missing"), "an allowed header the remote did not send is set empty");
  }

  AccessRules remoteJson(String url, String timeout) {
    return remoteJson(url, timeout, "");
  }

  /** A remote_json rule; {@code more} adds config members (ending with a comma). */
  AccessRules remoteJson(String url, String timeout, String more) {
    return builder().enable(HandlerKind.AUTHORIZER, "remote_json")
        .rules(Rule.builder("r").match("http://my-app/<.*>", "GET").authenticator("anonymous")
            .authorizer(RuleHandler.of("remote_json", JSON.readTree("{" + more + "\"remote\":\"" + url
                + "\",\"timeout\":\"" + timeout + "\",\"payload\":\"{\\\"subject\\\":\\\"{{ print .Subject }}\\\",\\\"resource\\\":"
                + "\\\"{{ printIndex .MatchContext.RegexpCaptureGroups 0 }}\\\"}\"}")))
            .mutator("noop").build()).build();
  }

  @Test
  void remoteJsonWhenPayloadRenderedThenDecisionFromStatus() {
    stub.routes.put("/check", r -> JSON.readTree(r.body()).get("resource").asText().equals("ok")
        ? json(200, "{}") : json(403, "{}"));
    AccessRules rules = remoteJson(stub.url("/check"), "2s");
    assertEquals(200, status(decide(rules, get("http://my-app/ok"))));
    assertEquals(403, status(decide(rules, get("http://my-app/no"))));
    assertEquals("anonymous", JSON.readTree(stub.calls.get(0).body()).get("subject").asText());
  }

  @Test
  void remoteJsonWhenRemoteTimesOutThen500FromErrorHandler() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    stub.routes.put("/slow", r -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return json(200, "{}");
    });
    try {
      AccessDecision.Denied d = assertInstanceOf(AccessDecision.Denied.class,
          decide(remoteJson(stub.url("/slow"), "200ms", "\"retry\":{\"give_up_after\":\"0s\"},"),
              get("http://my-app/x")));
      assertEquals(500, d.response().status());
      assertTrue(d.response().bodyText().startsWith("{\"error\":"), d.response().bodyText());
    } finally {
      release.countDown();
    }
  }

  @Test
  void remoteJsonWhenRemoteDownThen500() {
    assertEquals(500, status(decide(remoteJson("http://127.0.0.1:" + JettyStub.closedPort() + "/check", "1s"),
        get("http://my-app/x"))));
  }

  // ---------------------------------------------------------------- mutators

  @Test
  void hydratorWhenApiAnswersThenExtraAndHeadersReplaced() {
    stub.routes.put("/hydrate", r -> {
      JsonNode s = JSON.readTree(r.body());
      return json(200, "{\"subject\":\"" + s.get("subject").asText() + "\",\"extra\":{\"plan\":\"pro\"},"
          + "\"header\":{\"X-Hydrated\":[\"1\"]}}");
    });
    AccessRules rules = builder().enable(HandlerKind.MUTATOR, "hydrator")
        .rules(Rule.builder("h").match("http://my-app/<.*>", "GET").authenticator("anonymous").authorizer("allow")
            .mutator(RuleHandler.of("hydrator", JSON.readTree("{\"api\":{\"url\":\"" + stub.url("/hydrate")
                + "\",\"auth\":{\"basic\":{\"username\":\"u\",\"password\":\"p\"}}}}")))
            .mutator(RuleHandler.of("header", JSON.readTree("{\"headers\":{\"X-Plan\":\"{{ print .Extra.plan }}\"}}")))
            .build()).build();
    AccessDecision d = decide(rules, get("http://my-app/x").toBuilder().header("Cookie", "session=s1")
        .header("X-Tenant", "t1").build());
    assertEquals("pro", header(d, "X-Plan"));
    assertEquals("1", header(d, "X-Hydrated"));
    HttpRequest call = stub.calls.get(0);
    assertTrue(call.header("Authorization").orElseThrow().startsWith("Basic "), "the API's credentials");
    assertEquals("session=s1", call.header("Cookie").orElseThrow(), "the request's headers are forwarded");
    assertEquals("t1", call.header("X-Tenant").orElseThrow());
    assertEquals("application/json", call.header("Content-Type").orElseThrow());
  }

  @Test
  void idTokenWhenAllowedThenSignedJwtVerifiableWithJwks() throws Exception {
    JwkSetManager keys = new JwkSetManager(new InMemoryJwkSetStore(), new SecretCipher(SystemSecrets.of(
        "a-secret-of-at-least-32-characters!!")), CLOCK, IdGenerator.randomV4());
    AccessRules rules = builder().keys(keys).enable(HandlerKind.MUTATOR, "id_token",
            "{\"issuer_url\":\"https://my-oathkeeper/\",\"ttl\":\"1m\"}")
        .rules(Rule.builder("i").match("http://my-app/<.*>", "GET").authenticator("anonymous").authorizer("allow")
            .mutator(RuleHandler.of("id_token", JSON.readTree("{\"claims\":\"{\\\"aud\\\":[\\\"backend\\\"],"
                + "\\\"session\\\":{{ .Extra | toJson }}}\"}"))).build()).build();
    String auth = header(decide(rules, get("http://my-app/x")), "Authorization");
    SignedJWT jwt = SignedJWT.parse(auth.substring("Bearer ".length()));
    RSAKey pub = (RSAKey) keys.publicSet(io.ory4j.accessrules.internal.handlers.Mutators.ID_TOKEN_SET).getKeys()
        .get(0);
    assertTrue(jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(pub)));
    assertEquals("anonymous", jwt.getJWTClaimsSet().getSubject());
    assertEquals("https://my-oathkeeper/", jwt.getJWTClaimsSet().getIssuer());
    assertEquals(List.of("backend"), jwt.getJWTClaimsSet().getAudience());
    assertEquals(Date.from(NOW.plusSeconds(60)), jwt.getJWTClaimsSet().getExpirationTime());
    assertEquals(auth, header(decide(rules, get("http://my-app/x")), "Authorization"),
        "the same subject and claims reuse the token while half its ttl is left");
  }

  @Test
  void introspectionWhenCacheTtlPassesThenAskedAgain() {
    introspectionStub();
    MutableClock clock = new MutableClock(NOW);
    AccessRules rules = AccessRulesTest.defaults().clock(clock)
        .enable(HandlerKind.AUTHENTICATOR, "oauth2_introspection", "{\"introspection_url\":\""
            + stub.url("/introspect") + "\",\"cache\":{\"enabled\":true,\"ttl\":\"30s\"}}")
        .rules(rule("oauth2_introspection", "{}").build()).build();
    assertEquals(200, status(decide(rules, bearer("good"))));
    clock.advance(java.time.Duration.ofSeconds(10));
    assertEquals(200, status(decide(rules, bearer("good"))));
    assertEquals(1, stub.calls.size());
    clock.advance(java.time.Duration.ofSeconds(25));
    assertEquals(200, status(decide(rules, bearer("good"))));
    assertEquals(2, stub.calls.size());
    clock.advance(java.time.Duration.ofSeconds(30));
    assertEquals(401, status(decide(rules, bearer("good"))), "a cached token past its exp is refused");
  }

  @Test
  void hydratorWhenCacheEnabledThenOneCallPerSession() {
    stub.routes.put("/hydrate", r -> json(200, "{\"extra\":{\"plan\":\"pro\"}}"));
    AccessRules rules = builder().enable(HandlerKind.MUTATOR, "hydrator")
        .rules(Rule.builder("h").match("http://my-app/<.*>", "GET").authenticator("anonymous").authorizer("allow")
            .mutator(RuleHandler.of("hydrator", JSON.readTree("{\"api\":{\"url\":\"" + stub.url("/hydrate")
                + "\"},\"cache\":{\"enabled\":true,\"ttl\":\"1m\"}}"))).build()).build();
    decide(rules, get("http://my-app/x"));
    decide(rules, get("http://my-app/x"));
    assertEquals(1, stub.calls.size());
  }

  @Test
  void urlSourceWhenRulesChangeThenReloadIfChangedPicksThemUp() {
    String doc = "[{\"id\":\"a\",\"match\":{\"url\":\"http://my-app/a\",\"methods\":[\"GET\"]},"
        + "\"authenticators\":[{\"handler\":\"anonymous\"}],\"authorizer\":{\"handler\":\"allow\"},"
        + "\"mutators\":[{\"handler\":\"noop\"}]}]";
    stub.routes.put("/rules.json", r -> json(200, doc));
    AccessRules rules = builder().source(RuleSource.url(java.net.URI.create(stub.url("/rules.json")),
        java.net.http.HttpClient.newHttpClient(), java.time.Duration.ofSeconds(5))).build();
    assertEquals(200, status(decide(rules, get("http://my-app/a"))));
    assertEquals(false, rules.reloadIfChanged());
    stub.routes.put("/rules.json", r -> json(200, doc.replace("allow", "deny")));
    assertEquals(true, rules.reloadIfChanged());
    assertEquals(403, status(decide(rules, get("http://my-app/a"))));
    stub.routes.put("/rules.json", r -> json(500, "{}"));
    org.junit.jupiter.api.Assertions.assertThrows(InvalidRulesException.class, rules::reloadIfChanged);
    assertEquals(403, status(decide(rules, get("http://my-app/a"))), "the previous set stays");
  }

  @Test
  void remoteJsonWhenRetryConfiguredThenRetriesAfter5xx() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    stub.routes.put("/flaky", r -> n.incrementAndGet() < 3 ? json(503, "{}") : json(200, "{}"));
    AccessRules withRetry = builder().enable(HandlerKind.AUTHORIZER, "remote_json")
        .rules(Rule.builder("r").match("http://my-app/<.*>", "GET").authenticator("anonymous")
            .authorizer(RuleHandler.of("remote_json", JSON.readTree("{\"remote\":\"" + stub.url("/flaky") + "\","
                + "\"payload\":\"{}\",\"retry\":{\"give_up_after\":\"5s\",\"max_delay\":\"1ms\"}}")))
            .mutator("noop").build()).build();
    assertEquals(200, status(decide(withRetry, get("http://my-app/x"))));
    assertEquals(3, stub.calls.size());
    n.set(0);
    stub.calls.clear();
    assertEquals(200, status(decide(remoteJson(stub.url("/flaky"), "2s"), get("http://my-app/x"))),
        "retried by default, as Oathkeeper does");
    assertEquals(3, stub.calls.size());
    n.set(0);
    stub.calls.clear();
    assertEquals(500, status(decide(remoteJson(stub.url("/flaky"), "2s", "\"retry\":{\"give_up_after\":\"0s\"},"),
        get("http://my-app/x"))));
    assertEquals(1, stub.calls.size());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"remote", "remote_json"})
  void remoteWhenRemoteAnswers429ThenTooManyRequestsWithItsRateLimitHeaders(String handler) {
    stub.routes.put("/authz", r -> HttpResponse.builder(429).header("Retry-After", "7")
        .header("X-Ratelimit-Limit", "10").header("X-Ratelimit-Remaining", "0").header("X-Other", "o").build());
    String payload = handler.equals("remote_json") ? ",\"payload\":\"{}\"" : "";
    AccessRules rules = builder().enable(HandlerKind.AUTHORIZER, handler)
        .rules(Rule.builder("r").match("http://my-app/<.*>", "GET").authenticator("anonymous")
            .authorizer(RuleHandler.of(handler, JSON.readTree("{\"remote\":\"" + stub.url("/authz") + "\""
                + payload + "}"))).mutator("noop").build()).build();
    AccessDecision.Denied d = assertInstanceOf(AccessDecision.Denied.class, decide(rules, get("http://my-app/x")));
    assertEquals(429, d.response().status());
    assertEquals("Too many requests", JSON.readTree(d.response().body()).path("error").path("message").asText());
    assertEquals("7", d.response().header("Retry-After").orElseThrow());
    assertEquals("10", d.response().header("X-Ratelimit-Limit").orElseThrow());
    assertEquals("0", d.response().header("X-Ratelimit-Remaining").orElseThrow());
    assertTrue(d.response().header("X-Other").isEmpty(), "only the rate-limit headers travel");
    assertEquals(1, stub.calls.size(), "a 429 is not retried");
  }

  @Test
  void cookieSessionWhenPathQueryMethodAndHeaderOptionsThenRequestShaped() {
    stub.routes.put("/users/7", r -> json(200, "{\"subject\":\"u7\"}"));
    AccessRules rules = builder().enable(HandlerKind.AUTHENTICATOR, "cookie_session")
        .rules(rule("cookie_session", "{\"check_session_url\":\"" + stub.url("/whoami") + "\","
            + "\"preserve_path\":true,\"preserve_query\":true,\"force_method\":\"GET\","
            + "\"forward_http_headers\":[\"Cookie\",\"X-Tenant\"],\"additional_headers\":{\"X-Api\":\"1\"}}")
            .build()).build();
    AccessDecision d = decide(rules, HttpRequest.builder().method("POST").scheme("http").host("my-app")
        .target("/users/7?expand=1").header("Cookie", "s=1").header("X-Tenant", "t").header("X-Other", "o").build());
    assertEquals("u7", header(d, "X-User"));
    HttpRequest call = stub.calls.get(0);
    assertEquals("GET", call.method());
    assertEquals("/users/7", call.path());
    assertEquals("expand=1", call.rawQuery());
    assertEquals("t", call.header("X-Tenant").orElseThrow());
    assertEquals("1", call.header("X-Api").orElseThrow());
    assertTrue(call.header("X-Other").isEmpty());
  }

  @Test
  void introspectionWhenPreAuthorizationThenBearerFromClientCredentials() {
    stub.routes.put("/token", r -> r.header("Authorization").orElse("").startsWith("Basic ")
        && r.formParam("scope").filter("introspect"::equals).isPresent()
        ? json(200, "{\"access_token\":\"pre-token\",\"expires_in\":3600}") : json(401, "{}"));
    stub.routes.put("/introspect", r -> r.header("Authorization").filter("Bearer pre-token"::equals).isPresent()
        ? json(200, "{\"active\":true,\"sub\":\"dave\"}") : json(401, "{}"));
    AccessRules rules = builder().enable(HandlerKind.AUTHENTICATOR, "oauth2_introspection", "{\"introspection_url\":\""
        + stub.url("/introspect") + "\",\"pre_authorization\":{\"enabled\":true,\"client_id\":\"oathkeeper\","
        + "\"client_secret\":\"s\",\"token_url\":\"" + stub.url("/token") + "\",\"scope\":[\"introspect\"]},"
        + "\"introspection_request_headers\":{\"X-Forwarded-Proto\":\"https\"}}")
        .rules(rule("oauth2_introspection", "{}").build()).build();
    assertEquals("dave", header(decide(rules, bearer("t1")), "X-User"));
    assertEquals("dave", header(decide(rules, bearer("t2")), "X-User"));
    assertEquals(1, stub.calls.stream().filter(c -> c.path().equals("/token")).count(), "the token is reused");
    assertEquals("https", stub.calls.get(1).header("X-Forwarded-Proto").orElseThrow());
  }

  @Test
  void tokenFromWhenHeaderQueryOrCookieThenTokenTakenThere() {
    introspectionStub();
    for (String from : List.of("{\"header\":\"X-Token\"}", "{\"query_parameter\":\"access_token\"}",
        "{\"cookie\":\"at\"}")) {
      AccessRules rules = introspection("{\"token_from\":" + from + "}");
      HttpRequest r = from.contains("header") ? get("http://my-app/x").toBuilder().header("X-Token", "good").build()
          : from.contains("query") ? get("http://my-app/x?access_token=good")
          : get("http://my-app/x").toBuilder().header("Cookie", "at=good").build();
      assertEquals("alice", header(decide(rules, r), "X-User"), from);
      assertEquals(401, status(decide(rules, bearer("good"))), from + ": the Authorization header is not read");
    }
  }
}
