package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.core.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README example, compiled and run. */
class ReadmeExampleTest {

  @Test
  void readmeExampleWhenRunThenAllowsWithHeader() {
    // README:BEGIN
    AccessRules rules = AccessRules.builder()
        .enable(HandlerKind.AUTHENTICATOR, "anonymous")
        .enable(HandlerKind.AUTHORIZER, "allow")
        .enable(HandlerKind.MUTATOR, "header", "{\"headers\":{\"X-User\":\"{{ print .Subject }}\"}}")
        .source(RuleSource.of(RuleFiles.parse("""
            - id: public-api
              match: {url: "<http|https>://api.example.com/public/<.*>", methods: [GET]}
              authenticators: [{handler: anonymous}]
              authorizer: {handler: allow}
              mutators: [{handler: header}]
            """, "inline")))
        .build();
    AccessDecision d = rules.decide(HttpRequest.builder().scheme("https").host("api.example.com")
        .path("/public/items").build());
    // d is AccessDecision.Allowed with headers {X-User=[anonymous]}; use `new AccessRuleFilter(rules)` in a servlet
    // container or `new DecisionApi(rules).router()` for nginx auth_request.
    // README:END
    assertEquals(List.of("anonymous"), ((AccessDecision.Allowed) d).headers().get("X-User"));
  }
}
