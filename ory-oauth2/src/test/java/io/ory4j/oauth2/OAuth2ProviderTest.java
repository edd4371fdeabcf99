package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.error.OryException;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.oauth2.store.memory.InMemoryTokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain-Java API, without HTTP. */
class OAuth2ProviderTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  private OAuth2Provider.Builder builder() {
    return OAuth2Provider.builder().issuer("https://auth.example.com").clock(clock)
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789"))
        .clientSecretSettings(new ClientSecretSettings(1000, Duration.ofMinutes(5))).inMemory();
  }

  @Test
  void readmeSnippetWhenRunThenIssuesAndIntrospectsAToken() {
    // README: embed a provider, register a client, issue and introspect a token.
    OAuth2Provider provider = OAuth2Provider.builder()
        .issuer("https://auth.example.com")
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789"))
        .inMemory()
        .build();
    CreatedClient client = provider.createClient(OAuth2Client.builder()
        .grantTypes("client_credentials").scope("read write").build());
    TokenResponse token = provider.clientCredentials(client.client().id(), client.secret(), List.of("read"),
        List.of());
    Introspection info = provider.introspect(token.accessToken());
    assertTrue(info.active());
    assertEquals("read", info.scope());
    assertTrue(token.accessToken().startsWith("ory_at_"));
  }

  @Test
  void docsSnippetWhenHardenedThenDiscoveryAdvertisesEveryOptIn() {
    // docs/oauth2.md: the opt-in protections and grants beyond Hydra's defaults.
    OAuth2Provider provider = OAuth2Provider.builder()
        .issuer("https://auth.example.com")
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789"))
        .inMemory()                                             // or JdbcJtiStore etc. for several processes
        .consentSettings(ConsentSettings.at(java.net.URI.create("https://login.example.com")))
        .tokenSettings(TokenSettings.defaults().withEnforcePkce(true))
        .securitySettings(SecuritySettings.bestCurrentPractice())  // RFC 9207 iss, RFC 9700 refusals
        .pushedAuthorizationRequests(PushedAuthorizationSettings.defaults().withRequired(true))  // RFC 9126
        .dpop(DpopSettings.enabled60s().withRequireNonce(true))   // RFC 9449
        .deviceAuthorization(DeviceSettings.of(java.net.URI.create("https://login.example.com/device"),
            java.net.URI.create("https://login.example.com/device/done")))  // RFC 8628
        .build();
    java.util.Map<String, Object> d = provider.discovery();
    assertEquals(true, d.get("authorization_response_iss_parameter_supported"));
    assertEquals(true, d.get("require_pushed_authorization_requests"));
    assertEquals("https://auth.example.com/oauth2/par", d.get("pushed_authorization_request_endpoint"));
    assertEquals("https://auth.example.com/oauth2/device/auth", d.get("device_authorization_endpoint"));
    assertTrue(((List<?>) d.get("dpop_signing_alg_values_supported")).contains("ES256"));
    assertEquals(List.of("code", "code id_token", "id_token"), d.get("response_types_supported"));
    assertTrue(((List<?>) d.get("grant_types_supported")).contains(OAuth2Provider.DEVICE_GRANT));
    assertEquals(true, d.get("request_parameter_supported"));
    assertTrue(provider.dpopNonce() != null);
  }

  @Test
  void createClientWhenConfidentialThenSecretShownOnceAndHashedAtRest() {
    var store = new io.ory4j.oauth2.store.memory.InMemoryClientStore();
    OAuth2Provider p = builder().clientStore(store).build();
    CreatedClient c = p.createClient(OAuth2Client.builder().clientId("c1").grantTypes("client_credentials").build());
    assertEquals(32, c.secret().length());
    String hash = store.find(new ClientId("c1")).orElseThrow().secretHashes().get(0);
    assertTrue(hash.startsWith("$pbkdf2-sha256$i=1000,l=32$"));
    assertFalse(hash.contains(c.secret()));
    assertFalse(c.toString().contains(c.secret()));
    assertEquals(List.of("offline_access", "offline", "openid"), c.client().scopes());
  }

  @Test
  void createClientWhenIdTakenThenConflict() {
    OAuth2Provider p = builder().build();
    p.createClient(OAuth2Client.builder().clientId("c1").build());
    OryException e = assertThrows(OryException.class, () -> p.createClient(OAuth2Client.builder().clientId("c1")
        .build()));
    assertEquals(409, e.status());
  }

  @Test
  void clientSecretWhenRotatedThenBothWorkUntilRetired() {
    OAuth2Provider p = builder().build();
    CreatedClient c = p.createClient(OAuth2Client.builder().clientId("c1").grantTypes("client_credentials")
        .scope("read").build(), "old-secret");
    p.addClientSecret(c.client().id(), "new-secret");
    p.clientCredentials(c.client().id(), "old-secret", List.of(), List.of());
    p.clientCredentials(c.client().id(), "new-secret", List.of(), List.of());
    p.retireOldClientSecrets(c.client().id());
    clock.advance(Duration.ofMinutes(10));
    OAuth2Exception e = assertThrows(OAuth2Exception.class,
        () -> p.clientCredentials(c.client().id(), "old-secret", List.of(), List.of()));
    assertEquals("invalid_client", e.toOAuth2Error().error());
    p.clientCredentials(c.client().id(), "new-secret", List.of(), List.of());
  }

  @Test
  void clientSecretWhenReplacedThenCachedVerificationOfOldSecretDoesNotApply() {
    OAuth2Provider p = builder().build();
    CreatedClient c = p.createClient(OAuth2Client.builder().clientId("c1").grantTypes("client_credentials").build(),
        "first-secret");
    p.clientCredentials(c.client().id(), "first-secret", List.of(), List.of());
    p.replaceClient(c.client().id(), c.client(), "second-secret");
    assertThrows(OAuth2Exception.class, () -> p.clientCredentials(c.client().id(), "first-secret", List.of(),
        List.of()));
  }

  @Test
  void janitorWhenTokensExpiredThenDeleted() {
    InMemoryTokenStore tokens = new InMemoryTokenStore();
    OAuth2Provider p = builder().tokenStore(tokens).build();
    CreatedClient c = p.createClient(OAuth2Client.builder().grantTypes("client_credentials").build());
    p.clientCredentials(c.client().id(), c.secret(), List.of(), List.of());
    assertEquals(0, p.janitor());
    clock.advance(Duration.ofHours(2));
    assertEquals(1, p.janitor());
    assertEquals(0, tokens.size());
  }

  @Test
  void janitorWhenUsedJtisExpiredThenDeleted() {
    io.ory4j.oauth2.store.memory.InMemoryJtiStore jtis = new io.ory4j.oauth2.store.memory.InMemoryJtiStore();
    OAuth2Provider p = builder().jtiStore(jtis).build();
    assertTrue(jtis.markUsed("a".repeat(64), clock.instant().plusSeconds(60), clock.instant()));
    assertEquals(0, p.janitor());
    clock.advance(Duration.ofSeconds(61));
    assertEquals(1, p.janitor());
    assertTrue(jtis.markUsed("a".repeat(64), clock.instant().plusSeconds(60), clock.instant()));
  }

  @Test
  void deleteClientWhenTokensIssuedThenTokensGone() {
    OAuth2Provider p = builder().build();
    CreatedClient c = p.createClient(OAuth2Client.builder().grantTypes("client_credentials").build());
    TokenResponse t = p.clientCredentials(c.client().id(), c.secret(), List.of(), List.of());
    assertTrue(p.deleteClient(c.client().id()));
    assertFalse(p.introspect(t.accessToken()).active());
    assertNull(p.introspect(t.accessToken()).scope());
  }

  @Test
  void buildWhenIssuerOrSecretsMissingThenFailsNamingTheKey() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> OAuth2Provider.builder().inMemory().build());
    assertTrue(e.getMessage().contains("urls.self.issuer"));
    IllegalStateException s = assertThrows(IllegalStateException.class,
        () -> OAuth2Provider.builder().issuer("https://x.example").inMemory().build());
    assertTrue(s.getMessage().contains("secrets.system"));
  }

  @Test
  void introspectWhenSystemSecretRotatedThenOldTokensStillVerify() {
    var clients = new io.ory4j.oauth2.store.memory.InMemoryClientStore();
    var tokens = new InMemoryTokenStore();
    OAuth2Provider before = builder().clientStore(clients).tokenStore(tokens).build();
    CreatedClient c = before.createClient(OAuth2Client.builder().grantTypes("client_credentials").build());
    TokenResponse t = before.clientCredentials(c.client().id(), c.secret(), List.of(), List.of());
    OAuth2Provider after = builder().clientStore(clients).tokenStore(tokens)
        .systemSecrets(SystemSecrets.of("the-new-system-secret-0123456789", "a-very-long-system-secret-0123456789"))
        .build();
    assertTrue(after.introspect(t.accessToken()).active());
  }
}
