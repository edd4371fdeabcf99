package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.json.OryJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Options of Oathkeeper's config schema ({@code spec/config.schema.json}) found missing in the audit of every
 * handler's config: {@code preserve_host} of the session checkers, {@code cache.max_tokens} of
 * {@code oauth2_client_credentials}, {@code request.cidr} of an error handler's {@code when}.
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
}
