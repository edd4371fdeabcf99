package io.ory4j.testkit.policy;

import io.ory4j.policy.acp.spi.RoleStore;
import io.ory4j.policy.acp.store.memory.InMemoryRoleStore;

class InMemoryRoleStoreTest extends RoleStoreContract {
  @Override
  protected RoleStore newStore() {
    return new InMemoryRoleStore();
  }
}
