package io.ory4j.accessrules.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.accessrules.AccessDecision;
import io.ory4j.accessrules.AccessRules;
import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.accessrules.Rule;
import io.ory4j.accessrules.RuleHandler;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.identity.IdentitySchemas;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.policy.PolicyEngine;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The access rules asking the other engines in process: ACP policies, OAuth2 introspection, identity sessions. */
class EmbeddedEnginesTest {

  private static final OryJson JSON = OryJson.create();

  private static JsonNode cfg(String s) {
    return JSON.readTree(s);
  }

  private static int status(AccessDecision d) {
    return d instanceof AccessDecision.Denied x ? x.response().status() : 200;
  }

  private static String header(AccessDecision d, String name) {
    return assertInstanceOf(AccessDecision.Allowed.class, d).headers().get(name).get(0);
  }

  @Test
  void ketoAuthorizerWhenEmbeddedPolicyEngineThenItsPoliciesDecide() {
    PolicyEngine engine = PolicyEngine.builder().build();
    engine.upsertPolicy(Flavor.REGEX, Policy.builder("readers").subjects("anonymous")
        .resources("blog:posts:<[0-9]+>").actions("read").allow().build());
    AccessRules rules = AccessRules.builder()
        .enable(HandlerKind.AUTHENTICATOR, "anonymous").enable(HandlerKind.AUTHORIZER, "keto_engine_acp_ory")
        .enable(HandlerKind.MUTATOR, "noop").acpDecider(EmbeddedAcp.of(engine))
        .rules(Rule.builder("posts").match("http://blog/posts/<[0-9a-z]+>", "GET").authenticator("anonymous")
            .authorizer(RuleHandler.of("keto_engine_acp_ory", cfg("{\"required_action\":\"read\","
                + "\"required_resource\":\"blog:posts:{{ printIndex .MatchContext.RegexpCaptureGroups 0 }}\"}")))
            .mutator("noop").build())
        .build();
    assertEquals(200, status(rules.decide(HttpRequest.builder().host("blog").path("/posts/42").build())));
    assertEquals(403, status(rules.decide(HttpRequest.builder().host("blog").path("/posts/draft").build())));
  }

  @Test
  void introspectionWhenEmbeddedProviderThenTokenOfTheProviderAccepted() {
    OAuth2Provider provider = OAuth2Provider.builder().issuer("https://auth.example")
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789")).inMemory().build();
    CreatedClient c = provider.createClient(OAuth2Client.builder().grantTypes("client_credentials")
        .scope("posts.write").build());
    String token = provider.clientCredentials(c.client().clientId(), c.secret(), List.of("posts.write"), List.of())
        .accessToken();
    AccessRules rules = AccessRules.builder()
        .enable(HandlerKind.AUTHENTICATOR, "oauth2_introspection").enable(HandlerKind.AUTHORIZER, "allow")
        .enable(HandlerKind.MUTATOR, "header").tokenIntrospector(EmbeddedIntrospection.of(provider))
        .rules(Rule.builder("write").match("http://blog/api/posts", "POST")
            .authenticator(RuleHandler.of("oauth2_introspection", cfg("{\"required_scope\":[\"posts.write\"],"
                + "\"scope_strategy\":\"exact\"}")))
            .authorizer("allow").mutator(RuleHandler.of("header", cfg("{\"headers\":{\"X-Client\":"
                + "\"{{ print .Subject }}\"}}"))).build())
        .build();
    AccessDecision ok = rules.decide(HttpRequest.builder().method("POST").host("blog").path("/api/posts")
        .header("Authorization", "Bearer " + token).build());
    assertEquals(c.client().clientId().toString(), header(ok, "X-Client"));
    assertEquals(401, status(rules.decide(HttpRequest.builder().method("POST").host("blog").path("/api/posts")
        .header("Authorization", "Bearer ory_at_forged.token").build())));
  }

  @Test
  void cookieSessionWhenEmbeddedIdentityServiceThenSubjectIsTheIdentity() {
    JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"traits\":{\"type\":\"object\","
        + "\"properties\":{\"email\":{\"type\":\"string\",\"ory.sh/kratos\":{\"credentials\":{\"password\":"
        + "{\"identifier\":true}}}}},\"required\":[\"email\"]}}}");
    IdentityService identities = IdentityService.builder().schemas(IdentitySchemas.of("default",
        Map.of("default", schema))).hasher(new BcryptHasher(4, new SecureRandom()))
        .hooks(io.ory4j.identity.SelfServiceHooks.sessionAfterRegistration()).build();
    IdentityService.Login login = identities.registerWithPassword(null, JSON.readTree(
        "{\"email\":\"ada@example.com\"}"), "correct horse staple");
    AccessRules rules = AccessRules.builder()
        .enable(HandlerKind.AUTHENTICATOR, "cookie_session").enable(HandlerKind.AUTHORIZER, "allow")
        .enable(HandlerKind.MUTATOR, "header").sessionResolver(EmbeddedSessions.of(identities, JSON))
        .rules(Rule.builder("write").match("http://blog/posts/new", "GET")
            .authenticator(RuleHandler.of("cookie_session", cfg("{\"subject_from\":\"identity.id\"}")))
            .authorizer("allow").mutator(RuleHandler.of("header", cfg("{\"headers\":{\"X-User\":"
                + "\"{{ print .Subject }}\"}}"))).build())
        .build();
    AccessDecision ok = rules.decide(HttpRequest.builder().host("blog").path("/posts/new")
        .addHeader("Cookie", "ory_kratos_session=" + login.sessionToken()).build());
    assertEquals(login.identity().id().toString(), header(ok, "X-User"));
    assertEquals(401, status(rules.decide(HttpRequest.builder().host("blog").path("/posts/new")
        .addHeader("Cookie", "ory_kratos_session=nope").build())));
  }
}
