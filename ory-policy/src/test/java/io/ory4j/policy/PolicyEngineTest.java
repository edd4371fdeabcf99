package io.ory4j.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.error.OryException;
import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Condition;
import io.ory4j.policy.acp.Decision;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.PolicyFilter;
import io.ory4j.policy.acp.Role;
import io.ory4j.policy.acp.store.memory.InMemoryPolicyStore;
import io.ory4j.policy.acp.store.memory.InMemoryRoleStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PolicyEngineTest {

  private final PolicyEngine engine = PolicyEngine.builder().build();

  @Test
  void readmeExampleWhenRegexPolicyThenAllowed() {
    PolicyEngine engine = PolicyEngine.builder().build();
    engine.upsertPolicy(Flavor.REGEX, Policy.builder("articles-readers")
        .subjects("users:<alice|bob>")
        .resources("articles:<[0-9]+>")
        .actions("<read|list>")
        .allow()
        .build());
    boolean allowed = engine.isAllowed(AccessRequest.of(Flavor.REGEX, "users:alice", "articles:42", "read"));
    boolean denied = engine.isAllowed(AccessRequest.of(Flavor.REGEX, "users:eve", "articles:42", "read"));
    assertTrue(allowed);
    assertFalse(denied);
  }

  @Test
  void isAllowedWhenNoPoliciesThenDenied() {
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.EXACT, "s", "r", "a")));
  }

  @Test
  void isAllowedWhenExactThenStringEqualityOnEveryPart() {
    engine.upsertPolicy(Flavor.EXACT, Policy.builder("p").subjects("alice").resources("articles:1")
        .actions("read").build());
    assertTrue(engine.isAllowed(AccessRequest.of(Flavor.EXACT, "alice", "articles:1", "read")));
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.EXACT, "alice", "articles:2", "read")));
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.EXACT, "bob", "articles:1", "read")));
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.EXACT, "alice", "articles:1", "write")));
    // flavors are separate policy sets
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.GLOB, "alice", "articles:1", "read")));
  }

  @Test
  void isAllowedWhenGlobThenSegmentWildcards() {
    engine.upsertPolicy(Flavor.GLOB, Policy.builder("p").subjects("users:*").resources("articles:**")
        .actions("{read,list}").build());
    assertTrue(engine.isAllowed(AccessRequest.of(Flavor.GLOB, "users:alice", "articles:1:comments", "list")));
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.GLOB, "users:alice:x", "articles:1", "read")));
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.GLOB, "users:alice", "articles:1", "delete")));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void isAllowedWhenAllowAndDenyMatchThenDenyOverrides(Flavor flavor) {
    engine.upsertPolicy(flavor, Policy.builder("allow").subjects("alice").resources("doc").actions("read").build());
    assertTrue(engine.isAllowed(AccessRequest.of(flavor, "alice", "doc", "read")));
    engine.upsertPolicy(flavor, Policy.builder("deny").subjects("alice").resources("doc").actions("read").deny()
        .build());
    assertFalse(engine.isAllowed(AccessRequest.of(flavor, "alice", "doc", "read")));
    Decision d = engine.explain(AccessRequest.of(flavor, "alice", "doc", "read"));
    assertEquals(new Decision(false, List.of("allow"), List.of("deny")), d);
  }

  @Test
  void isAllowedWhenOnlyDenyMatchesThenDenied() {
    engine.upsertPolicy(Flavor.EXACT, Policy.builder("deny").subjects("a").resources("r").actions("x").deny()
        .build());
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.EXACT, "a", "r", "x")));
  }

  @Test
  void isAllowedWhenSubjectIsRoleMemberThenRolePoliciesApply() {
    engine.upsertPolicy(Flavor.REGEX, Policy.builder("p").subjects("roles:<admin|editor>").resources("<.*>")
        .actions("write").build());
    engine.upsertRole(Flavor.REGEX, Role.of("roles:editor", "alice"));
    assertTrue(engine.isAllowed(AccessRequest.of(Flavor.REGEX, "alice", "x", "write")));
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.REGEX, "bob", "x", "write")));
    // membership is string equality, not the flavor's matcher
    engine.upsertRole(Flavor.REGEX, Role.of("roles:admin", "users:<.*>"));
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.REGEX, "users:carol", "x", "write")));
  }

  @Test
  void isAllowedWhenRoleIsMemberOfRoleThenOnlyOneLevel() {
    engine.upsertPolicy(Flavor.EXACT, Policy.builder("p").subjects("admins").resources("r").actions("a").build());
    engine.upsertRole(Flavor.EXACT, Role.of("admins", "leads"));
    engine.upsertRole(Flavor.EXACT, Role.of("leads", "alice"));
    assertTrue(engine.isAllowed(AccessRequest.of(Flavor.EXACT, "leads", "r", "a")));
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.EXACT, "alice", "r", "a")));
  }

  @Test
  void isAllowedWhenRoleDeniedThenMemberDenied() {
    engine.upsertPolicy(Flavor.EXACT, Policy.builder("allow").subjects("alice").resources("r").actions("a").build());
    engine.upsertPolicy(Flavor.EXACT, Policy.builder("deny").subjects("banned").resources("r").actions("a").deny()
        .build());
    engine.addRoleMembers(Flavor.EXACT, "banned", List.of("alice"));
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.EXACT, "alice", "r", "a")));
    engine.removeRoleMember(Flavor.EXACT, "banned", "alice");
    assertTrue(engine.isAllowed(AccessRequest.of(Flavor.EXACT, "alice", "r", "a")));
  }

  @Test
  void isAllowedWhenConditionsThenAllMustHold() {
    engine.upsertPolicy(Flavor.EXACT, Policy.builder("p").subjects("s").resources("r").actions("a")
        .condition("ip", Condition.cidr("10.0.0.0/8"))
        .condition("owner", Condition.equalsSubject()).build());
    AccessRequest base = AccessRequest.of(Flavor.EXACT, "s", "r", "a");
    assertFalse(engine.isAllowed(base));
    assertFalse(engine.isAllowed(base.withContext("ip", "10.1.2.3")));
    assertTrue(engine.isAllowed(base.withContext("ip", "10.1.2.3").withContext("owner", "s")));
    assertFalse(engine.isAllowed(base.withContext("ip", "11.1.2.3").withContext("owner", "s")));
  }

  @Test
  void isAllowedWhenDenyConditionFailsThenDenyDoesNotApply() {
    engine.upsertPolicy(Flavor.EXACT, Policy.builder("allow").subjects("s").resources("r").actions("a").build());
    engine.upsertPolicy(Flavor.EXACT, Policy.builder("deny").subjects("s").resources("r").actions("a").deny()
        .condition("weekend", Condition.bool(true)).build());
    AccessRequest base = AccessRequest.of(Flavor.EXACT, "s", "r", "a");
    assertTrue(engine.isAllowed(base));
    assertTrue(engine.isAllowed(base.withContext("weekend", false)));
    assertFalse(engine.isAllowed(base.withContext("weekend", true)));
  }

  @Test
  void isAllowedWhenEmptyListsThenPolicyNeverMatches() {
    engine.upsertPolicy(Flavor.GLOB, Policy.builder("p").resources("**").actions("**").build());
    assertFalse(engine.isAllowed(AccessRequest.of(Flavor.GLOB, "", "r", "a")));
  }

  @Test
  void isAllowedWhenCustomConditionRegisteredThenUsed() {
    PolicyEngine e = PolicyEngine.builder()
        .condition("EvenNumberCondition", options -> ctx -> ctx.value() instanceof Integer i && i % 2 == 0)
        .build();
    e.upsertPolicy(Flavor.EXACT, Policy.builder("p").subjects("s").resources("r").actions("a")
        .condition("n", Condition.of("EvenNumberCondition", Map.of())).build());
    assertTrue(e.isAllowed(AccessRequest.of(Flavor.EXACT, "s", "r", "a").withContext("n", 4)));
    assertFalse(e.isAllowed(AccessRequest.of(Flavor.EXACT, "s", "r", "a").withContext("n", 3)));
  }

  @Test
  void upsertPolicyWhenIdEmptyThenUuidAssigned() {
    Policy p = engine.upsertPolicy(Flavor.EXACT, Policy.builder("").subjects("s").build());
    assertEquals(36, p.id().length());
    assertTrue(engine.getPolicy(Flavor.EXACT, p.id()).isPresent());
  }

  @Test
  void upsertPolicyWhenPatternInvalidThen400NamingFieldAndNothingStored() {
    OryException e = assertThrows(OryException.class, () -> engine.upsertPolicy(Flavor.REGEX,
        Policy.builder("p").subjects("ok").resources("a", "<[>").build()));
    assertEquals(400, e.status());
    assertEquals("resources[1]", e.error().details().get("field"));
    assertTrue(engine.getPolicy(Flavor.REGEX, "p").isEmpty());
  }

  @Test
  void upsertPolicyWhenConditionTypeUnknownThen400() {
    OryException e = assertThrows(OryException.class, () -> engine.upsertPolicy(Flavor.EXACT,
        Policy.builder("p").condition("k", Condition.of("NoSuchCondition", Map.of())).build()));
    assertEquals("conditions.k.type", e.error().details().get("field"));
    assertTrue(engine.listPolicies(Flavor.EXACT, PolicyFilter.none(), 100, 0).isEmpty());
  }

  @Test
  void upsertPolicyWhenConditionOptionInvalidThen400NamingOption() {
    OryException e = assertThrows(OryException.class, () -> engine.upsertPolicy(Flavor.EXACT,
        Policy.builder("p").condition("ip", Condition.cidr("300.0.0.0/8")).build()));
    assertEquals("conditions.ip.options.cidr", e.error().details().get("field"));
  }

  @Test
  void isAllowedWhenAnotherProcessWritesThenSeenWithinStalenessBound() {
    InMemoryPolicyStore shared = new InMemoryPolicyStore();
    InMemoryRoleStore roles = new InMemoryRoleStore();
    MutableClock clock = new MutableClock();
    PolicyEngine reader = PolicyEngine.builder().policyStore(shared).roleStore(roles).clock(clock)
        .maxStaleness(Duration.ofSeconds(1)).build();
    AccessRequest req = AccessRequest.of(Flavor.EXACT, "s", "r", "a");
    assertFalse(reader.isAllowed(req));
    shared.upsert(Flavor.EXACT, Policy.builder("p").subjects("s").resources("r").actions("a").build());
    clock.advance(Duration.ofMillis(999));
    assertFalse(reader.isAllowed(req), "within the bound the cached index may be used");
    clock.advance(Duration.ofMillis(1));
    assertTrue(reader.isAllowed(req), "at the bound the change is seen");
    roles.upsert(Flavor.EXACT, Role.of("s2-role", "s2"));
    shared.upsert(Flavor.EXACT, Policy.builder("p2").subjects("s2-role").resources("r").actions("a").build());
    clock.advance(Duration.ofSeconds(5));
    assertTrue(reader.isAllowed(AccessRequest.of(Flavor.EXACT, "s2", "r", "a")));
  }

  @Test
  void isAllowedWhenWrittenThroughSameEngineThenSeenAtOnce() {
    MutableClock clock = new MutableClock();
    PolicyEngine e = PolicyEngine.builder().clock(clock).maxStaleness(Duration.ofHours(1)).build();
    AccessRequest req = AccessRequest.of(Flavor.GLOB, "s", "r", "a");
    assertFalse(e.isAllowed(req));
    e.upsertPolicy(Flavor.GLOB, Policy.builder("p").subjects("s").resources("r").actions("a").build());
    assertTrue(e.isAllowed(req));
    e.deletePolicy(Flavor.GLOB, "p");
    assertFalse(e.isAllowed(req));
  }

  @Test
  void listPoliciesWhenFilteredThenEqualityOnListEntriesAndPaged() {
    engine.upsertPolicy(Flavor.EXACT, Policy.builder("policy1").subjects("mem1", "mem2").resources("res1", "res2")
        .actions("create").build());
    engine.upsertPolicy(Flavor.EXACT, Policy.builder("policy2").subjects("mem3", "mem4").resources("res1", "res2")
        .actions("create").build());
    engine.upsertPolicy(Flavor.EXACT, Policy.builder("policy3").subjects("mem5", "mem6").resources("res3", "res4")
        .actions("update").build());
    assertEquals(List.of("policy1", "policy2"), ids(engine.listPolicies(Flavor.EXACT,
        new PolicyFilter(null, null, "create"), 100, 0)));
    assertEquals(List.of("policy2"), ids(engine.listPolicies(Flavor.EXACT,
        new PolicyFilter("mem3", "res2", "create"), 100, 0)));
    assertEquals(List.of(), ids(engine.listPolicies(Flavor.EXACT, new PolicyFilter("mem3", "res3", "create"), 100,
        0)));
    assertEquals(List.of("policy2"), ids(engine.listPolicies(Flavor.EXACT, new PolicyFilter(null, "res1", null), 1,
        1)));
  }

  private static List<String> ids(List<Policy> ps) {
    return ps.stream().map(Policy::id).toList();
  }
}
