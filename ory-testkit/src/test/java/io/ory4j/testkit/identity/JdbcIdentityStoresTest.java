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

  /** Second factors kept in the database: a second service on the same tables sees the aal2 session and the use. */
  @Test
  void loginSecondFactorWhenStoredInDatabaseThenAal2SessionAndUsedCodeSeenByAnotherService() {
    EphemeralDatabase d = db();
    OryJson json = OryJson.create();
    io.ory4j.testkit.TestClock clock = new io.ory4j.testkit.TestClock(java.time.Instant.parse(
        "2026-01-01T00:00:00Z"));
    io.ory4j.identity.IdentitySchemas schemas = io.ory4j.identity.IdentitySchemas.of("default", java.util.Map.of(
        "default", json.readTree("{\"type\":\"object\",\"properties\":{\"traits\":{\"type\":\"object\","
            + "\"properties\":{\"email\":{\"type\":\"string\",\"ory.sh/kratos\":{\"credentials\":"
            + "{\"password\":{\"identifier\":true}}}}}}}}")));
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
}
