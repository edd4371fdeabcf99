package io.ory4j.testkit.core;

import io.ory4j.core.spi.JwkSetStore;
import io.ory4j.core.store.jdbc.JdbcJwkSetStore;
import io.ory4j.testkit.jdbc.EphemeralDatabase;
import io.ory4j.testkit.jdbc.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class JdbcJwkSetStoreTest extends JwkSetStoreContract {

  @Parameter
  TestDatabase database;

  private EphemeralDatabase db;

  @Override
  protected JwkSetStore newStore() {
    db = database.open().migrate("core");
    return new JdbcJwkSetStore(db.jdbc());
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.close();
    }
  }
}
