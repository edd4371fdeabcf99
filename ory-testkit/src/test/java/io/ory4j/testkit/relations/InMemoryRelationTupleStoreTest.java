package io.ory4j.testkit.relations;

import io.ory4j.policy.relations.spi.RelationTupleStore;
import io.ory4j.policy.relations.store.memory.InMemoryRelationTupleStore;

class InMemoryRelationTupleStoreTest extends RelationTupleStoreContract {
  @Override
  protected RelationTupleStore newStore() {
    return new InMemoryRelationTupleStore();
  }
}
