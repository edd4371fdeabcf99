package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.json.OryJson;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile requests and templates through the whole pipeline (issue #11): whatever arrives, {@code decide} answers
 * with a decision, and a refusal is an error handler's response with a status and, for a 500, a reason (never the
 * "failed unexpectedly" path). Templates of any shape load or are refused naming the rule and field.
 */
class HostileRequestProperties {

  static final OryJson JSON = OryJson.create();

  static final AccessRules RULES = RuleFilesProperties.everything()
      .source(RuleSource.of(RuleFiles.parse(RuleFilesProperties.JSON_FILE, "fixture")))
      .rules(Rule.builder("captures").match("<http|https>://<[^/]+>/c/<[a-z]+>/<[0-9]+>", "GET", "POST")
              .authenticator("anonymous").authorizer("allow").mutator(RuleHandler.of("header", JSON.readTree(
                  "{\"headers\":{\"X-Path\":\"{{ printIndex .MatchContext.RegexpCaptureGroups 2 }}\","
                      + "\"X-Q\":\"{{ .MatchContext.URL.Query.Get \\\"q\\\" | urlquery }}\"}}"))).build(),
          Rule.builder("look").match("http://slow/<(?=a)(a|aa)+>!", "GET").authenticator("anonymous")
              .authorizer("allow").mutator("noop").build())
      .build();

  static void assertAnswered(AccessDecision d) {
    assertNotNull(d);
    if (d instanceof AccessDecision.Denied denied) {
      int status = denied.response().status();
      assertFalse(status < 300 || status > 599, "status " + status);
      if (denied.error().status() >= 500) {
        assertNotNull(denied.error().error().reason(), "a 500 names its reason: " + denied.error().getMessage());
      }
    }
  }

  @Provide
  Arbitrary<HttpRequest> requests() {
    Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "DELETE", "get", "PROPFIND", "", "G E T");
    Arbitrary<String> host = Arbitraries.oneOf(Arbitraries.of("my-app", "my-app:8080", "MY-APP", "", "[::1]:1",
        "slow", "a..b"), Arbitraries.strings().ofMaxLength(30));
    Arbitrary<String> path = Arbitraries.oneOf(
        Arbitraries.strings().withChars("/.%az09?#:;@<>\\ \u00e9\u0000").ofMaxLength(60).map(s -> "/" + s),
        Arbitraries.of("/c/abc/123", "/c/../c/abc/9", "//c//abc//1", "/users/7", "/some-route/x/../../admin"),
        Arbitraries.strings().ofMaxLength(40));
    Arbitrary<String> query = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().withChars("q=%&+az;")
        .ofMaxLength(30));
    Arbitrary<String> header = Arbitraries.strings().ofMaxLength(40);
    return Combinators.combine(method, host, path, query, header).as((m, h, p, q, v) -> {
      HttpRequest.Builder b = HttpRequest.builder().host(h).path(p).rawQuery(q.isEmpty() ? null : q)
          .addHeader("Authorization", v).addHeader("Cookie", v).addHeader("Content-Type", v).addHeader("Accept", v);
      try {
        b.method(m);
      } catch (IllegalArgumentException e) {
        b.method("GET");
      }
      return b.build();
    });
  }

  @Property(tries = 5000)
  void decideWhenArbitraryRequestThenAnAnswerNeverAnException(@ForAll("requests") HttpRequest request) {
    assertAnswered(RULES.decide(request));
  }

  @Example
  void decideWhenLookaroundPatternMeetsALongUrlThenFailsClosedThroughTheErrorHandler() {
    HttpRequest r = HttpRequest.builder().host("slow").path("/" + "a".repeat(50_000) + "?").build();
    AccessDecision d = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> RULES.decide(r));
    AccessDecision.Denied denied = (AccessDecision.Denied) d;
    assertEquals(500, denied.response().status());
    assertAnswered(d);
  }

  @Provide
  Arbitrary<String> templates() {
    Arbitrary<String> atom = Arbitraries.of(".Subject", ".Extra", ".Extra.a.b", ".Header", ".MatchContext.URL",
        ".MatchContext.RegexpCaptureGroups", ".MatchContext.Header.Get \"X\"", "\"s\"", "1", "-1", "99999999999",
        "nil", "$x", ".", "(", ")", "|", "print", "printIndex", "index", "urlquery", "toJson", "default \"d\"",
        "lower", "len", "if", "range", "end", "{{", "}}", "{{-", "-}}", "/*", "*/", "\"", "\\", "\u00e9");
    return atom.list().ofMaxSize(8).map(l -> "{{ " + String.join(" ", l) + " }}")
        .flatMap(t -> Arbitraries.of(t, "pre " + t + " post", t + t, "{{" + t));
  }

  @Property(tries = 3000)
  void templateWhenAnyShapeThenLoadsOrRefusedWithFieldAndRendersOrFailsWithReason(
      @ForAll("templates") String template) {
    AccessRules rules;
    try {
      rules = AccessRulesTest.defaults().rules(Rule.builder("t").match("http://my-app/<[a-z]+>/<[0-9]*>", "GET")
          .authenticator("anonymous").authorizer("allow").mutator(RuleHandler.of("header",
              JSON.mapper().createObjectNode().set("headers", JSON.mapper().createObjectNode().put("X-T", template))))
          .build()).build();
    } catch (InvalidRulesException e) {
      RuleFilesProperties.assertProblemsNamed(e);
      assertEquals(List.of("mutators[0].config.headers.X-T"), e.problems().stream().map(RuleProblem::field)
          .toList(), template);
      return;
    }
    assertAnswered(rules.decide(AccessRulesTest.get("http://my-app/abc/1")));
  }

  @Example
  void decisionApiWhenForwardedHostIsNoHostThenAClientErrorNotAnException() {
    for (String host : new String[] {" ", "a b", "x\u0000y", "{}", "a/b?c", "[::1"}) {
      var res = new io.ory4j.accessrules.http.DecisionApi(RULES).decide(HttpRequest.builder().path("/decisions/x")
          .header("X-Forwarded-Host", host).build());
      org.junit.jupiter.api.Assertions.assertTrue(res.status() == 400 || res.status() == 404, host + ": "
          + res.status());
    }
  }

  @Example
  void templateWhenBareDotTakesArgumentsThenRefusedNamingTheField() {
    InvalidRulesException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidRulesException.class,
        () -> AccessRulesTest.defaults().rules(Rule.builder("t").match("http://my-app/", "GET")
            .authenticator("anonymous").authorizer("allow").mutator(RuleHandler.of("header", JSON.readTree(
                "{\"headers\":{\"X-T\":\"{{ . .Subject }}\"}}"))).build()).build());
    assertEquals("mutators[0].config.headers.X-T", e.problems().get(0).field());
  }
}
