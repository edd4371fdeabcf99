package io.ory4j.testkit.core;

import io.ory4j.core.spi.JwkSetStore;
import io.ory4j.core.store.memory.InMemoryJwkSetStore;

class InMemoryJwkSetStoreTest extends JwkSetStoreContract {
  @Override
  protected JwkSetStore newStore() {
    return new InMemoryJwkSetStore();
  }
}
