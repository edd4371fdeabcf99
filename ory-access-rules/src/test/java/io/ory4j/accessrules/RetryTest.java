package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.json.OryJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Oathkeeper's {@code retry: {give_up_after, max_delay}} on every handler that has it, against a real server that
 * fails and then answers, and one that never answers. Time is a {@link MutableClock} that the sleeper advances: the
 * delays between attempts and the number of attempts are exact, and nothing waits but the attempts' own timeouts.
 */
class RetryTest {

  static final OryJson JSON = OryJson.create();
  @RegisterExtension
  static final JettyStub.PerClass REMOTE = new JettyStub.PerClass();
  JettyStub stub;
  MutableClock clock;
  List<Duration> sleeps;

  @BeforeEach
  void reset() {
    stub = REMOTE.stub();
    clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    sleeps = new CopyOnWriteArrayList<>();
  }

  static HttpResponse json(int status, String body) {
    return JettyStub.json(status, body);
  }

  /** What the remote answers when it works, per handler. */
  static String success(String handler) {
    return switch (handler) {
      case "oauth2_introspection" -> "{\"active\":true,\"sub\":\"alice\"}";
      case "oauth2_client_credentials" -> "{\"access_token\":\"t\",\"token_type\":\"bearer\"}";
      case "hydrator" -> "{\"subject\":\"anonymous\",\"extra\":{\"plan\":\"gold\"}}";
      default -> "{}";
    };
  }

  /**
   * Rules with {@code handler} calling {@code /remote} under {@code retry}, and a redirect for 500s; each attempt
   * times out after 10s (long enough that a loaded machine never turns an answer into a timeout).
   */
  AccessRules rules(String handler, String retry) {
    return rules(handler, retry, "10s");
  }

  AccessRules rules(String handler, String retry, String timeout) {
    String url = stub.url("/remote");
    String common = "\"timeout\":\"" + timeout + "\"" + (retry.isEmpty() ? "" : ",\"retry\":" + retry);
    Rule.Builder r = Rule.builder("r").match("http://my-app/<.*>", "GET");
    AccessRules.Builder b = AccessRulesTest.defaults().clock(clock).sleeper(d -> {
      sleeps.add(d);
      clock.advance(d);
    }).enable(HandlerKind.ERROR_HANDLER, "redirect", "{\"to\":\"https://status.example/down\"}");
    switch (handler) {
      case "oauth2_introspection" -> {
        b.enable(HandlerKind.AUTHENTICATOR, handler);
        r.authenticator(RuleHandler.of(handler, JSON.readTree("{\"introspection_url\":\"" + url + "\"," + common
            + "}"))).authorizer("allow").mutator("noop");
      }
      case "oauth2_client_credentials" -> {
        b.enable(HandlerKind.AUTHENTICATOR, handler);
        r.authenticator(RuleHandler.of(handler, JSON.readTree("{\"token_url\":\"" + url + "\"," + common + "}")))
            .authorizer("allow").mutator("noop");
      }
      case "remote" -> {
        b.enable(HandlerKind.AUTHORIZER, handler);
        r.authenticator("anonymous").authorizer(RuleHandler.of(handler, JSON.readTree("{\"remote\":\"" + url
            + "\"," + common + "}"))).mutator("noop");
      }
      case "remote_json" -> {
        b.enable(HandlerKind.AUTHORIZER, handler);
        r.authenticator("anonymous").authorizer(RuleHandler.of(handler, JSON.readTree("{\"remote\":\"" + url
            + "\",\"payload\":\"{}\"," + common + "}"))).mutator("noop");
      }
      case "hydrator" -> {
        b.enable(HandlerKind.MUTATOR, handler);
        r.authenticator("anonymous").authorizer("allow").mutator(RuleHandler.of(handler, JSON.readTree(
            "{\"api\":{\"url\":\"" + url + "\"," + common + "}}")));
      }
      default -> throw new IllegalArgumentException(handler);
    }
    // oauth2_client_credentials reports an unreachable token endpoint as 503, as Oathkeeper does
    r.error(RuleHandler.of("redirect", JSON.readTree("{\"when\":[{\"error\":[\"internal_server_error\","
        + "\"service_unavailable\"]}]}")));
    return b.rules(r.build()).build();
  }

