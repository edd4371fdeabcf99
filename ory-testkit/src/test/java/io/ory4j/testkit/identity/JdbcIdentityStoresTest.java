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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
      int n = 6;
      CyclicBarrier start = new CyclicBarrier(n);
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          futures.add(pool.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            try {
              store.create(identity(UUID.randomUUID(), "race@example.com"));
              return true;
            } catch (DuplicateException e) {
              return false;
            }
          }));
        }
        int wins = 0;
        for (Future<Boolean> f : futures) {
          wins += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertEquals(1, wins);
        assertEquals(1, store.list(io.ory4j.core.storage.PageRequest.first(), null).items().size());
      } finally {
        pool.shutdownNow();
      }
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
}
