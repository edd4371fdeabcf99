package io.ory4j.testkit.policy;

import io.ory4j.policy.acp.spi.RoleStore;
import io.ory4j.policy.acp.store.jdbc.JdbcRoleStore;
import io.ory4j.testkit.jdbc.EphemeralDatabase;
import io.ory4j.testkit.jdbc.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class JdbcRoleStoreTest extends RoleStoreContract {

  @Parameter
  TestDatabase database;

  private EphemeralDatabase db;

  @Override
  protected RoleStore newStore() {
    db = database.open().migrate("policy");
    return new JdbcRoleStore(db.jdbc());
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.close();
    }
  }
}
