package io.ory4j.testkit.oauth2;

import io.ory4j.oauth2.spi.JtiStore;
import io.ory4j.oauth2.store.memory.InMemoryJtiStore;

class InMemoryJtiStoreTest extends JtiStoreContract {
  @Override
  protected JtiStore newStore() {
    return new InMemoryJtiStore();
  }
}