  static HttpRequest request(String handler) {
    HttpRequest.Builder b = HttpRequest.builder().host("my-app").path("/x");
    if (handler.equals("oauth2_introspection")) {
      b.header("Authorization", "Bearer opaque");
    } else if (handler.equals("oauth2_client_credentials")) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("app:secret".getBytes(
          StandardCharsets.UTF_8)));
    }
    return b.build();
  }

  /** Answers {@code status} the first {@code failures} times, then the handler's success. */
  void failThenSucceed(String handler, int failures, int status) {
    AtomicInteger n = new AtomicInteger();
    stub.routes.put("/remote", req -> n.incrementAndGet() <= failures ? json(status, "{}")
        : json(200, success(handler)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"oauth2_introspection", "oauth2_client_credentials", "remote", "remote_json", "hydrator"})
  void retryWhenRemoteFailsTwiceThenThirdAttemptDecidesAfterBackoff(String handler) {
    failThenSucceed(handler, 2, 503);
    AccessDecision d = rules(handler, "{\"give_up_after\":\"1s\",\"max_delay\":\"80ms\"}")
        .decide(request(handler));
    assertInstanceOf(AccessDecision.Allowed.class, d, () -> ((AccessDecision.Denied) d).error().getMessage());
    assertEquals(3, stub.calls.size());
    assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(80)), sleeps, "50ms, doubling, cut to max_delay");
  }

  @ParameterizedTest
  @ValueSource(strings = {"oauth2_introspection", "oauth2_client_credentials", "remote", "remote_json", "hydrator"})
  void retryWhenNotConfiguredThenOathkeeperDefaultsApply(String handler) {
    failThenSucceed(handler, 1, 502);
    assertInstanceOf(AccessDecision.Allowed.class, rules(handler, "").decide(request(handler)));
    assertEquals(2, stub.calls.size());
    assertEquals(List.of(Duration.ofMillis(50)), sleeps);
  }

  @ParameterizedTest
  @ValueSource(strings = {"oauth2_introspection", "oauth2_client_credentials", "remote", "remote_json", "hydrator"})
  void retryWhenRemoteNeverAnswersThenGivesUpAfterBudgetAndErrorHandlerAnswers(String handler) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    stub.routes.put("/remote", req -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return json(200, success(handler));
    });
    try {
      AccessDecision d = rules(handler, "{\"give_up_after\":\"300ms\",\"max_delay\":\"100ms\"}", "100ms")
          .decide(request(handler));
      AccessDecision.Denied denied = assertInstanceOf(AccessDecision.Denied.class, d);
      assertEquals(302, denied.response().status(), "the rule's redirect error handler answers the 500");
      assertEquals("https://status.example/down", denied.response().header("Location").orElseThrow());
      // attempts at 0, 50, 150 and 250ms; after the fourth, 100ms more would pass give_up_after
      assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(100)), sleeps);
      // four attempts (the server may not see one that timed out before it connected, so count the waits)
      assertEquals(4, sleeps.size() + 1);
      org.junit.jupiter.api.Assertions.assertTrue(stub.calls.size() <= 4);
      assertEquals(Duration.ofMillis(250), Duration.between(Instant.parse("2026-11-29T10:00:00Z"), clock.instant()));
    } finally {
      release.countDown();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"remote", "hydrator"})
  void retryWhenRemoteAnswers501Or4xxThenNoRetry(String handler) {
    for (int status : new int[] {501, 400}) {
      stub.calls.clear();
      sleeps.clear();
      failThenSucceed(handler, 1, status);
      AccessDecision d = rules(handler, "").decide(request(handler));
      assertInstanceOf(AccessDecision.Denied.class, d);
      assertEquals(1, stub.calls.size());
      assertEquals(List.of(), sleeps);
    }
  }

  @Test
  void retryWhenGiveUpAfterZeroThenOneAttempt() {
    failThenSucceed("remote_json", 1, 503);
    AccessDecision d = rules("remote_json", "{\"give_up_after\":\"0s\"}").decide(request("remote_json"));
    assertEquals(302, assertInstanceOf(AccessDecision.Denied.class, d).response().status());
    assertEquals(1, stub.calls.size());
  }

  @Test
  void retryWhenConfigInvalidThenRefusedAtLoad() {
    InvalidRulesException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidRulesException.class,
        () -> rules("remote_json", "{\"give_up_after\":\"soon\"}"));
    assertEquals("authorizer.config.retry.give_up_after", e.problems().get(0).field());
  }
}
