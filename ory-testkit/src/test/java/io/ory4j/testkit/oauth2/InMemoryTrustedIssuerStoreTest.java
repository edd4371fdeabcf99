package io.ory4j.testkit.oauth2;

import io.ory4j.oauth2.spi.TrustedIssuerStore;
import io.ory4j.oauth2.store.memory.InMemoryTrustedIssuerStore;

class InMemoryTrustedIssuerStoreTest extends TrustedIssuerStoreContract {
  @Override
  protected TrustedIssuerStore newStore() {
    return new InMemoryTrustedIssuerStore();
  }
}
