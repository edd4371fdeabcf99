package io.ory4j.testkit.oauth2;

import io.ory4j.oauth2.spi.ClientStore;
import io.ory4j.oauth2.store.memory.InMemoryClientStore;

class InMemoryClientStoreTest extends ClientStoreContract {
  @Override
  protected ClientStore newStore() {
    return new InMemoryClientStore();
  }
}
