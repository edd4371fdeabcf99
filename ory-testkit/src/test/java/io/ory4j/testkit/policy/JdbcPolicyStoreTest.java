package io.ory4j.testkit.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.policy.PolicyEngine;
import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.spi.PolicyStore;
import io.ory4j.policy.acp.store.jdbc.JdbcPolicyStore;
import io.ory4j.policy.acp.store.jdbc.JdbcRoleStore;
import io.ory4j.testkit.TestClock;
import io.ory4j.testkit.jdbc.EphemeralDatabase;
import io.ory4j.testkit.jdbc.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class JdbcPolicyStoreTest extends PolicyStoreContract {

  @Parameter
  TestDatabase database;

  private EphemeralDatabase db;

  @Override
  protected PolicyStore newStore() {
    db = database.open().migrate("policy");
    return new JdbcPolicyStore(db.jdbc());
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void isAllowedWhenAnotherEngineWritesSameDatabaseThenSeenWithinBound() {
    db = database.open().migrate("policy");
    TestClock clock = TestClock.fixed();
    PolicyEngine writer = PolicyEngine.builder().policyStore(new JdbcPolicyStore(db.jdbc()))
        .roleStore(new JdbcRoleStore(db.jdbc())).build();
    PolicyEngine reader = PolicyEngine.builder().policyStore(new JdbcPolicyStore(db.jdbc()))
        .roleStore(new JdbcRoleStore(db.jdbc())).clock(clock).maxStaleness(Duration.ofSeconds(1)).build();
    AccessRequest req = AccessRequest.of(Flavor.REGEX, "users:alice", "articles:1", "read");
    assertFalse(reader.isAllowed(req));
    writer.upsertPolicy(Flavor.REGEX, Policy.builder("p").subjects("readers").resources("articles:<[0-9]+>")
        .actions("read").build());
    writer.addRoleMembers(Flavor.REGEX, "readers", List.of("users:alice"));
    assertTrue(writer.isAllowed(req), "the writing engine sees its write at once");
    assertFalse(reader.isAllowed(req), "another engine may use its index until the bound");
    clock.advance(Duration.ofSeconds(1));
    assertTrue(reader.isAllowed(req), "and sees the change once the bound has passed");
    writer.removeRoleMember(Flavor.REGEX, "readers", "users:alice");
    clock.advance(Duration.ofSeconds(1));
    assertFalse(reader.isAllowed(req));
  }
}
