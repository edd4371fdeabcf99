package io.ory4j.identity.http;

import static io.ory4j.identity.http.FlowClient.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ory4j.identity.AddressThrottling;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.http.FlowClient.Flavor;
import io.ory4j.identity.http.FlowClient.Outcome;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Per-address login throttling over HTTP, behind a trusted proxy (the test client's loopback address). */
class AddressThrottlingJettyTest {

  private static final String PASSWORD = "correct horse staple";

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void loginWhenClientAddressLockedOutThen4000901AndOtherClientsStillSignIn(Flavor f) throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC);
    IdentityService service = IdentityService.builder().schemas(IdentityServiceTest.schemas()).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).addressThrottling(AddressThrottling.of(2,
            Duration.ofMinutes(5), Duration.ofMinutes(15)).behindProxies("X-Forwarded-For", Set.of("127.0.0.1")))
        .build();
    service.createIdentity(null, JSON.readTree("{\"email\":\"ada@example.com\"}"), null, PASSWORD, null, null, null);
    try (FlowClient flows = new FlowClient(service, clock)) {
      flows.headers("X-Forwarded-For", "203.0.113.7");
      assertEquals(4000006, flows.login(f, "ada@example.com", "wrong-wrong").body().get("ui").get("messages").get(0)
          .get("id").asInt());
      flows.login(f, "nobody@example.com", "wrong-wrong");
      Outcome locked = flows.login(f, "ada@example.com", PASSWORD);
      assertEquals(f == Flavor.API ? 429 : 400, locked.status(), "the browser is sent back to the login UI");
      assertEquals(4000901, locked.body().get("ui").get("messages").get(0).get("id").asInt());
      assertEquals(900, locked.body().get("ui").get("messages").get(0).get("context").get("retry_after_seconds")
          .asInt());
      assertNull(locked.sessionToken());
      flows.headers("X-Forwarded-For", "198.51.100.2");
      assertNotNull(flows.login(f, "ada@example.com", PASSWORD).sessionToken());
    }
  }
}
