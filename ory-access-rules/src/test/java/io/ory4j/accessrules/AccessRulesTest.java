package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.http.HttpInterceptor;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessRulesTest {

  static Path resource(String name) {
    try {
      return Path.of(Objects.requireNonNull(AccessRulesTest.class.getResource("/rules/" + name)).toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static AccessRules.Builder defaults() {
    return AccessRules.builder()
        .enable(HandlerKind.AUTHENTICATOR, "noop")
        .enable(HandlerKind.AUTHENTICATOR, "anonymous")
        .enable(HandlerKind.AUTHENTICATOR, "unauthorized")
        .enable(HandlerKind.AUTHORIZER, "allow")
        .enable(HandlerKind.AUTHORIZER, "deny")
        .enable(HandlerKind.MUTATOR, "noop")
        .enable(HandlerKind.MUTATOR, "header")
        .enable(HandlerKind.MUTATOR, "cookie");
  }

  static HttpRequest get(String url) {
    java.net.URI u = java.net.URI.create(url);
    return HttpRequest.builder().method("GET").scheme(u.getScheme()).host(u.getAuthority())
        .target(u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())).build();
  }

  static Rule.Builder rule(String id, String url) {
    return Rule.builder(id).match(url, "GET").authenticator("anonymous").authorizer("allow").mutator("noop");
  }

  @Test
  void readWhenOathkeeperJsonAndYamlThenSameRules() {
    List<Rule> json = RuleFiles.read(resource("oathkeeper-rules.json"));
    List<Rule> yaml = RuleFiles.read(resource("oathkeeper-rules.yaml"));
    assertEquals(json, yaml);
    assertEquals(2, json.size());
    assertEquals(new Upstream("http://my-backend-service", true, "/api/v1"), json.get(0).upstream());
    assertEquals(List.of("GET", "POST"), json.get(0).match().methods());
    assertEquals("guest", json.get(1).authenticators().get(0).config().get("subject").asText());
  }

  @Test
  void decideWhenRuleFromFileThenTemplatesFillHeaders() {
    AccessRules rules = defaults().source(RuleSource.path(resource("oathkeeper-rules.yaml"))).build();
    AccessDecision d = rules.decide(get("https://my-app/users/42?x=1"));
    AccessDecision.Allowed a = assertInstanceOf(AccessDecision.Allowed.class, d);
    assertEquals("users-api", a.rule().id());
    assertEquals("guest", a.subject());
    assertEquals(List.of("guest"), a.headers().get("X-User"));
    assertEquals(List.of("42"), a.headers().get("X-User-Id"));
  }

  @Test
  void buildWhenInvalidRulesThenEveryProblemNamedWithRuleAndField() {
    InvalidRulesException e = assertThrows(InvalidRulesException.class,
        () -> defaults().disable(HandlerKind.AUTHENTICATOR, "cookie_session")
            .source(RuleSource.path(resource("invalid-rules.json"))).build());
    assertEquals(3, e.problems().size(), e.problems().toString());
    assertEquals(new RuleProblem("bad-pattern", "match.url", e.problems().get(0).reason()), e.problems().get(0));
    assertTrue(e.problems().get(0).reason().contains("invalid regular expression"));
    assertEquals("disabled-handler", e.problems().get(1).ruleId());
    assertEquals("authenticators[0].handler", e.problems().get(1).field());
    assertTrue(e.problems().get(1).reason().contains("not enabled"));
    assertEquals("bad-template", e.problems().get(2).ruleId());
    assertEquals("mutators[0].config.headers.X-A", e.problems().get(2).field());
    assertTrue(e.problems().get(2).reason().contains("\"if\" is not supported"), e.problems().get(2).reason());
  }

  @Test
  void parseWhenStructurallyInvalidThenRefusedWhole() {
    InvalidRulesException e = assertThrows(InvalidRulesException.class, () -> RuleFiles.parse(
        "[{\"id\":\"a\",\"match\":{\"url\":\"http://x/\",\"methods\":\"GET\"}},{\"id\":\"a\",\"match\":{}}]",
        "test"));
    assertEquals(List.of(new RuleProblem("a", "match.methods", "must be an array of strings"),
        new RuleProblem("a", "id", "is used by more than one rule"),
        new RuleProblem("a", "match.url", "is required")), e.problems());
    assertThrows(InvalidRulesException.class, () -> RuleFiles.parse("{not json", "test"));
    assertThrows(InvalidRulesException.class, () -> RuleFiles.parse("{\"id\": \"x\"}", "test"));
  }

  @Test
  void buildWhenRuleMissesPipelinePartsThenRefused() {
    InvalidRulesException e = assertThrows(InvalidRulesException.class, () -> defaults().rules(
        Rule.builder("empty").match("http://x/", List.of()).build()).build());
    assertEquals(List.of("match.methods", "authenticators", "authorizer", "mutators"),
        e.problems().stream().map(RuleProblem::field).toList());
  }

  @Test
  void decideWhenNoRuleMatchesThen404JsonError() {
    AccessRules rules = defaults().rules(rule("a", "http://my-app/a").build()).build();
    AccessDecision.Denied d = assertInstanceOf(AccessDecision.Denied.class, rules.decide(get("http://my-app/b")));
    assertEquals(404, d.response().status());
    assertTrue(d.response().bodyText().contains("\"code\":404"), d.response().bodyText());
    assertInstanceOf(AccessDecision.Denied.class, rules.decide(HttpRequest.builder().method("POST").scheme("http")
        .host("my-app").path("/a").build()));
  }

  @Test
  void decideWhenQueryPresentThenMatchedWithoutIt() {
    AccessRules rules = defaults().rules(rule("a", "http://my-app/a").build()).build();
    assertInstanceOf(AccessDecision.Allowed.class, rules.decide(get("http://my-app/a?admin=true")));
  }

  @Test
  void decideWhenPathHasDotSegmentsThenCleanedBeforeMatching() {
    AccessRules rules = defaults().rules(
        rule("public", "http://my-app/public/<.*>").build(),
        rule("admin", "http://my-app/admin/<.*>").authorizer("deny").build()).build();
    AccessDecision.Denied d = assertInstanceOf(AccessDecision.Denied.class,
        rules.decide(get("http://my-app/public/../admin/users")));
    assertEquals(403, d.response().status());
    assertEquals("admin", Objects.requireNonNull(d.rule()).id());
  }

  @Test
  void decideWhenTwoRulesMatchThen500AsOathkeeper() {
    AccessRules rules = defaults().rules(rule("a", "http://my-app/<.*>").build(),
        rule("b", "http://my-app/x").build()).build();
    AccessDecision.Denied d = assertInstanceOf(AccessDecision.Denied.class, rules.decide(get("http://my-app/x")));
    assertEquals(500, d.response().status());
  }

  @Test
  void decideWhenPrecedenceModeThenPriorityThenFirstMatch() {
    AccessRules rules = defaults().overlapPolicy(OverlapPolicy.PRECEDENCE).rules(
        rule("catch-all", "http://my-app/<.*>").build(),
        rule("x", "http://my-app/x").priority(10).build(),
        rule("x-too", "http://my-app/<x>").priority(10).build()).build();
    assertEquals("x", ((AccessDecision.Allowed) rules.decide(get("http://my-app/x"))).rule().id());
    assertEquals("catch-all", ((AccessDecision.Allowed) rules.decide(get("http://my-app/y"))).rule().id());
  }

  @Test
  void decideWhenAuthorizationHeaderThenAnonymousNotResponsibleAndNextRuns() {
    AccessRules rules = defaults().rules(rule("a", "http://my-app/a").authenticator("unauthorized").build()).build();
    AccessDecision.Denied d = assertInstanceOf(AccessDecision.Denied.class, rules.decide(get("http://my-app/a")
        .toBuilder().header("Authorization", "Bearer x").build()));
    assertEquals(401, d.response().status());
    assertInstanceOf(AccessDecision.Allowed.class, rules.decide(get("http://my-app/a")));
  }

  @Test
  void decideWhenOnlyNonResponsibleAuthenticatorsThen401() {
    AccessRules rules = defaults().rules(Rule.builder("a").match("http://my-app/a", "GET").authenticator("anonymous")
        .authorizer("allow").mutator("noop").build()).build();
    AccessDecision.Denied d = assertInstanceOf(AccessDecision.Denied.class, rules.decide(get("http://my-app/a")
        .toBuilder().header("Authorization", "Basic eA==").build()));
    assertEquals(401, d.response().status());
  }

  @Test
  void decideWhenDenyThen403() {
    AccessRules rules = defaults().rules(rule("a", "http://my-app/a").authorizer("deny").build()).build();
    assertEquals(403, ((AccessDecision.Denied) rules.decide(get("http://my-app/a"))).response().status());
  }

  @Test
  void decideWhenCookieMutatorThenCookieHeaderMerged() {
    AccessRules rules = defaults().rules(rule("a", "http://my-app/a").mutator(RuleHandler.of("cookie",
        io.ory4j.core.json.OryJson.create().readTree("{\"cookies\":{\"user\":\"{{ print .Subject }}\"}}"))).build())
        .build();
    AccessDecision.Allowed a = (AccessDecision.Allowed) rules.decide(get("http://my-app/a").toBuilder()
        .header("Cookie", "theme=dark").build());
    assertEquals(List.of("theme=dark; user=anonymous"), a.headers().get("Cookie"));
  }

  @Test
  void interceptWhenAllowedThenProceedWithHeaders() {
    AccessRules rules = defaults().rules(rule("a", "http://my-app/a").mutator(RuleHandler.of("header",
        io.ory4j.core.json.OryJson.create().readTree("{\"headers\":{\"X-User\":\"{{ print .Subject }}\"}}")))
        .build()).build();
    HttpInterceptor.Proceed p = assertInstanceOf(HttpInterceptor.Proceed.class,
        rules.intercept(get("http://my-app/a")));
    assertEquals(Map.of("X-User", List.of("anonymous")), p.setHeaders());
    assertInstanceOf(HttpInterceptor.Respond.class, rules.intercept(get("http://my-app/zzz")));
  }

  @Test
  void buildWhenGlobalConfigThenMergedWithRuleConfig() {
    AccessRules rules = defaults().enable(HandlerKind.AUTHENTICATOR, "anonymous", "{\"subject\":\"global\"}")
        .rules(rule("a", "http://my-app/a").build(),
            Rule.builder("b").match("http://my-app/b", "GET").authenticator(RuleHandler.of("anonymous",
                io.ory4j.core.json.OryJson.create().readTree("{\"subject\":\"local\"}"))).authorizer("allow")
                .mutator("noop").build()).build();
    assertEquals("global", ((AccessDecision.Allowed) rules.decide(get("http://my-app/a"))).subject());
    assertEquals("local", ((AccessDecision.Allowed) rules.decide(get("http://my-app/b"))).subject());
  }

  @Test
  void decideWhenRedirectErrorHandlerMatchesWhenThenRedirectsWithReturnTo() {
    AccessRules rules = defaults()
        .enable(HandlerKind.ERROR_HANDLER, "redirect", "{\"to\":\"https://login.example.com/login\","
            + "\"return_to_query_param\":\"return_to\"}")
        .enable(HandlerKind.ERROR_HANDLER, "www_authenticate", "{\"realm\":\"Secret\"}")
        .rules(Rule.builder("a").match("http://my-app/a", "GET").authenticator("unauthorized").authorizer("allow")
            .mutator("noop")
            .error(RuleHandler.of("redirect", io.ory4j.core.json.OryJson.create().readTree(
                "{\"when\":[{\"error\":[\"unauthorized\"],\"request\":{\"header\":{\"accept\":[\"text/html\"]}}}]}")))
            .error(RuleHandler.of("www_authenticate", io.ory4j.core.json.OryJson.create().readTree(
                "{\"when\":[{\"error\":[\"unauthorized\"],\"request\":{\"header\":{\"accept\":"
                    + "[\"application/xml\"]}}}]}")))
            .build())
        .build();
    HttpResponse html = ((AccessDecision.Denied) rules.decide(get("http://my-app/a?x=1").toBuilder()
        .header("Accept", "text/html,application/xhtml+xml").build())).response();
    assertEquals(302, html.status());
    assertEquals("https://login.example.com/login?return_to=http%3A%2F%2Fmy-app%2Fa%3Fx%3D1",
        html.header("Location").orElseThrow());
    HttpResponse basic = ((AccessDecision.Denied) rules.decide(get("http://my-app/a").toBuilder()
        .header("Accept", "application/xml").build())).response();
    assertEquals(401, basic.status());
    assertEquals("Basic realm=Secret", basic.header("WWW-Authenticate").orElseThrow());
    HttpResponse json = ((AccessDecision.Denied) rules.decide(get("http://my-app/a").toBuilder()
        .header("Accept", "application/json").build())).response();
    assertEquals(401, json.status());
    assertTrue(json.bodyText().startsWith("{\"error\":{\"code\":401"), json.bodyText());
    assertFalse(json.bodyText().contains("reason"));
  }

  @Test
  void decideWhenVerboseJsonThenReasonShown() {
    AccessRules rules = defaults().enable(HandlerKind.ERROR_HANDLER, "json", "{\"verbose\":true}")
        .rules(rule("a", "http://my-app/a").authorizer("deny").build()).build();
    assertTrue(((AccessDecision.Denied) rules.decide(get("http://my-app/a"))).response().bodyText()
        .contains("\"reason\""));
  }

  @Test
  void decideWhenWhenMatchesRemoteIpThenHandlerChosen() {
    AccessRules rules = defaults()
        .enable(HandlerKind.ERROR_HANDLER, "www_authenticate")
        .rules(rule("a", "http://my-app/a").authorizer("deny").error(RuleHandler.of("www_authenticate",
            io.ory4j.core.json.OryJson.create().readTree("{\"when\":[{\"request\":{\"remote_ip\":{\"match\":"
                + "[\"10.0.0.0/8\"],\"respect_forwarded_for_header\":true}}}]}"))).build())
        .build();
    assertEquals(401, ((AccessDecision.Denied) rules.decide(get("http://my-app/a").toBuilder()
        .remoteAddress("10.1.2.3").build())).response().status());
    assertEquals(401, ((AccessDecision.Denied) rules.decide(get("http://my-app/a").toBuilder()
        .header("X-Forwarded-For", "192.168.0.1, 10.9.9.9").build())).response().status());
    assertEquals(403, ((AccessDecision.Denied) rules.decide(get("http://my-app/a"))).response().status());
  }

  @Test
  void reloadWhenFileChangesThenNewSetAndWhenInvalidThenPreviousStays(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rules.json");
    Files.writeString(file, "[{\"id\":\"a\",\"match\":{\"url\":\"http://my-app/a\",\"methods\":[\"GET\"]},"
        + "\"authenticators\":[{\"handler\":\"anonymous\"}],\"authorizer\":{\"handler\":\"allow\"},"
        + "\"mutators\":[{\"handler\":\"noop\"}]}]");
    AccessRules rules = defaults().source(RuleSource.path(dir)).build();
    assertFalse(rules.reloadIfChanged());
    Files.writeString(file, Files.readString(file).replace("\"allow\"", "\"deny\""));
    assertTrue(rules.reloadIfChanged());
    assertEquals(403, ((AccessDecision.Denied) rules.decide(get("http://my-app/a"))).response().status());
    Files.writeString(file, Files.readString(file).replace("http://my-app/a", "http://my-app/<[a"));
    InvalidRulesException e = assertThrows(InvalidRulesException.class, rules::reloadIfChanged);
    assertEquals("match.url", e.problems().get(0).field());
    assertEquals(403, ((AccessDecision.Denied) rules.decide(get("http://my-app/a"))).response().status());
    Files.writeString(dir.resolve("more.yaml"), "- id: b\n  match: {url: 'http://my-app/b', methods: [GET]}\n"
        + "  authenticators: [{handler: noop}]\n  authorizer: {handler: allow}\n  mutators: [{handler: noop}]\n");
    Files.writeString(file, Files.readString(file).replace("http://my-app/<[a", "http://my-app/a"));
    rules.reload();
    assertEquals(List.of("b", "a"), rules.rules().stream().map(Rule::id).toList());
  }

  @Test
  void decideWhenLookaroundPatternTimesOutThen500NotATrace() {
    AccessRules rules = defaults().regexDeadline(Duration.ofNanos(1))
        .rules(rule("slow", "http://my-app/<(?=a)(a+)+b>").build()).build();
    AccessDecision.Denied d = assertInstanceOf(AccessDecision.Denied.class,
        rules.decide(get("http://my-app/aaaaaaaaaaaaaaaaaaaaaaaaaaaaac")));
    assertEquals(500, d.response().status());
    assertFalse(d.response().bodyText().contains("Exception"));
  }

  @Test
  void environmentWhenOathkeeperVariablesThenApplied() {
    String doc = java.util.Base64.getEncoder().encodeToString(("[{\"id\":\"a\",\"match\":{\"url\":"
        + "\"http://my-app/<*>\",\"methods\":[\"GET\"]},\"authenticators\":[{\"handler\":\"anonymous\"}],"
        + "\"authorizer\":{\"handler\":\"allow\"},\"mutators\":[{\"handler\":\"header\"}]}]").getBytes());
    AccessRules rules = AccessRules.builder().environment(Map.of(
        "ACCESS_RULES_REPOSITORIES", "inline://" + doc,
        "ACCESS_RULES_MATCHING_STRATEGY", "glob",
        "AUTHENTICATORS_ANONYMOUS_ENABLED", "true",
        "AUTHENTICATORS_ANONYMOUS_CONFIG_SUBJECT", "env-guest",
        "AUTHORIZERS_ALLOW_ENABLED", "true",
        "MUTATORS_HEADER_ENABLED", "true",
        "MUTATORS_HEADER_CONFIG", "{\"headers\":{\"X-User\":\"{{ print .Subject }}\"}}")).build();
    assertEquals(MatchingStrategy.GLOB, rules.matchingStrategy());
    AccessDecision.Allowed a = (AccessDecision.Allowed) rules.decide(get("http://my-app/x"));
    assertEquals("env-guest", a.subject());
    assertEquals(List.of("env-guest"), a.headers().get("X-User"));
  }

  @Test
  void buildWhenCustomHandlerRegisteredThenUsable() {
    AccessRules rules = defaults()
        .register(HandlerKind.AUTHENTICATOR, new io.ory4j.accessrules.spi.HandlerFactory<
            io.ory4j.accessrules.spi.Authenticator>() {
          @Override
          public String name() {
            return "api_key";
          }

          @Override
          public io.ory4j.accessrules.spi.Authenticator create(io.ory4j.accessrules.spi.HandlerConfig config) {
            String key = config.string("key");
            return (r, s) -> {
              if (r.request().header("X-Api-Key").isEmpty()) {
                return false;
              }
              if (!io.ory4j.core.secrets.ConstantTime.equals(key, r.request().header("X-Api-Key").get())) {
                throw io.ory4j.core.error.OryException.unauthorized("bad key");
              }
              s.subject("api-client");
              return true;
            };
          }
        })
        .enable(HandlerKind.AUTHENTICATOR, "api_key", "{\"key\":\"s3cret\"}")
        .rules(Rule.builder("a").match("http://my-app/a", "GET").authenticator("api_key").authorizer("allow")
            .mutator("noop").build())
        .build();
    assertEquals("api-client", ((AccessDecision.Allowed) rules.decide(get("http://my-app/a").toBuilder()
        .header("X-Api-Key", "s3cret").build())).subject());
    assertEquals(401, ((AccessDecision.Denied) rules.decide(get("http://my-app/a").toBuilder()
        .header("X-Api-Key", "nope").build())).response().status());
  }

  @Test
  void pollWhenSourceChangesThenReloadedAndWhenInvalidThenKeptWithoutThrowing(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, "- id: a\n  match: {url: 'http://my-app/a', methods: [GET]}\n"
        + "  authenticators: [{handler: anonymous}]\n  authorizer: {handler: allow}\n  mutators: [{handler: noop}]\n");
    AccessRules rules = defaults().source(RuleSource.path(file)).build();
    Files.writeString(file, Files.readString(file).replace("allow", "deny"));
    RuleWatcher.poll(rules);
    assertEquals(403, ((AccessDecision.Denied) rules.decide(get("http://my-app/a"))).response().status());
    Files.writeString(file, "not: [valid");
    RuleWatcher.poll(rules);
    assertEquals(403, ((AccessDecision.Denied) rules.decide(get("http://my-app/a"))).response().status());
    try (RuleWatcher w = RuleWatcher.start(rules, Duration.ofHours(1))) {
      assertEquals(1, rules.rules().size());
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}.{1} {2}")
  @org.junit.jupiter.params.provider.CsvSource(delimiterString = " ; ", value = {
      "AUTHENTICATOR ; oauth2_introspection ; {} ; authenticators[0].config.introspection_url ; is required",
      "AUTHENTICATOR ; oauth2_introspection ; {\"introspection_url\":\"ftp://x\"} ; authenticators[0].config.introspection_url ; absolute http",
      "AUTHENTICATOR ; oauth2_introspection ; {\"introspection_url\":\"http://x/\",\"scope_strategy\":\"fuzzy\"} ; authenticators[0].config.scope_strategy ; must be one of",
      "AUTHENTICATOR ; oauth2_introspection ; {\"introspection_url\":\"http://x/\",\"cache\":{\"ttl\":\"soon\"}} ; authenticators[0].config.cache.ttl ; not a duration",
      "AUTHENTICATOR ; jwt ; {} ; authenticators[0].config.jwks_urls ; at least one",
      "AUTHENTICATOR ; cookie_session ; {} ; authenticators[0].config.check_session_url ; is required",
      "AUTHENTICATOR ; bearer_token ; {\"check_session_url\":\"http://x/\",\"token_from\":{}} ; authenticators[0].config.token_from ; exactly one",
      "AUTHENTICATOR ; oauth2_client_credentials ; {} ; authenticators[0].config.token_url ; is required",
      "AUTHORIZER ; remote_json ; {\"remote\":\"http://x/\"} ; authorizer.config.payload ; is required",
      "AUTHORIZER ; remote_json ; {\"remote\":\"http://x/\",\"payload\":\"{{ nope }}\"} ; authorizer.config.payload ; not defined",
      "AUTHORIZER ; keto_engine_acp_ory ; {} ; authorizer.config.base_url ; is required",
      "MUTATOR ; header ; {} ; mutators[0].config.headers ; is required",
      "MUTATOR ; id_token ; {\"issuer_url\":\"http://x/\"} ; mutators[0].config.jwks_url ; key manager",
      "MUTATOR ; hydrator ; {\"api\":{}} ; mutators[0].config.api.url ; is required",
      "ERROR_HANDLER ; redirect ; {\"to\":\"http://x/\",\"code\":303} ; errors[0].config.code ; 301 or 302",
      "ERROR_HANDLER ; json ; {\"when\":[{\"request\":{\"remote_ip\":{\"match\":[\"nope\"]}}}]} ; errors[0].config.when[0].request.remote_ip.match ; CIDR",
  })
  void buildWhenHandlerConfigInvalidThenRuleAndFieldNamed(HandlerKind kind, String handler, String config,
      String field, String reason) {
    Rule.Builder b = Rule.builder("r").match("http://my-app/a", "GET");
    RuleHandler h = RuleHandler.of(handler, io.ory4j.core.json.OryJson.create().readTree(config));
    switch (kind) {
      case AUTHENTICATOR -> b.authenticator(h).authorizer("allow").mutator("noop");
      case AUTHORIZER -> b.authenticator("noop").authorizer(h).mutator("noop");
      case MUTATOR -> b.authenticator("noop").authorizer("allow").mutator(h);
      case ERROR_HANDLER -> b.authenticator("noop").authorizer("allow").mutator("noop").error(h);
    }
    InvalidRulesException e = assertThrows(InvalidRulesException.class,
        () -> defaults().enable(kind, handler).rules(b.build()).build());
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertEquals("r", e.problems().get(0).ruleId());
    assertEquals(field, e.problems().get(0).field());
    assertTrue(e.problems().get(0).reason().contains(reason), e.problems().get(0).reason());
  }

  @Test
  void environmentWhenNestedKeysThenNestedConfig() {
    AccessRules.Builder b = AccessRules.builder().environment(Map.of(
        "AUTHENTICATORS_OAUTH2_INTROSPECTION_ENABLED", "true",
        "AUTHENTICATORS_OAUTH2_INTROSPECTION_CONFIG_INTROSPECTION_URL", "http://hydra/admin/oauth2/introspect",
        "AUTHENTICATORS_OAUTH2_INTROSPECTION_CONFIG_CACHE_ENABLED", "true",
        "AUTHENTICATORS_OAUTH2_INTROSPECTION_CONFIG_CACHE_TTL", "30s",
        "AUTHENTICATORS_OAUTH2_INTROSPECTION_CONFIG_REQUIRED_SCOPE", "[\"a\",\"b\"]",
        "MUTATORS_HYDRATOR_ENABLED", "true",
        "MUTATORS_HYDRATOR_CONFIG_API_AUTH_BASIC_USERNAME", "u",
        "ERRORS_HANDLERS_REDIRECT_ENABLED", "true",
        "ERRORS_FALLBACK", "[\"json\"]"));
    var c = b.enabledMap().get(HandlerKind.AUTHENTICATOR).get("oauth2_introspection");
    assertEquals("http://hydra/admin/oauth2/introspect", c.get("introspection_url").asText());
    assertTrue(c.get("cache").get("enabled").asBoolean());
    assertEquals("30s", c.get("cache").get("ttl").asText());
    assertEquals(2, c.get("required_scope").size());
    assertEquals("u", b.enabledMap().get(HandlerKind.MUTATOR).get("hydrator").get("api").get("auth").get("basic")
        .get("username").asText());
    assertTrue(b.enabledMap().get(HandlerKind.ERROR_HANDLER).containsKey("redirect"));
  }
}
