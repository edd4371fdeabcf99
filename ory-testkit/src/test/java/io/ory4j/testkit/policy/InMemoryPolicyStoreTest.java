package io.ory4j.testkit.policy;

import io.ory4j.policy.acp.spi.PolicyStore;
import io.ory4j.policy.acp.store.memory.InMemoryPolicyStore;

class InMemoryPolicyStoreTest extends PolicyStoreContract {
  @Override
  protected PolicyStore newStore() {
    return new InMemoryPolicyStore();
  }
}
