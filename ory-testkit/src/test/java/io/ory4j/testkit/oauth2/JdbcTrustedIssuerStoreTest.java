package io.ory4j.testkit.oauth2;

import io.ory4j.oauth2.spi.TrustedIssuerStore;
import io.ory4j.oauth2.store.jdbc.JdbcTrustedIssuerStore;
import io.ory4j.testkit.jdbc.EphemeralDatabase;
import io.ory4j.testkit.jdbc.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class JdbcTrustedIssuerStoreTest extends TrustedIssuerStoreContract {

  @Parameter
  TestDatabase database;

  private EphemeralDatabase db;

  @Override
  protected TrustedIssuerStore newStore() {
    db = database.open().migrate("oauth2");
    return new JdbcTrustedIssuerStore(db.jdbc());
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.close();
    }
  }
}
