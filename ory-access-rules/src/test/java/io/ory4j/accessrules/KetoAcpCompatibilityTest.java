package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.json.OryJson;
import io.ory4j.policy.PolicyEngine;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import org.junit.jupiter.api.Test;

/**
 * Oathkeeper's {@code keto_engine_acp_ory} authorizer, configured as for a Keto v0.5 server (only
 * {@code base_url}), pointed at ory-policy's ACP HTTP API on a real port: the request it sends and the answer it reads
 * are Keto's, so no adapter is involved.
 */
class KetoAcpCompatibilityTest {

  @Test
  void ketoAuthorizerWhenPointedAtOurAcpApiThenPoliciesDecide() throws Exception {
    PolicyEngine engine = PolicyEngine.builder().build();
    engine.upsertPolicy(Flavor.REGEX, Policy.builder("editors").subjects("anonymous")
        .resources("blog:posts:<[0-9]+>").actions("<read|update>").allow().build());
    engine.upsertPolicy(Flavor.REGEX, Policy.builder("no-drafts").subjects("<.*>")
        .resources("blog:posts:7").actions("<.*>").deny().build());
    try (JettyStub keto = new JettyStub()) {
      var api = engine.acpApi(OryJson.create());
      keto.routes.put("/engines/acp/ory/regex/allowed", api::handle);
      AccessRules rules = AccessRules.builder()
          .enable(HandlerKind.AUTHENTICATOR, "anonymous")
          .enable(HandlerKind.AUTHORIZER, "keto_engine_acp_ory", "{\"base_url\":\"" + keto.url("/") + "\"}")
          .enable(HandlerKind.MUTATOR, "noop")
          .rules(Rule.builder("posts").match("http://blog/posts/<[0-9a-z]+>", "GET", "PUT").authenticator("anonymous")
              .authorizer(RuleHandler.of("keto_engine_acp_ory", OryJson.create().readTree("{\"required_action\":\"read\","
                  + "\"required_resource\":\"blog:posts:{{ printIndex .MatchContext.RegexpCaptureGroups 0 }}\"}")))
              .mutator("noop").build())
          .build();
      assertEquals(200, status(rules.decide(HttpRequest.builder().host("blog").path("/posts/42").build())));
      assertEquals(403, status(rules.decide(HttpRequest.builder().host("blog").path("/posts/7").build())),
          "a deny policy overrides");
      assertEquals(403, status(rules.decide(HttpRequest.builder().host("blog").path("/posts/abc").build())));
    }
  }

  private static int status(AccessDecision d) {
    return d instanceof AccessDecision.Denied x ? x.response().status() : 200;
  }
}
