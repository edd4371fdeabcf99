package io.ory4j.testkit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.core.json.OryJson;
import io.ory4j.core.storage.DuplicateException;
import io.ory4j.identity.spi.IdentityStore;
import io.ory4j.identity.spi.SessionStore;
import io.ory4j.identity.store.jdbc.JdbcIdentityStore;
import io.ory4j.identity.store.jdbc.JdbcSessionStore;
import io.ory4j.testkit.jdbc.EphemeralDatabase;
import io.ory4j.testkit.jdbc.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class JdbcIdentityStoresTest {

  @Parameter
  TestDatabase database;

  private final List<EphemeralDatabase> open = new ArrayList<>();

  private EphemeralDatabase db() {
    EphemeralDatabase d = database.open().migrate("identity");
    open.add(d);
    return d;
  }

  @AfterEach
  void drop() {
    open.forEach(EphemeralDatabase::close);
  }

  @Nested
  class Identities extends IdentityStoreContract {
    @Override
    protected IdentityStore newStore() {
      return new JdbcIdentityStore(db().jdbc(), OryJson.create());
    }

    @Test
    void createWhenSameIdentifierRacesThenExactlyOneWins() throws Exception {
      IdentityStore store = newStore();
      int wins = Race.wins(6, () -> {
        try {
          store.create(identity(UUID.randomUUID(), "race@example.com"));
          return true;
        } catch (DuplicateException e) {
          return false;
        }
      });
      assertEquals(1, wins);
      assertEquals(1, store.list(io.ory4j.core.storage.PageRequest.first(), null).items().size());
    }
  }

  @Nested
  class Sessions extends SessionStoreContract {
    @Override
    protected SessionStore newStore() {
      return new JdbcSessionStore(db().jdbc(), OryJson.create());
    }
  }

  @Nested
  class Flows extends FlowStoreContract {
    @Override
    protected io.ory4j.identity.spi.FlowStore newStore() {
      return new io.ory4j.identity.store.jdbc.JdbcFlowStore(db().jdbc());
    }
  }

  @Nested
  class CourierMessages extends CourierMessageStoreContract {
    @Override
    protected io.ory4j.identity.spi.CourierMessageStore newStore() {
      return new io.ory4j.identity.store.jdbc.JdbcCourierMessageStore(db().jdbc());
    }
  }

  @Nested
  class Codes extends CodeStoreContract {
    @Override
    protected io.ory4j.identity.spi.CodeStore newStore() {
      return new io.ory4j.identity.store.jdbc.JdbcCodeStore(db().jdbc());
    }
  }

  /**
   * A flow's internal context (where the webauthn and passkey challenges live) goes to the database with the flow and
   * comes back, while the flow JSON a client sees never holds it.
   */
  @Test
  void flowsWhenInternalContextThenStoredWithTheFlowAndNeverInItsJson() {
    EphemeralDatabase d = db();
    OryJson json = OryJson.create();
    io.ory4j.identity.store.jdbc.JdbcFlowStore store = new io.ory4j.identity.store.jdbc.JdbcFlowStore(d.jdbc());
    io.ory4j.identity.internal.Flows flows = new io.ory4j.identity.internal.Flows(store, json, clock(),
        java.time.Duration.ofHours(1));
    UUID id = UUID.randomUUID();
    com.fasterxml.jackson.databind.node.ObjectNode ctx = json.object();
    ctx.putObject("webauthn").putObject("session_data").put("challenge", "c2VjcmV0LWNoYWxsZW5nZQ");
    flows.put(new io.ory4j.identity.internal.Flows.Flow(id, "login", "browser", json.object().put("id",
        id.toString()), java.time.Instant.parse("2026-01-01T01:00:00Z"), "csrf", null, ctx));
    io.ory4j.identity.internal.Flows.Flow back = flows.require(id.toString(), "login");
    assertEquals("c2VjcmV0LWNoYWxsZW5nZQ", back.internalContext().at("/webauthn/session_data/challenge").asText());
    org.junit.jupiter.api.Assertions.assertFalse(back.json().has("internal_context"));
    org.junit.jupiter.api.Assertions.assertFalse(back.json().toString().contains("c2VjcmV0"));
    flows.put(back.withInternalContext(json.object()));
    org.junit.jupiter.api.Assertions.assertTrue(flows.require(id.toString(), "login").internalContext().isEmpty(),
        "a taken challenge is gone from the database");
  }

  private static io.ory4j.testkit.TestClock clock() {
    return new io.ory4j.testkit.TestClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** A schema whose {@code email} trait is the password identifier, with {@code extension} added to its Kratos part. */
  private static io.ory4j.identity.IdentitySchemas schemas(OryJson json, String extension) {
    return io.ory4j.identity.IdentitySchemas.of("default", java.util.Map.of("default", json.readTree(
        "{\"type\":\"object\",\"properties\":{\"traits\":{\"type\":\"object\",\"properties\":{\"email\":"
            + "{\"type\":\"string\",\"ory.sh/kratos\":{\"credentials\":{\"password\":{\"identifier\":true}}"
            + extension + "}}}}}}")));
  }

  /** Second factors kept in the database: a second service on the same tables sees the aal2 session and the use. */
  @Test
  void loginSecondFactorWhenStoredInDatabaseThenAal2SessionAndUsedCodeSeenByAnotherService() {
    EphemeralDatabase d = db();
    OryJson json = OryJson.create();
    io.ory4j.testkit.TestClock clock = clock();
    io.ory4j.identity.IdentitySchemas schemas = schemas(json, "");
    java.util.function.Supplier<io.ory4j.identity.IdentityService> service = () ->
        io.ory4j.identity.IdentityService.builder().schemas(schemas).clock(clock)
            .hooks(io.ory4j.identity.SelfServiceHooks.sessionAfterRegistration())
            .hasher(new io.ory4j.identity.hash.BcryptHasher(4, new java.security.SecureRandom()))
            .identityStore(new JdbcIdentityStore(d.jdbc(), json)).sessionStore(new JdbcSessionStore(d.jdbc(), json))
            .build();
    io.ory4j.identity.IdentityService one = service.get();
    io.ory4j.identity.IdentityService other = service.get();
    io.ory4j.identity.IdentityService.Login login = one.registerWithPassword(null,
        json.readTree("{\"email\":\"ada@example.com\"}"), "correct horse staple");
    UUID id = login.identity().id();
    List<String> codes = one.regenerateLookupSecrets(id);
    io.ory4j.identity.IdentityService.TotpEnrolment e = one.startTotpEnrolment(id, "ory4j");
    byte[] key = io.ory4j.identity.internal.Totp.fromBase32(e.secret()).orElseThrow();
    long step = io.ory4j.identity.internal.Totp.step(clock.instant().getEpochSecond());
    one.confirmTotp(id, e.url(), io.ory4j.identity.internal.Totp.code(key, step));
    assertEquals(List.of("totp", "lookup_secret"), other.secondFactors(id));
    org.junit.jupiter.api.Assertions.assertThrows(io.ory4j.core.error.OryException.class,
        () -> other.whoami(login.sessionToken(), "highest_available"));
    org.junit.jupiter.api.Assertions.assertThrows(io.ory4j.identity.IdentityException.class,
        () -> other.loginSecondFactor(login.sessionToken(), "totp", io.ory4j.identity.internal.Totp.code(key, step)),
        "the enrolment code was used in this step, by the other service");
    one.loginSecondFactor(login.sessionToken(), "lookup_secret", codes.get(0));
    assertEquals("aal2", other.whoami(login.sessionToken(), "highest_available").orElseThrow()
        .authenticatorAssuranceLevel());
    assertEquals(11, other.remainingLookupSecrets(id));
  }

  private static io.ory4j.core.http.HttpResponse call(io.ory4j.core.http.Router router, String method, String target,
      String token, String body) {
    io.ory4j.core.http.HttpRequest.Builder b = io.ory4j.core.http.HttpRequest.builder().method(method).target(target)
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("X-Session-Token", token);
    }
    if (body != null) {
      b.body(body);
    }
    io.ory4j.core.http.HttpResponse r = router.handle(b.build());
    org.junit.jupiter.api.Assertions.assertTrue(r.status() < 300, r.status() + " " + r.bodyText());
    return r;
  }

  /** The settings flow and the verification flow (with its code and mail) of one identity, made over the API. */
  private static UUID[] flowsOf(io.ory4j.core.http.Router pub, String token, String email, OryJson json) {
    UUID settings = UUID.fromString(json.readTree(call(pub, "GET", "/self-service/settings/api", token, null).body())
        .get("id").asText());
    UUID verification = UUID.fromString(json.readTree(call(pub, "GET", "/self-service/verification/api", null, null)
        .body()).get("id").asText());
    call(pub, "POST", "/self-service/verification?flow=" + verification, null, "{\"method\":\"code\",\"email\":\""
        + email + "\"}");
    return new UUID[] {settings, verification};
  }

  /** GDPR deletion on the database: the identity and all its data go in one transaction; another's stay. */
  @Test
  void eraseWhenIdentityHasSessionsCodesMessagesAndFlowsThenAllGoneAndOthersKept() {
    EphemeralDatabase d = db();
    OryJson json = OryJson.create();
    io.ory4j.testkit.TestClock clock = clock();
    io.ory4j.identity.IdentitySchemas schemas = schemas(json, ",\"verification\":{\"via\":\"email\"}");
    io.ory4j.identity.store.jdbc.JdbcCodeStore codes = new io.ory4j.identity.store.jdbc.JdbcCodeStore(d.jdbc());
    io.ory4j.identity.store.jdbc.JdbcFlowStore flowStore = new io.ory4j.identity.store.jdbc.JdbcFlowStore(d.jdbc());
    io.ory4j.identity.store.jdbc.JdbcCourierMessageStore messages =
        new io.ory4j.identity.store.jdbc.JdbcCourierMessageStore(d.jdbc());
    io.ory4j.identity.IdentityService service = io.ory4j.identity.IdentityService.builder().schemas(schemas)
        .clock(clock).hasher(new io.ory4j.identity.hash.BcryptHasher(4, new java.security.SecureRandom()))
        .identityStore(new JdbcIdentityStore(d.jdbc(), json)).sessionStore(new JdbcSessionStore(d.jdbc(), json))
        .codeStore(codes).courier(io.ory4j.identity.Courier.builder().store(messages).clock(clock).build())
        .verification(io.ory4j.identity.CodeFlowSettings.enabledByCode())
        .eraser(new io.ory4j.identity.store.jdbc.JdbcIdentityEraser(d.jdbc())).build();
    UUID ada = service.createIdentity(null, json.readTree("{\"email\":\"ada@example.com\"}"), null,
        "correct horse staple", null, null, null).id();
    UUID bob = service.createIdentity(null, json.readTree("{\"email\":\"bob@example.com\"}"), null,
        "correct horse staple", null, null, null).id();
    String adaToken = service.loginWithPassword("ada@example.com", "correct horse staple").sessionToken();
    String bobToken = service.loginWithPassword("bob@example.com", "correct horse staple").sessionToken();
    io.ory4j.core.http.Router pub = new io.ory4j.identity.http.IdentityApi(service, json, clock, "http://auth.example",
        null, flowStore).publicApi();
    UUID[] adaFlows = flowsOf(pub, adaToken, "ada@example.com", json);
    UUID[] bobFlows = flowsOf(pub, bobToken, "bob@example.com", json);
    assertEquals(1, codes.findForIdentity(ada).size());
    assertEquals(1, messages.deleteForIdentity(UUID.randomUUID()) + 1, "nothing of an unknown identity");

    service.deleteIdentity(ada);
    org.junit.jupiter.api.Assertions.assertTrue(service.getIdentity(ada, true).isEmpty());
    org.junit.jupiter.api.Assertions.assertTrue(service.whoami(adaToken).isEmpty());
    org.junit.jupiter.api.Assertions.assertTrue(service.listSessions(ada, null,
        io.ory4j.core.storage.PageRequest.first()).items().isEmpty());
    org.junit.jupiter.api.Assertions.assertTrue(codes.findForIdentity(ada).isEmpty());
    org.junit.jupiter.api.Assertions.assertTrue(messages.list(io.ory4j.core.storage.PageRequest.first(), null,
        "ada@example.com").items().isEmpty());
    for (UUID f : adaFlows) {
      org.junit.jupiter.api.Assertions.assertTrue(flowStore.find(f).isEmpty(), "flow " + f);
    }

    org.junit.jupiter.api.Assertions.assertTrue(service.whoami(bobToken).isPresent());
    assertEquals(1, codes.findForIdentity(bob).size());
    assertEquals(1, messages.list(io.ory4j.core.storage.PageRequest.first(), null, "bob@example.com").items().size());
    for (UUID f : bobFlows) {
      org.junit.jupiter.api.Assertions.assertTrue(flowStore.find(f).isPresent(), "flow " + f);
    }
    org.junit.jupiter.api.Assertions.assertThrows(io.ory4j.core.error.OryException.class,
        () -> service.deleteIdentity(ada), "a second delete is 404");
    service.createIdentity(null, json.readTree("{\"email\":\"ada@example.com\"}"), null, "correct horse staple",
        null, null, null);
  }
}
