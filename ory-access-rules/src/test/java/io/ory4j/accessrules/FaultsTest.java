package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.json.OryJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults (issue #11): a JWKS URL and a remote authorizer that are slow or dead. Time is a {@link MutableClock}
 * (advanced by hand and by the retry sleeper), so cache expiry and retry budgets are exact; the only real waits are
 * the 100ms timeouts of calls to a server that never answers.
 */
class FaultsTest {

  static final OryJson JSON = OryJson.create();
  static final Instant START = Instant.parse("2026-11-29T10:00:00Z");
  @RegisterExtension
  static final JettyStub.PerClass REMOTE = new JettyStub.PerClass();
  static RSAKey rsa;
  JettyStub stub;
  MutableClock clock;
  List<Duration> sleeps;
  CountDownLatch release;

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
  }

  @BeforeEach
  void reset() {
    stub = REMOTE.stub();
    clock = new MutableClock(START);
    sleeps = new ArrayList<>();
    release = new CountDownLatch(1);
  }

  @AfterEach
  void releaseHungCalls() {
    release.countDown();
  }

  /** A route that never answers (until the test ends). */
  void hang(String path) {
    stub.routes.put(path, r -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return JettyStub.json(503, "{}");
    });
  }

  void serveJwks() {
    stub.routes.put("/jwks", r -> JettyStub.json(200, new JWKSet(rsa.toPublicJWK()).toString()));
  }

  AccessRules.Builder builder() {
    return AccessRulesTest.defaults().clock(clock).sleeper(d -> {
      sleeps.add(d);
      clock.advance(d);
    }).enable(HandlerKind.ERROR_HANDLER, "redirect", "{\"to\":\"https://status.example/down\"}");
  }

  static RuleHandler downPage() {
    return RuleHandler.of("redirect", JSON.readTree("{\"when\":[{\"error\":[\"internal_server_error\"]}]}"));
  }

  /** A jwt rule; the first fetch may wait {@code maxWait} (a cold JVM's first call can take more than 100ms). */
  AccessRules jwtRules(String jwksUrl, String maxWait) {
    return builder().enable(HandlerKind.AUTHENTICATOR, "jwt")
        .rules(Rule.builder("jwt").match("http://my-app/<.*>", "GET")
            .authenticator(RuleHandler.of("jwt", JSON.readTree("{\"jwks_urls\":[\"" + jwksUrl + "\"],"
                + "\"jwks_ttl\":\"30s\",\"jwks_max_wait\":\"" + maxWait + "\"}")))
            .authorizer("allow").mutator("noop").error(downPage()).build())
        .build();
  }

  HttpRequest bearer() throws Exception {
    SignedJWT j = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
        new JWTClaimsSet.Builder().subject("carol").expirationTime(Date.from(START.plusSeconds(3600)))
            .issueTime(Date.from(START)).build());
    j.sign(new RSASSASigner(rsa));
    return HttpRequest.builder().host("my-app").path("/x").header("Authorization", "Bearer " + j.serialize())
        .build();
  }

  static void assertDownPage(AccessDecision d) {
    AccessDecision.Denied denied = assertInstanceOf(AccessDecision.Denied.class, d);
    assertEquals(500, denied.error().status());
    assertEquals(302, denied.response().status(), "the rule's error handler answers");
    assertEquals("https://status.example/down", denied.response().header("Location").orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dead", "slow"})
  void jwtWhenJwksUrlFailsAfterAFetchThenTheKeysFetchedBeforeStillVerify(String fault) throws Exception {
    serveJwks();
    AccessRules rules = jwtRules(stub.url("/jwks"), "1s");
    assertEquals("carol", assertInstanceOf(AccessDecision.Allowed.class, rules.decide(bearer())).subject());
    if (fault.equals("dead")) {
      stub.routes.put("/jwks", r -> JettyStub.json(503, "{}"));
    } else {
      hang("/jwks");
    }
    clock.advance(Duration.ofSeconds(31)); // past jwks_ttl: the next request refreshes, which fails
    assertEquals("carol", assertInstanceOf(AccessDecision.Allowed.class, rules.decide(bearer())).subject());
    assertInstanceOf(AccessDecision.Allowed.class, rules.decide(bearer()));
    assertEquals(2, stub.calls.size(), "one refresh tried; the old keys are then kept for another jwks_ttl");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dead", "slow"})
  void jwtWhenJwksUrlFailsBeforeAnyFetchThenConfiguredErrorHandlerAnswers(String fault) throws Exception {
    String url;
    if (fault.equals("dead")) {
      url = "http://127.0.0.1:" + JettyStub.closedPort() + "/jwks";
    } else {
      hang("/jwks");
      url = stub.url("/jwks");
    }
    assertDownPage(jwtRules(url, "100ms").decide(bearer()));
  }

  AccessRules remoteRules(String handler, String url) {
    return remoteRules(handler, url, "100ms");
  }

  AccessRules remoteRules(String handler, String url, String timeout) {
    String payload = handler.equals("remote_json") ? ",\"payload\":\"{}\"" : "";
    return builder().enable(HandlerKind.AUTHORIZER, handler)
        .rules(Rule.builder("r").match("http://my-app/<.*>", "GET", "POST").authenticator("anonymous")
            .authorizer(RuleHandler.of(handler, JSON.readTree("{\"remote\":\"" + url + "\"" + payload
                + ",\"timeout\":\"" + timeout + "\",\"retry\":{\"give_up_after\":\"300ms\",\"max_delay\":\"100ms\"}}")))
            .mutator("noop").error(downPage()).build())
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"remote", "remote_json"})
  void remoteAuthorizerWhenDeadThenRetriedForGiveUpAfterThenConfiguredErrorHandler(String handler) {
    AccessRules rules = remoteRules(handler, "http://127.0.0.1:" + JettyStub.closedPort() + "/authz");
    assertDownPage(rules.decide(HttpRequest.builder().host("my-app").path("/x").build()));
    assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(100)), sleeps);
  }

  @ParameterizedTest
  @ValueSource(strings = {"remote", "remote_json"})
  void remoteAuthorizerWhenSlowThenEachAttemptTimesOutAndConfiguredErrorHandlerAnswers(String handler) {
    hang("/authz");
    AccessRules rules = remoteRules(handler, stub.url("/authz"));
    assertDownPage(rules.decide(HttpRequest.builder().method("POST").host("my-app").path("/x").body("doc").build()));
    assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(100)), sleeps);
  }

  @Test
  void remoteAuthorizerWhenItRecoversThenTheNextRequestIsAllowed() {
    stub.routes.put("/authz", r -> JettyStub.json(503, "{}"));
    AccessRules rules = remoteRules("remote", stub.url("/authz"), "10s");
    assertDownPage(rules.decide(HttpRequest.builder().host("my-app").path("/x").build()));
    stub.routes.put("/authz", r -> JettyStub.json(200, "{}"));
    assertInstanceOf(AccessDecision.Allowed.class, rules.decide(HttpRequest.builder().host("my-app").path("/x")
        .build()));
  }
}
