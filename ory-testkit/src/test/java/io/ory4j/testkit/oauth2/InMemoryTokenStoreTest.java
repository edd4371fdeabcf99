package io.ory4j.testkit.oauth2;

import io.ory4j.oauth2.spi.TokenStore;
import io.ory4j.oauth2.store.memory.InMemoryTokenStore;

class InMemoryTokenStoreTest extends TokenStoreContract {
  @Override
  protected TokenStore newStore() {
    return new InMemoryTokenStore();
  }
}
