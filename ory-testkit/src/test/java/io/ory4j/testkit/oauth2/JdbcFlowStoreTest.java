package io.ory4j.testkit.oauth2;

import io.ory4j.oauth2.spi.FlowStore;
import io.ory4j.oauth2.store.jdbc.JdbcFlowStore;
import io.ory4j.testkit.jdbc.EphemeralDatabase;
import io.ory4j.testkit.jdbc.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class JdbcFlowStoreTest extends FlowStoreContract {

  @Parameter
  TestDatabase database;

  private EphemeralDatabase db;

  @Override
  protected FlowStore newStore() {
    db = database.open().migrate("oauth2");
    return new JdbcFlowStore(db.jdbc());
  }

  /** A row written before a boolean record component existed: read with the component's default, not a failure. */
  @org.junit.jupiter.api.Test
  void findFlowWhenRowLacksItsBooleanComponentsThenTheyReadAsFalse() {
    FlowStore store = newStore();
    java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
    io.ory4j.oauth2.spi.Flow f = new io.ory4j.oauth2.spi.Flow("old-row", io.ory4j.oauth2.spi.FlowState.LOGIN_INITIALIZED,
        new io.ory4j.oauth2.ClientId("client-1"), "https://op.example/oauth2/auth", java.util.List.of("openid"),
        java.util.List.of(), t0, t0.plusSeconds(3600), "csrf", false, null, null, null, null, false, null, null, null);
    store.createFlow(f);
    String data = db.jdbc().query("SELECT data FROM ory4j_oauth2_flow WHERE id = ?", r -> r.requireString("data"),
        "old-row").get(0);
    com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode)
        io.ory4j.core.json.OryJson.create().readTree(data);
    java.util.List<String> booleans = new java.util.ArrayList<>();
    n.fields().forEachRemaining(e -> {
      if (e.getValue().isBoolean()) {
        booleans.add(e.getKey());
      }
    });
    org.junit.jupiter.api.Assertions.assertFalse(booleans.isEmpty(), data);
    booleans.forEach(n::remove);
    db.jdbc().update("UPDATE ory4j_oauth2_flow SET data = ? WHERE id = ?", n.toString(), "old-row");
    org.junit.jupiter.api.Assertions.assertEquals(f, store.findFlow(FlowStore.FlowKey.LOGIN_CHALLENGE, "old-row")
        .orElseThrow());
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.close();
    }
  }
}
