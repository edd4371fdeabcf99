package io.ory4j.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ory4j.core.json.OryJson;
import io.ory4j.identity.hash.BcryptHasher;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Beyond Kratos: failed logins throttled by client address, with an injected clock. */
class AddressThrottlingTest {

  private static final OryJson JSON = OryJson.create();
  private static final String PASSWORD = "correct horse staple";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));

  private IdentityService service(AddressThrottling t) {
    IdentityService s = IdentityService.builder().schemas(IdentityServiceTest.schemas()).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).addressThrottling(t).build();
    s.createIdentity(null, JSON.readTree("{\"email\":\"ada@example.com\"}"), null, PASSWORD, null, null, null);
    return s;
  }

  private static SelfServiceRequest from(String peer, String... headers) {
    Map<String, List<String>> h = new java.util.LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], List.of(headers[i + 1]));
    }
    return new SelfServiceRequest(JSON.object(), "POST", "http://auth.example/self-service/login", h, Map.of(), peer);
  }

  private static IdentityException failLogin(IdentityService s, String identifier, String password,
      SelfServiceRequest r) {
    return assertThrows(IdentityException.class, () -> s.loginWithPassword(identifier, password, r));
  }

  @Test
  void loginWhenAddressReachedLimitThenEveryIdentifierRefusedAlikeUntilLockoutEnds() {
    IdentityService s = service(AddressThrottling.of(3, Duration.ofMinutes(10), Duration.ofMinutes(30)));
    SelfServiceRequest attacker = from("203.0.113.7");
    assertEquals(4000006, failLogin(s, "ada@example.com", "wrong-wrong", attacker).messages().get(0).id());
    failLogin(s, "nobody@example.com", "wrong-wrong", attacker);
    failLogin(s, "other@example.com", "wrong-wrong", attacker);

    IdentityException known = failLogin(s, "ada@example.com", PASSWORD, attacker);
    IdentityException unknown = failLogin(s, "nobody@example.com", PASSWORD, attacker);
    assertEquals(429, known.status());
    assertEquals(4000901, known.messages().get(0).id());
    assertEquals(1800L, known.messages().get(0).context().get("retry_after_seconds"));
    assertEquals(JSON.write(known.error()), JSON.write(unknown.error()),
        "a locked address learns nothing about which identifiers exist");

    assertNotNull(s.loginWithPassword("ada@example.com", PASSWORD, from("198.51.100.2")).sessionToken(),
        "other addresses are not affected");
    clock.advance(Duration.ofMinutes(29));
    assertEquals(4000901, failLogin(s, "ada@example.com", PASSWORD, attacker).messages().get(0).id());
    clock.advance(Duration.ofMinutes(1));
    assertNotNull(s.loginWithPassword("ada@example.com", PASSWORD, attacker).sessionToken());
  }

  @Test
  void loginWhenFailuresSpreadBeyondTheWindowThenNoLockout() {
    IdentityService s = service(AddressThrottling.of(2, Duration.ofMinutes(10), Duration.ofMinutes(30)));
    SelfServiceRequest r = from("203.0.113.7");
    failLogin(s, "ada@example.com", "wrong-wrong", r);
    clock.advance(Duration.ofMinutes(10));
    assertEquals(4000006, failLogin(s, "ada@example.com", "wrong-wrong", r).messages().get(0).id(),
        "the first window ended: this failure starts a new one");
    assertNotNull(s.loginWithPassword("ada@example.com", PASSWORD, r).sessionToken(), "one failure in this window");
    failLogin(s, "ada@example.com", "wrong-wrong", r);
    assertEquals(4000901, failLogin(s, "ada@example.com", PASSWORD, r).messages().get(0).id());
  }

  @Test
  void loginWhenSuccessInBetweenThenCountNotReset() {
    IdentityService s = service(AddressThrottling.of(2, Duration.ofMinutes(10), Duration.ofMinutes(30)));
    SelfServiceRequest r = from("203.0.113.7");
    failLogin(s, "victim@example.com", "guess-one", r);
    s.loginWithPassword("ada@example.com", PASSWORD, r);
    failLogin(s, "victim@example.com", "guess-two", r);
    assertEquals(4000901, failLogin(s, "victim@example.com", "guess-three", r).messages().get(0).id(),
        "an attacker's own valid account does not buy more guesses");
  }

  @Test
  void clientAddressWhenBehindTrustedProxyThenRightMostUntrustedHopElsePeer() {
    AddressThrottling t = AddressThrottling.of(1, Duration.ofMinutes(1), Duration.ofMinutes(1))
        .behindProxies("X-Forwarded-For", Set.of("10.0.0.1", "10.0.0.2"));
    assertEquals("203.0.113.7", t.clientAddress(from("10.0.0.1", "X-Forwarded-For",
        "198.51.100.9, 203.0.113.7, 10.0.0.2")), "the left part is the client's to forge; the proxies' is not");
    assertEquals("192.0.2.5", t.clientAddress(from("192.0.2.5", "X-Forwarded-For", "203.0.113.7")),
        "a header from an untrusted peer is ignored");
    assertEquals("10.0.0.1", t.clientAddress(from("10.0.0.1")), "no header: the proxy itself");
    assertEquals("10.0.0.2", t.clientAddress(from("10.0.0.1", "x-forwarded-for", "10.0.0.2")));
    assertThrows(IllegalArgumentException.class, () -> new AddressThrottling(1, Duration.ofMinutes(1),
        Duration.ofMinutes(1), "X-Forwarded-For", Set.of()));
    assertThrows(IllegalArgumentException.class, () -> AddressThrottling.of(0, Duration.ofMinutes(1),
        Duration.ofMinutes(1)));
  }

  @Test
  void loginWhenBehindTrustedProxyThenOneClientLockedOutAndAnotherNot() {
    IdentityService s = service(AddressThrottling.of(1, Duration.ofMinutes(10), Duration.ofMinutes(10))
        .behindProxies("X-Forwarded-For", Set.of("10.0.0.1")));
    failLogin(s, "ada@example.com", "wrong-wrong", from("10.0.0.1", "X-Forwarded-For", "203.0.113.7"));
    assertEquals(4000901, failLogin(s, "ada@example.com", PASSWORD, from("10.0.0.1", "X-Forwarded-For",
        "203.0.113.7")).messages().get(0).id());
    assertNotNull(s.loginWithPassword("ada@example.com", PASSWORD, from("10.0.0.1", "X-Forwarded-For",
        "198.51.100.2")).sessionToken(), "the proxy is not locked out for all its clients");
  }

  @Test
  void loginWhenFromJavaWithoutAddressThenNotThrottledByAddress() {
    IdentityService s = service(AddressThrottling.of(1, Duration.ofMinutes(10), Duration.ofMinutes(10)));
    assertThrows(IdentityException.class, () -> s.loginWithPassword("ada@example.com", "wrong-wrong"));
    assertThrows(IdentityException.class, () -> s.loginWithPassword("ada@example.com", "wrong-wrong"));
    assertNotNull(s.loginWithPassword("ada@example.com", PASSWORD).sessionToken());
  }
}
