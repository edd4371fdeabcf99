package io.ory4j.testkit.identity;

import io.ory4j.identity.spi.IdentityStore;
import io.ory4j.identity.spi.SessionStore;
import io.ory4j.identity.store.memory.InMemoryIdentityStore;
import io.ory4j.identity.store.memory.InMemorySessionStore;
import org.junit.jupiter.api.Nested;

class InMemoryIdentityStoresTest {

  @Nested
  class Identities extends IdentityStoreContract {
    @Override
    protected IdentityStore newStore() {
      return new InMemoryIdentityStore();
    }
  }

  @Nested
  class Sessions extends SessionStoreContract {
    @Override
    protected SessionStore newStore() {
      return new InMemorySessionStore();
    }
  }

  @Nested
  class Flows extends FlowStoreContract {
    @Override
    protected io.ory4j.identity.spi.FlowStore newStore() {
      return new io.ory4j.identity.store.memory.InMemoryFlowStore();
    }
  }

  @Nested
  class CourierMessages extends CourierMessageStoreContract {
    @Override
    protected io.ory4j.identity.spi.CourierMessageStore newStore() {
      return new io.ory4j.identity.store.memory.InMemoryCourierMessageStore();
    }
  }

  @Nested
  class Codes extends CodeStoreContract {
    @Override
    protected io.ory4j.identity.spi.CodeStore newStore() {
      return new io.ory4j.identity.store.memory.InMemoryCodeStore();
    }
  }
}
