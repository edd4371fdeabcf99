package io.ory4j.testkit.oauth2;

import io.ory4j.oauth2.spi.FlowStore;
import io.ory4j.oauth2.store.memory.InMemoryFlowStore;

class InMemoryFlowStoreTest extends FlowStoreContract {
  @Override
  protected FlowStore newStore() {
    return new InMemoryFlowStore();
  }
}
